"""Requests refused before any view reads them: a NUL character, a body over the limit.

- A NUL character (``%00``) has no meaning in an address, a parameter or a form field,
  and PostgreSQL refuses it in text: the request is refused with 400 wherever it is
  (path, query string, URL-encoded form, JSON body), before a query can meet it.
- A body larger than the limit is refused with 413 from its ``Content-Length``, before
  a byte of it is read: ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for forms and JSON,
  ``UPLOAD_MAX_BYTES`` for a multipart upload (files are what it is for).

Under /api/ the answer is the API's JSON ``{"detail": ...}``; on pages, the site's own
error page (handler400, which answers 413 for ``RequestDataTooBig``). A multipart body
sent to the API is left to the operation (none takes one); on pages its fields are read
here, as the CSRF check would read them next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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
        if NUL in request.path_info or _has_nul(request.GET.lists()):
            return _bad_request(request)
        multipart = request.content_type == "multipart/form-data"
        limit = settings.UPLOAD_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _bad_request(request, _("Requête mal formée : l'en-tête Content-Length n'est pas un nombre."))
        if length > limit:
            return _too_large(request, limit)
        if not length:
            return None
        if multipart or request.content_type == "application/x-www-form-urlencoded":
            if multipart and request.path.startswith(API_PREFIX):
                return None  # no API operation takes multipart: each answers it itself
            try:
                fields = request.POST
            except MultiPartParserError:
                return _bad_request(request, _("Requête mal formée : le formulaire envoyé ne peut pas être lu."))
            except RequestDataTooBig:
                return _too_large(request, limit)
            return _bad_request(request) if _has_nul(fields.lists()) else None
        try:
            body = request.body
        except RequestDataTooBig:
            return _too_large(request, limit)
        if NUL.encode() in body or _JSON_NUL.search(body):
            return _bad_request(request)
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
