from django.urls import path

from . import governance_views, officer_views, records_views
from .activity_urls import urlpatterns as activity_patterns

app_name = "collective"
urlpatterns: list = [
    *activity_patterns,
    path("groupes/", governance_views.group_list, name="groups"),
    path("groupes/<int:pk>/", governance_views.group_detail, name="group"),
    path("reunions/<int:pk>/", governance_views.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/proces-verbal/", governance_views.minutes_edit_page, name="minutes_edit"),
    path("reunions/<int:pk>/adopter/", governance_views.minutes_adopt_page, name="minutes_adopt"),
    path("proces-verbaux/<int:pk>/soumettre/", governance_views.minutes_submit_page, name="minutes_submit"),
    path("proces-verbaux/<int:pk>/publier/", governance_views.minutes_publish_page, name="minutes_publish"),
    path("recommandations/<int:pk>/", governance_views.recommendation_detail, name="recommendation"),
    path("recommandations/<int:pk>/recue/", governance_views.recommendation_acknowledge_page,
         name="recommendation_acknowledge"),
    path("recommandations/<int:pk>/repondre/", governance_views.recommendation_answer_page,
         name="recommendation_answer"),
    # The officers' forms.
    path("groupes/<int:pk>/reunions/nouvelle/", officer_views.meeting_new, name="meeting_new"),
    path("groupes/<int:pk>/mandats/nouveau/", officer_views.mandate_new, name="mandate_new"),
    path("mandats/<int:pk>/terminer/", officer_views.mandate_end_page, name="mandate_end"),
    path("reunions/<int:pk>/etat/", officer_views.meeting_move, name="meeting_move"),
    path("reunions/<int:pk>/ordre-du-jour/", officer_views.agenda_add, name="agenda_add"),
    path("reunions/<int:pk>/presences/", officer_views.attendance_page, name="meeting_attendance"),
    path("reunions/<int:pk>/decisions/nouvelle/", officer_views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/suivis/nouveau/", officer_views.follow_up_new, name="follow_up_new"),
    path("suivis/<int:pk>/", officer_views.follow_up_detail, name="follow_up"),
    # Search and export of governance records.
    path("recherche/", records_views.governance_search_page, name="governance_search"),
    path("groupes/<int:pk>/export/", records_views.governance_export, name="governance_export"),
]
