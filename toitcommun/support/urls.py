from django.urls import path

from . import case_review_views, report_views, research_views, views

app_name = "support"
urlpatterns = [
    path("", views.caseload_page, name="caseload"),
    path("interventions/nouvelle/", views.intervention_add, name="intervention_add"),
    path("references/nouvelle/", views.referral_add, name="referral_add"),
    path("references/recues/", views.received_page, name="received"),
    path("references/ouvertes/", report_views.referrals_open_report, name="referrals_open"),
    path("statistiques/", views.statistics_page, name="statistics"),
    path("references/<int:pk>/", views.referral_page, name="referral"),
    path("recherche/", research_views.research_page, name="research"),
    path("recherche/export.<str:fmt>", research_views.research_export, name="research_export"),
    path("references/<int:pk>/<slug:act>/", views.referral_act, name="referral_act"),
    path("revues/", case_review_views.review_list, name="reviews"),
    path("revues/nouvelle/", case_review_views.review_create, name="review_create"),
    path("revues/<int:pk>/", case_review_views.review_detail, name="review"),
    path("revues/<int:pk>/ajouter/", case_review_views.review_add_person, name="review_add_person"),
    path("revues/<int:pk>/personnes/<int:item>/notes/", case_review_views.review_note, name="review_note"),
]
