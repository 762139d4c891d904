from django.urls import path  # noqa: F401

from .activity_urls import urlpatterns as activity_patterns

app_name = "collective"
urlpatterns: list = [
    *activity_patterns,
]
