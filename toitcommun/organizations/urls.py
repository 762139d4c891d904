from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("nouvelle/", views.organization_create_page, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/modifier/", views.organization_edit, name="edit"),
    path("<int:pk>/membres/", views.membership_add_page, name="membership_add"),
    path("<int:pk>/membres/<int:membership_pk>/fin/", views.membership_end_page, name="membership_end"),
]
