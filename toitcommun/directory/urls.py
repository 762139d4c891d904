from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("lieux/", views.territory_suggestions, name="territory_suggestions"),
    path("services/<str:pk>/", views.service_detail, name="service"),
    path("services/<str:pk>/fiche/", views.service_sheet, name="service_sheet"),
    path("services/<str:pk>/signaler/", views.service_report, name="service_report"),
]
