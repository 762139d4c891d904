from django.urls import path

from . import duplicate_views, household_views, privacy_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("journal-des-acces/", privacy_views.access_log, name="access_log"),
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
    path("consentements/<int:pk>/revoquer/", views.consent_revoke_page, name="consent_revoke"),
]
