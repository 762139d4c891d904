from django.urls import path

from . import privacy_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("journal-des-acces/", privacy_views.access_log, name="access_log"),
    path("inscrire/", views.person_register_page, name="register"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/consentements/nouveau/", views.consent_add, name="consent_add"),
    path("consentements/<int:pk>/", views.consent_print, name="consent_print"),
    path("consentements/<int:pk>/revoquer/", views.consent_revoke_page, name="consent_revoke"),
]
