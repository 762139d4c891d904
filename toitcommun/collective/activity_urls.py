from django.urls import path

from . import activity_views as views

urlpatterns = [
    path("calendrier/<str:code>/", views.calendar_territory, name="calendar"),
    path("calendrier/immeuble/<int:pk>/", views.calendar_building, name="calendar_building"),
    path("activites/nouvelle/", views.activity_create_page, name="activity_create"),
    path("activites/<int:pk>/", views.activity_detail, name="activity"),
    path("activites/<int:pk>/modifier/", views.activity_edit, name="activity_edit"),
    path("activites/<int:pk>/presences/", views.activity_attendance, name="activity_attendance"),
    path("activites/<int:pk>/publier/", views.activity_publish_page, name="activity_publish"),
    path("activites/<int:pk>/annuler/", views.activity_cancel_page, name="activity_cancel"),
    path("activites/<int:pk>/photos/ajouter/", views.activity_photo_add_page, name="activity_photo_add"),
    path("activites/<int:pk>/photos/<int:photo_pk>/", views.activity_photo, name="activity_photo"),
    path("activites/<int:pk>/photos/<int:photo_pk>/retirer/", views.activity_photo_remove_page,
         name="activity_photo_remove"),
]

from . import project_views  # noqa: E402

urlpatterns += [
    path("projets/", project_views.project_list, name="projects"),
    path("projets/nouveau/", project_views.project_create_page, name="project_create"),
    path("projets/<int:pk>/", project_views.project_detail, name="project"),
    path("projets/<int:pk>/modifier/", project_views.project_edit_page, name="project_edit"),
    path("plans/", project_views.plan_list, name="action_plans"),
    path("plans/nouveau/", project_views.plan_create_page, name="plan_create"),
    path("plans/<int:pk>/", project_views.plan_detail, name="action_plan"),
    path("plans/<int:pk>/modifier/", project_views.plan_edit_page, name="plan_edit"),
    path("plans/<int:pk>/objectifs/", project_views.plan_objective_add_page, name="plan_objective_add"),
    path("plans/<int:pk>/objectifs/<int:objective_pk>/actions/", project_views.plan_action_add_page,
         name="plan_action_add"),
    path("plans/<int:pk>/actions/<int:action_pk>/suivi/", project_views.plan_action_follow_page,
         name="plan_action_follow"),
]

from . import feed_views, public_views  # noqa: E402

urlpatterns += [
    path("calendrier/groupe/<int:pk>/", views.calendar_group, name="calendar_group"),
    path("mon-calendrier/", feed_views.my_calendar, name="my_calendar"),
    path("locataires/<str:code>/", public_views.tenants_territory, name="tenants"),
    path("locataires/immeuble/<int:pk>/", public_views.tenants_building, name="tenants_building"),
]
