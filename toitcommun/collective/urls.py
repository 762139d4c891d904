from django.urls import path

from . import governance_views
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
]
