from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api
from .directory.views import short_address
from .views import favicon, home, language_switch

handler400 = "toitcommun.views.bad_request"
handler403 = "toitcommun.views.permission_denied"
handler404 = "toitcommun.views.page_not_found"
handler500 = "toitcommun.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("langue/<str:code>/", language_switch, name="language_switch"),
    path("comptes/", include("toitcommun.access.urls")),
    path("territoires/", include("toitcommun.territory.urls")),
    path("organisations/", include("toitcommun.organizations.urls")),
    path("logement/", include("toitcommun.housing.urls")),
    path("repertoire/gestion/", include("toitcommun.directory.staff_urls")),
    path("repertoire/", include("toitcommun.directory.urls")),
    path("s/<str:code>", short_address, name="short_address"),  # a service's short address, for paper
    path("personnes/", include("toitcommun.people.urls")),
    path("soutien/", include("toitcommun.support.urls")),
    path("vie-collective/", include("toitcommun.collective.urls")),
    path("travaux/", include("toitcommun.jobs.urls")),
    path("calendrier/", include("toitcommun.collective.ical_urls")),
    path("api/v1/", api.urls),
    # The admin signs in through the site's login page, which slows down a guessing address.
    path("admin/login/", RedirectView.as_view(pattern_name="access:login", query_string=True)),
    path("admin/", admin.site.urls),
]
