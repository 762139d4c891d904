from django.urls import path

from . import research_views, views

app_name = "support"
urlpatterns = [
    path("", views.caseload_page, name="caseload"),
    path("interventions/nouvelle/", views.intervention_add, name="intervention_add"),
    path("references/nouvelle/", views.referral_add, name="referral_add"),
    path("references/recues/", views.received_page, name="received"),
    path("statistiques/", views.statistics_page, name="statistics"),
    path("references/<int:pk>/", views.referral_page, name="referral"),
    path("recherche/", research_views.research_page, name="research"),
    path("recherche/export.<str:fmt>", research_views.research_export, name="research_export"),
    path("references/<int:pk>/<slug:act>/", views.referral_act, name="referral_act"),
]
