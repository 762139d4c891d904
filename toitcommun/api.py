"""The JSON API at /api/v1/: each app's router, and one way of answering every error.

Every refusal a service gives (toitcommun.errors) and every bad input ninja finds becomes
a JSON answer with a ``detail``, in the request's language (French unless the request
says ``Accept-Language: en``):

- 400 (a NUL character, a body that is not JSON), 401, 403, 404, 413 (a body over the
  limit), 429: ``{"detail": "<reason>"}``
- 422: ``{"detail": [{"field": "<name or null>", "message": "<reason>"}, ...]}``
- 409: ``{"detail": "<reason>", "current": {<the record as stored now>}, "version": <n>}``
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from toitcommun.access.api import router as access_router
from toitcommun.api_params import pattern_message
from toitcommun.collective.api import router as collective_router
from toitcommun.directory.api import router as directory_router
from toitcommun.directory.hsds_api import router as hsds_router
from toitcommun.errors import (
    Conflict,
    NotFound,
    PermissionRefused,
    ServiceError,
    ValidationFailed,
    VersionConflict,
)
from toitcommun.housing.api import router as housing_router
from toitcommun.organizations.api import router as organizations_router
from toitcommun.people.api import router as people_router
from toitcommun.people.duties_api import router as duties_router
from toitcommun.people.privacy_api import router as privacy_router
from toitcommun.support.api import router as support_router
from toitcommun.territory.api import router as territory_router

logger = logging.getLogger(__name__)

# The forms name a foreign key after the model field; the API names it after what is sent.
API_FIELD_NAMES = {"municipality": "municipality_code", "organization": "organization_id", "__all__": None}


class ToitCommunAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Built once per process and language, then served from memory (building it takes ~20 ms of CPU).

        The routes cannot change while the process runs. The document kept is handed out as it
        is (the view only encodes it): callers must not change it.
        """
        key = (path_prefix, repr(sorted((path_params or {}).items())), get_language())
        if key not in self._openapi_documents:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            _document_errors(schema)
            self._openapi_documents[key] = schema
        return self._openapi_documents[key]

    @cached_property
    def _openapi_documents(self) -> dict[tuple[Any, ...], Any]:
        return {}


api = ToitCommunAPI(
    title="Toit commun",
    version="1",
    description=(
        "Territories, organizations and the social and community housing stock of Québec. "
        "Reads are open; writes need `Authorization: Bearer <token>` (see POST /auth/token) "
        "or the site's session with its CSRF token."
    ),
    urls_namespace="api",
    # The site's Content-Security-Policy forbids the CDN scripts the Swagger page loads:
    # publish the OpenAPI document only (/api/v1/openapi.json).
    docs_url=None,
)
api.add_router("", access_router)
api.add_router("", territory_router)
api.add_router("", housing_router)
api.add_router("", organizations_router)
api.add_router("/hsds", hsds_router)
api.add_router("/directory", directory_router)
api.add_router("", people_router)
api.add_router("", privacy_router)
api.add_router("", duties_router)
api.add_router("", support_router)
api.add_router("", collective_router)


class Pong(Schema):
    status: str


@api.get("/ping", response=Pong, summary="A constant answer: the process is up (load balancers, bench/load.py)")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


def _answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _field_errors(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return _answer(request, 422, {"detail": errors})


@api.exception_handler(ValidationFailed)
def on_validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return _field_errors(request, [
        {"field": API_FIELD_NAMES.get(field, field), "message": str(message)}
        for field, messages in exc.errors.items()
        for message in messages
    ])


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    # A unique-constraint race: the same reasons as a 422, answered as the conflict it is.
    reasons = [(API_FIELD_NAMES.get(field, field), str(message))
               for field, messages in exc.errors.items() for message in messages]
    body: dict[str, Any] = {
        "detail": " ".join(message for _field, message in reasons),
        "errors": [{"field": field, "message": message} for field, message in reasons],
    }
    if exc.current is not None:
        body |= {"current": exc.current, "version": exc.current_version}
    return _answer(request, 409, body)


@api.exception_handler(ValidationError)
def on_bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _field_errors(request, [
        {"field": _field_of(error.get("loc", ())), "message": _message_of(error)} for error in exc.errors
    ])


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != AuthenticationError().message else _(
        "Authentification requise : envoyez « Authorization: Bearer <jeton> » (voir POST /api/v1/auth/token)."
    )
    response = _answer(request, 401, {"detail": message})
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionRefused)
def on_permission_refused(request: HttpRequest, exc: PermissionRefused) -> HttpResponse:
    return _answer(request, 403, {"detail": str(exc)})


@api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _answer(request, 404, {"detail": str(exc)})


@api.exception_handler(Http404)
def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, {"detail": _("Introuvable.")})


@api.exception_handler(VersionConflict)
def on_version_conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    return _answer(request, 409, {
        "detail": _("Quelqu'un a enregistré ce dossier depuis votre lecture : voici la version actuelle."),
        "current": exc.current,
        "version": exc.current_version,
    })


@api.exception_handler(ServiceError)
def on_other_refusal(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _answer(request, 400, {"detail": str(exc)})


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own messages are in English; ours arrive already translated.
    ninja_messages = {
        "Cannot parse request body": _("Requête mal formée : le corps doit être du JSON valide."),
        "Forbidden": _("Accès refusé."),
        "Too many requests.": _("Trop de requêtes : réessayez plus tard."),
    }
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "Cannot parse request body"
    return _answer(request, exc.status_code, {"detail": ninja_messages.get(message, message)})


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API request %s %s failed", request.method, request.path, exc_info=exc)
    return _answer(request, 500, {"detail": _("Erreur interne : l'équipe technique en est avisée.")})


# ---- translating ninja's (pydantic's) validation errors ------------------------------------

_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_of(loc: Any) -> str | None:
    """('query', 'date') -> 'date'; ('body', 'payload', 'name') -> 'name'; a whole body -> None.

    An item of a list is named by its list, as the forms name it: ('body', 'payload', 'clienteles', 0)
    -> 'clienteles'.
    """
    parts = [p for p in loc if not isinstance(p, int)]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts:
            parts = parts[1:]  # the endpoint's name for the body (payload)
    return ".".join(str(p) for p in parts) or None


def _message_of(error: dict[str, Any]) -> str:
    kind: str = error.get("type", "")
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    if kind.startswith(("date", "datetime")):
        return _("Entrez une date valide au format AAAA-MM-JJ.")
    if kind.startswith("int"):
        return _("Entrez un nombre entier.")
    if kind.startswith(("decimal", "float")):
        return _("Entrez un nombre.")
    if kind.startswith("bool"):
        return _("Entrez true ou false.")
    if kind == "string_too_short":
        return _("Ce champ est obligatoire.")  # the shortest any text must be is one character
    if kind == "string_too_long":
        return _("Au plus %(max)s caractères.") % {"max": ctx.get("max_length", "")}
    if kind == "string_pattern_mismatch":
        return pattern_message(str(ctx.get("pattern", "")))
    if kind.startswith("string"):
        return _("Entrez du texte.")
    if kind == "too_long":
        return _("Au plus %(max)s éléments.") % {"max": ctx.get("max_length", "")}
    if kind.startswith("uuid"):
        return _("Entrez un identifiant valide (UUID).")
    if kind in ("enum", "literal_error"):
        return _("Valeur inconnue : choisissez parmi %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("La valeur doit être au moins %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("La valeur doit être au plus %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Envoyez un objet JSON.")
    return _("Valeur invalide.")


# ---- the error answers, in the OpenAPI document -------------------------------------------

_ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "properties": {"detail": {"type": "array", "items": {
            "type": "object",
            "properties": {"field": {"type": ["string", "null"]}, "message": {"type": "string"}},
            "required": ["field", "message"],
        }}},
        "required": ["detail"],
    },
    "Conflict": {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "current": {"type": "object", "description": "The record as stored now"},
            "version": {"type": "integer"},
        },
        "required": ["detail", "current", "version"],
    },
}


def _error(description: str, schema: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _document_errors(schema: dict[str, Any]) -> None:
    schema.setdefault("components", {}).setdefault("schemas", {}).update(_ERROR_SCHEMAS)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # Any route: toitcommun.request_guard refuses a NUL character and an over-large body
            # before the operation runs; an operation with a body refuses one that is not JSON.
            responses.setdefault("400", _error(
                "Malformed request: a NUL character in the address, a parameter or the body"
                + ("; a body that is not valid JSON" if "requestBody" in operation else ""), "Error"))
            responses.setdefault("413", _error("Request body over the size limit (2.5 MB), refused unread",
                                               "Error"))
            responses.setdefault("422", _error("Bad input: each field and the reason", "FieldErrors"))
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "{" in path or names & {"territory", "parent"}:
                responses.setdefault("404", _error("Unknown object or territory", "Error"))
            if method in ("post", "patch") and operation.get("security"):
                responses.setdefault("401", _error("Missing or bad token", "Error"))
                responses.setdefault("403", _error("Not allowed", "Error"))
            if method == "patch":
                responses.setdefault("409", _error("Stale version: the current record and version", "Conflict"))
            if path.endswith("/auth/token"):
                responses.setdefault("401", _error("Bad username or password", "Error"))
