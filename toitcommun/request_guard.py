"""Requests refused before any view reads them: a NUL character, a body over the limit.

- A NUL character (``%00``) has no meaning in an address, a parameter or a form field,
  and PostgreSQL refuses it in text: the request is refused with 400 wherever it is
  (path, query string, URL-encoded form, JSON body), before a query can meet it.
- A body larger than the limit is refused with 413 from its ``Content-Length``, before
  a byte of it is read: ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for forms and JSON,
  ``UPLOAD_MAX_BYTES`` for a multipart body, unless its view sets its own limit
  (``toitcommun.uploads.upload_limit``, whose middleware answers it with the view's page).

Under /api/ the answer is the API's JSON ``{"detail": ...}``; on pages, the site's own
error page (handler400, which answers 413 for ``RequestDataTooBig``). A multipart body
is looked at once its view is known (``process_view``, before the CSRF check reads it);
one sent to the API is left to the operation (none takes one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from toitcommun.uploads import MULTIPART_ALLOWANCE

API_PREFIX = "/api/"
NUL = "\x00"
# A JSON escape for NUL, not itself escaped: \u0000 after an even number of backslashes.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        """The address, the query string, and any body but a multipart one."""
        if NUL in request.path_info or _has_nul(request.GET.lists()):
            return _bad_request(request)
        length = _content_length(request)
        if length is None:
            return _bad_request(request, _("Requête mal formée : l'en-tête Content-Length n'est pas un nombre."))
        if not length or request.content_type == "multipart/form-data":
            return None  # a multipart body waits for its view (process_view)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return _too_large(request, limit)
        try:
            if request.content_type == "application/x-www-form-urlencoded":
                return _bad_request(request) if _has_nul(request.POST.lists()) else None
            body = request.body
        except RequestDataTooBig:
            return _too_large(request, limit)
        return _bad_request(request) if NUL.encode() in body or _JSON_NUL.search(body) else None

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        """A multipart body, once its view is known: a view that takes files may set its own limit."""
        if request.content_type != "multipart/form-data" or request.path.startswith(API_PREFIX):
            return None
        own_limit = getattr(view_func, "upload_max_bytes", None)
        limit = settings.UPLOAD_MAX_BYTES if own_limit is None else own_limit + MULTIPART_ALLOWANCE
        if (_content_length(request) or 0) > limit:
            # A view with its own limit answers with its own page (toitcommun.uploads, next in line).
            return _too_large(request, limit) if own_limit is None else None
        try:
            fields = request.POST
        except MultiPartParserError:
            return _bad_request(request, _("Requête mal formée : le formulaire envoyé ne peut pas être lu."))
        except RequestDataTooBig:
            return _too_large(request, limit)
        return _bad_request(request) if _has_nul(fields.lists()) else None


def _content_length(request: HttpRequest) -> int | None:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return None


def _has_nul(items: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)


def _bad_request(request: HttpRequest, message: str | None = None) -> HttpResponse:
    message = message or _("Requête refusée : le caractère nul (code 0) n'est permis ni dans l'adresse, "
                           "ni dans les paramètres, ni dans les champs envoyés.")
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    raise BadRequest(message)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    megabytes = number_format(round(limit / 1024 / 1024, 1))
    message = _("Requête trop volumineuse : le corps dépasse la limite de %(megabytes)s Mo.") % {
        "megabytes": megabytes}
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=413)
    raise RequestDataTooBig(message)
