"""Staff pages of the resource directory, under /repertoire/gestion/."""

from django.urls import path

from . import staff_views as views

app_name = "directory_staff"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("services/nouveau/", views.service_create_page, name="service_create"),
    path("services/<str:pk>/modifier/", views.service_edit, name="service_edit"),
    path("services/<str:pk>/verifier/", views.service_verify_page, name="service_verify"),
    path("services/<str:pk>/retirer/", views.service_retire_page, name="service_retire"),
    path("services/<str:pk>/retablir/", views.service_restore_page, name="service_restore"),
    path("services/<str:pk>/corriger/", views.correction_propose_page, name="correction_propose"),
    path("corrections/", views.correction_list, name="corrections"),
    path("corrections/<str:pk>/accepter/", views.correction_accept_page, name="correction_accept"),
    path("corrections/<str:pk>/refuser/", views.correction_refuse_page, name="correction_refuse"),
    path("corrections/<str:pk>/retirer/", views.correction_withdraw_page, name="correction_withdraw"),
    path("corrections/<str:pk>/fermer/", views.report_close_page, name="report_close"),
    path("organisations/nouvelle/", views.organization_create_page, name="organization_create"),
    path("heures/", views.hours_preview, name="hours_preview"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<str:pk>/", views.category_edit, name="category_edit"),
    path("synonymes/", views.synonym_list, name="synonyms"),
    path("synonymes/<str:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synonymes/<str:pk>/supprimer/", views.synonym_delete, name="synonym_delete"),
]
