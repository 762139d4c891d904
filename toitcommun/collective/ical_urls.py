from django.urls import path

from . import ical_views as views

app_name = "calendar_feeds"
urlpatterns = [
    path("territoire/<str:code>.ics", views.territory_feed, name="territory"),
    path("groupe/<int:pk>.ics", views.group_feed, name="group"),
    path("personnel/<str:token>.ics", views.personal_feed, name="personal"),
]
