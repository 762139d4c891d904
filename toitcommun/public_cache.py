"""Whole answers to anonymous visitors, kept in Django's cache until someone writes.

What a public page or an API read shows changes only when someone writes, and every
writing service ends by sealing an event in the audit log (toitcommun.access.services.
audit_record). The last event's id is therefore the *generation* of what is written: it
is part of every key, so the first request after a write, in any process, misses and
builds the answer afresh; the old answers are never read again and expire. No list of
keys to delete, nothing to forget when a new service is added, and the same with a
per-process local-memory cache as with one shared by every machine (CACHES, default alias).

An answer is kept only when nothing in it belongs to its visitor:

- the request is a GET or HEAD with no session cookie (``request.user`` anonymous), no
  message waiting to be shown and no ``Authorization`` header;
- the address is a public page (PAGES) or a read of the API;
- the answer is a 200 that sets no cookie and used no CSRF token, and the session was
  not touched.

The key holds everything the answer depends on: method, path and query string, the
language, whether htmx asked for a fragment, the generation, today's date (a housing page
shows the figures known today); and, for pages that say what is open now, how many of the
day's opening and closing times have passed (``open_now_moment``): their badges change only
then, so a page is built again a dozen times a day rather than every minute, when every
process would rebuild every search at once.
Each answer kept gets an ETag, so a browser asking again with ``If-None-Match`` is
answered 304 (django.middleware.http.ConditionalGetMiddleware).

``PUBLIC_CACHE_SECONDS`` (default 60; 0 turns it off) bounds how long an answer is kept.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import set_response_etag

# Public pages whose answer depends on the address, the language and what is written.
PAGES = re.compile(
    r"^/(?:"
    r"|repertoire/(?:services/[^/]+/(?:fiche/)?)?"
    r"|logement/(?:disponibles|parc)/[^/]+/(?:carte\.json)?"
    r"|territoires/(?:[^/]+/)?"
    r"|organisations/(?:\d+/)?"
    # A month of activities of a territory, a building or a group (the month asked, or today's).
    r"|vie-collective/calendrier/(?:(?:immeuble|groupe)/)?[^/]+/"
    r")$"
)
API_READS = re.compile(r"^/api/v1/(?!auth/)")
# Pages and reads that say which services are open now: kept until the next opening or closing time.
SAYS_OPEN_NOW = re.compile(r"^/(?:repertoire/|api/v1/directory/)")
# Exports are files, large and rarely asked twice.
NOT_KEPT_PARAMETERS = ("format",)
HEADERS_KEPT = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "X-Frame-Options",
                "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
                "Cross-Origin-Opener-Policy")


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 60))


def generation() -> int:
    """The id of the audit log's last event: it changes with every write a service makes."""
    from toitcommun.access.models import AuditEvent

    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if any(name in request.GET for name in NOT_KEPT_PARAMETERS):
        return False
    path = request.path
    if not (PAGES.match(path) or API_READS.match(path)):
        return False
    # A session (even an anonymous one) or a message waiting to be shown belongs to its visitor.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


# The day's opening and closing times, read once per process for a day and a generation (a write of
# opening hours seals an audit event, so it changes the generation).
_boundaries: dict[tuple[datetime.date, int], tuple[datetime.time, ...]] = {}


def open_now_moment(now: datetime.datetime, written: int) -> str:
    """The date and how many of its opening and closing times have passed at ``now`` (local): "open now"
    is the same for every service until the next one passes."""
    from toitcommun.directory.selectors import opening_boundaries

    local = timezone.localtime(now)
    key = (local.date(), written)
    times = _boundaries.get(key)
    if times is None:
        times = opening_boundaries(local)
        _boundaries.clear()
        _boundaries[key] = times
    return f"{local.date().isoformat()}#{bisect_right(times, local.time().replace(tzinfo=None))}"


def key_for(request: HttpRequest, now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now)
    written = generation()
    moment = open_now_moment(now, written) if SAYS_OPEN_NOW.match(request.path) else now.date().isoformat()
    parts = [
        request.method or "GET", request.path, request.META.get("QUERY_STRING", ""),
        translation.get_language() or "", "htmx" if request.headers.get("HX-Request") else "",
        str(written), moment,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"public:{digest}"


def keepable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _stored(response: HttpResponse) -> dict[str, Any]:
    if not response.has_header("ETag"):
        set_response_etag(response)
    headers = {name: response[name] for name in (*HEADERS_KEPT, "ETag") if response.has_header(name)}
    return {"content": response.content, "headers": headers}


def _answer(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"])
    for name, value in stored["headers"].items():
        response[name] = value
    response["X-Public-Cache"] = "hit"
    return response


class PublicCacheMiddleware:
    """Answers an anonymous public read from the cache, or keeps the answer the view gives.

    Placed after AuthenticationMiddleware (it needs ``request.user``); the middleware after
    it runs only on a miss, and the headers it adds are kept with the answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = seconds()
        if timeout <= 0 or not cacheable_request(request):
            return self.get_response(request)
        key = key_for(request)
        stored = cache.get(key)
        if stored is not None:
            return _answer(stored)
        response = self.get_response(request)
        if keepable_response(request, response):
            cache.set(key, _stored(response), timeout)
        return response
