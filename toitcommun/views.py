"""The home page, and the pages every error answers with.

Each error page is in the site's layout and the request's language, says what
happened and where to go next. Under /api/ the same errors answer JSON with a
``detail``, as the API's own errors do (toitcommun/api.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language link: remembers the language in its cookie and goes back to the page.

    A GET, not a form: changing a display preference harms nobody, and the pages then carry no
    per-visitor token, so one cached copy of a public page serves every visitor. Only an address
    of this site is followed back; anything else goes to the home page.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and tools ask for whatever the page links: the SVG icon."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_detail(status: int) -> str:
    details = {
        400: _("Requête mal formée."),
        403: _("Accès refusé."),
        404: _("Introuvable."),
        405: _("Méthode non permise pour cette adresse."),
        410: _("Cette ressource a été retirée."),
        413: _("Requête trop volumineuse."),
        429: _("Trop de requêtes : réessayez plus tard."),
        500: _("Erreur interne du serveur : elle a été consignée."),
    }
    return details.get(status, _("Erreur."))


def error_page(request: HttpRequest, status: int, *, template: str | None = None,
               context: dict[str, Any] | None = None) -> HttpResponse:
    """The page for an HTTP error (``<status>.html`` unless ``template`` says otherwise).

    Other parts of the site answer their own errors with it, e.g. ``error_page(request, 429,
    context={"until": moment})`` for a lockout or ``error_page(request, 413, context={"limit":
    "10 Mo"})`` for an over-large body. Under /api/ it answers ``{"detail": ...}`` instead.
    """
    if is_api(request):
        return JsonResponse({"detail": _api_detail(status)}, status=status)
    name = template or f"{status}.html"
    context = {"status": status, **(context or {})}
    try:
        return render(request, name, context, status=status)
    except Exception:
        # The page itself failed (a context processor, the database): the plain page still answers.
        logger.exception("error page %s failed to render with the request context", status)
        return _plain_page(request, status, name, context)


def _plain_page(request: HttpRequest, status: int, name: str, context: dict[str, Any]) -> HttpResponse:
    """An error page rendered without context processors, or as bare text if even that fails."""
    try:
        plain = {**context, "request": request, "csrf_token": get_token(request)}
        body = loader.get_template(name).template.render(Context(plain))  # type: ignore[attr-defined]
    except Exception:
        logger.exception("error page %s failed to render", status)
        body = (f"<!doctype html><title>{status}</title><h1>{status}</h1>"
                f"<p>{_('Une erreur est survenue.')} <a href=\"/\">{_('Accueil')}</a></p>")
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400; a body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return error_page(request, 413)
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: the refusal's reason, when the code gave one (our services' are translated)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return error_page(request, 403, context={"reason": reason})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the same answer whether the page does not exist or is not the reader's."""
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: rendered without the context processors, which may be what failed."""
    if is_api(request):
        return JsonResponse({"detail": _api_detail(500)}, status=500)
    return _plain_page(request, 500, "500.html", {"status": 500})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired or foreign form, said in plain words (the reason is logged by Django)."""
    return error_page(request, 403, template="403_csrf.html")
