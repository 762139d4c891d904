"""How an API client proves who it is: a bearer token, or the site's own session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from toitcommun.errors import PermissionRefused

from .services import api_token_issue, api_token_user

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``, a token from ``POST /auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return api_token_user(token)


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


class TokenRequest(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/auth/token", response=TokenOut, summary="Exchange a username and password for a token")
def token_issue(request: HttpRequest, payload: TokenRequest) -> dict[str, str]:
    try:
        raw = api_token_issue(username=payload.username, password=payload.password, request=request)
    except PermissionRefused as refusal:
        if getattr(request, "axes_locked_out", False):
            # The lockout is recorded; answer it in JSON here rather than with the login page's HTML.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            raise HttpError(429, _("Trop d'échecs de connexion : ce compte est verrouillé pour un moment.")) from refusal
        raise AuthenticationError(message=str(refusal)) from refusal
    return {"token": raw}
