from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.caseload_page, name="caseload"),
    path("interventions/nouvelle/", views.intervention_add, name="intervention_add"),
    path("references/nouvelle/", views.referral_add, name="referral_add"),
    path("references/recues/", views.received_page, name="received"),
    path("references/<int:pk>/", views.referral_page, name="referral"),
    path("references/<int:pk>/<slug:act>/", views.referral_act, name="referral_act"),
]
