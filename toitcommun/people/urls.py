from django.urls import path

from . import (
    duplicate_views,
    duties_views,
    file_views,
    household_views,
    incident_views,
    privacy_views,
    scan_views,
    views,
)

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("journal-des-acces/", privacy_views.access_log, name="access_log"),
    path("demande-d-acces/", file_views.person_file_request, name="file_request"),
    path("<int:pk>/dossier-complet/", file_views.person_file_print, name="file_print"),
    path("<int:pk>/dossier-complet.json", file_views.person_file_json, name="file_json"),
    path("incidents/", incident_views.incident_list, name="incidents"),
    path("incidents/nouveau/", incident_views.incident_add, name="incident_add"),
    path("incidents/<int:pk>/", incident_views.incident_edit, name="incident"),
    path("destructions/", duties_views.destruction_list, name="destructions"),
    path("inscrire/", views.person_register_page, name="register"),
    path("menages/", household_views.households, name="households"),
    path("menages/nouveau/", household_views.household_new, name="household_new"),
    path("menages/<int:pk>/", household_views.household, name="household"),
    path("menages/<int:pk>/retirer/", household_views.household_remove, name="household_remove"),
    path("doublons/", duplicate_views.duplicates, name="duplicates"),
    path("doublons/<int:pk>/", duplicate_views.duplicate, name="duplicate"),
    path("doublons/<int:pk>/fusionner/", duplicate_views.duplicate_merge, name="duplicate_merge"),
    path("doublons/<int:pk>/ecarter/", duplicate_views.duplicate_dismiss_view, name="duplicate_dismiss"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/consentements/nouveau/", views.consent_add, name="consent_add"),
    path("consentements/<int:pk>/", views.consent_print, name="consent_print"),
    path("consentements/<int:pk>/formulaire-signe/", scan_views.consent_scan_add, name="consent_scan_add"),
    path("consentements/<int:pk>/formulaire-signe/fichier/", scan_views.consent_scan_file, name="consent_scan"),
    path("consentements/<int:pk>/revoquer/", views.consent_revoke_page, name="consent_revoke"),
]
