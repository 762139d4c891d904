from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("suggestions/", views.suggest, name="suggest"),
    path("<str:code>/", views.detail, name="detail"),
]
