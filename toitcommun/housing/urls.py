from django.urls import path

from . import views

app_name = "housing"
urlpatterns = [
    path("disponibles/<str:code>/", views.available, name="available"),
    path("disponibles/<str:code>/export/", views.available_export_start, name="available_export"),
    path("disponibles/<str:code>/carte.json", views.available_points, name="available_points"),
    path("parc/<str:code>/", views.stock, name="stock"),
    path("immeubles/nouveau/", views.building_create_page, name="building_create"),
    path("immeubles/<int:pk>/", views.building_detail, name="building"),
    path("immeubles/<int:pk>/modifier/", views.building_edit, name="building_edit"),
    path("immeubles/<int:pk>/disponibilites/", views.availability_report_page, name="availability_report"),
    path("importer/", views.import_page, name="import"),
    path("importer/modele.csv", views.import_template, name="import_template"),
]
