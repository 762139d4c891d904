"""How an API client proves who it is: a bearer token, or the site's own session."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from toitcommun.errors import PermissionRefused

from .selectors import api_token_of_raw, client_ip, lock_message, login_lock_of, login_slowdown_of
from .services import (
    api_token_authenticate,
    api_token_issue,
    api_token_revoke,
    login_failure_record,
)

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``, a token from ``POST /auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]  # DELETE /auth/token revokes it
        return found.user


class SiteSession(APIKeyCookie):
    """The browser's session from the site's login page. Writes must carry the CSRF token.

    Unlike ninja's SessionAuth, a request without a logged-in session is simply not
    authenticated here (401), rather than refused for a missing CSRF token (403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise PermissionRefused(_("Jeton CSRF absent ou invalide : rechargez la page et réessayez."))
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        return request.user if request.user.is_authenticated else None


# Every write endpoint requires one of these; reads are open.
write_auth = [BearerToken(), SiteSession()]


def actor_of(request: HttpRequest) -> Any:
    """The user a write endpoint's authentication found (ninja puts it on ``request.auth``)."""
    return getattr(request, "auth", None)


class Error(Schema):
    detail: str


class TokenRequest(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for; by default the client's user agent")


class TokenOut(Schema):
    token: str
    name: str
    expires_at: datetime.datetime


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


TOKEN_ISSUE_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": TokenRequest.model_json_schema()}},
    },
    "responses": {
        "400": _error("The body is not a JSON object"),
        "401": _error("Bad username or password"),
        "413": _error("The body is too large"),
        "415": _error("The body is not sent as application/json"),
        "429": {**_error("This username is locked from this address, or this address must wait "
                         "(see Retry-After)"),
                "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}},
    },
}


def _refused(status: int, detail: str, response: HttpResponse | None = None, retry_after: int = 0) -> Any:
    if response is not None and retry_after > 0:
        response["Retry-After"] = str(retry_after)
    return Status(status, {"detail": detail})


def _refuse_unreadable(request: HttpRequest, status: int, detail: str, username: str | None = None) -> Any:
    """An unreadable request counts as a failed login, then gets its 4xx."""
    login_failure_record(request=request, username=username)
    request.axes_locked_out = False  # type: ignore[attr-defined]  # answered here, in JSON
    return Status(status, {"detail": detail})


@router.post(
    "/auth/token", response={200: TokenOut, frozenset({400, 401, 413, 415, 429}): Error},
    summary="Exchange a username and password for a token", openapi_extra=TOKEN_ISSUE_OPENAPI,
)
def token_issue(request: HttpRequest, response: HttpResponse) -> Any:
    """A new token for this user, valid API_TOKEN_DAYS days (30 unless configured).

    Every refused request counts as a failed login: after AXES_FAILURE_LIMIT failures the
    username is locked from this address for 30 minutes (429); an address that fails often,
    whatever the usernames, must wait a growing delay between attempts (429 with Retry-After).
    """
    ip_address = client_ip(request)
    wait = login_slowdown_of(ip_address=ip_address)
    if wait:
        return _refused(429, _("Trop d'échecs de connexion depuis votre adresse : réessayez dans %(seconds)s s.")
                        % {"seconds": wait}, response, wait)
    if request.content_type != "application/json":
        return _refuse_unreadable(request, 415, _(
            "Type de contenu non pris en charge : envoyez le nom d'utilisateur et le mot de passe "
            "en JSON (Content-Type: application/json)."))
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:
        return _refuse_unreadable(request, 413, _("Requête trop volumineuse."))
    except (ValueError, RecursionError):
        return _refuse_unreadable(request, 400, _("Requête mal formée : le corps doit être du JSON valide."))
    if not isinstance(data, dict):
        return _refuse_unreadable(request, 400, _(
            "Requête mal formée : le corps doit être un objet JSON avec « username » et « password »."))
    try:
        credentials = TokenRequest.model_validate(data)
    except pydantic.ValidationError as invalid:
        username = data.get("username") if isinstance(data.get("username"), str) else None
        login_failure_record(request=request, username=username)
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise ValidationError([dict(error) for error in invalid.errors()]) from invalid
    try:
        raw = api_token_issue(username=credentials.username, password=credentials.password,
                              name=credentials.name, request=request)
    except PermissionRefused as refusal:
        if getattr(request, "axes_locked_out", False):
            # The lockout is recorded; answer it in JSON here rather than with the login page's HTML.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            return _locked(credentials.username, ip_address, response)
        raise AuthenticationError(message=str(refusal)) from refusal
    token = api_token_of_raw(raw)
    assert token is not None
    return {"token": raw, "name": token.name, "expires_at": token.expires_at}


def _locked(username: str, ip_address: str, response: HttpResponse) -> Any:
    lock = login_lock_of(username=username, ip_address=ip_address)
    if lock is None:  # the lock ended between the check and now
        return _refused(429, _("Trop d'échecs de connexion : réessayez dans un moment."))
    retry_after = max(1, math.ceil((lock.until - timezone.now()).total_seconds()))
    return _refused(429, lock_message(lock), response, retry_after)


@router.delete(
    "/auth/token", response={204: None, 401: Error}, auth=[BearerToken()],
    summary="Revoke the token this request is sent with",
)
def token_revoke(request: HttpRequest) -> Any:
    """The token in ``Authorization: Bearer`` stops working at once. List and revoke the
    others from the site, at /comptes/jetons/."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise AuthenticationError()
    api_token_revoke(actor=token.user, token_id=token.pk)
    return Status(204, None)
