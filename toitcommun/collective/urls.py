from django.urls import path  # noqa: F401 - the routes come with the issue that builds this app

app_name = "collective"
urlpatterns: list = []
