"""The site's URLs plus pages that fail on purpose, so the walk sees every error page a server can send."""

import datetime

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.urls import path
from django.utils import timezone

from toitcommun.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401
from toitcommun.views import csrf_failure, error_page


def bad_request(request):
    raise SuspiciousOperation("a request the site cannot read")


def too_big(request):
    raise RequestDataTooBig("a body over the limit")


def too_many(request):
    return error_page(request, 429, context={"until": timezone.now() + datetime.timedelta(minutes=30)})


def broken(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [
    *urlpatterns,
    path("__erreur__/400/", bad_request, name="walk_400"),
    path("__erreur__/403-formulaire/", csrf_failure, name="walk_403_csrf"),
    path("__erreur__/413/", too_big, name="walk_413"),
    path("__erreur__/429/", too_many, name="walk_429"),
    path("__erreur__/500/", broken, name="walk_500"),
]
