"""The site's URLs plus one page that fails: for the server-error page's tests."""

from django.urls import path

from toitcommun.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [*urlpatterns, path("en-panne/", broken), path("api/v1/en-panne", broken)]
