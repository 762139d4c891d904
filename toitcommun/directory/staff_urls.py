"""Staff pages of the resource directory, under /repertoire/gestion/."""

from django.urls import URLPattern

app_name = "directory_staff"
urlpatterns: list[URLPattern] = []
