"""HSDS 3.0 documents as files: the schemas we validate against, reading a file, and the errors.

The JSON Schemas are a copy of the specification's (data/hsds/, HSDS 3.0.0,
CC BY-SA 4.0): validation works offline.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as ValidationError_
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from toitcommun.errors import ServiceError

HSDS_VERSION = "3.0.0"
HSDS_DIR = Path(settings.BASE_DIR) / "data" / "hsds"
SCHEMA_DIR = HSDS_DIR / "schema"

# A service area that is one of our territories says so in HSDS's own "persistent
# identifier of an area" field: urn:toitcommun:territory:31084 (QC, region, MRC or municipality).
TERRITORY_URN = "urn:toitcommun:territory:"
# HSDS link_type is an open code list ("e.g. the service eligibility or intended audience").
LINK_CATEGORY = "category"
LINK_AUDIENCE = "audience"

ACCESSIBILITY_KEY = "accessibility"


# What we read from each HSDS object. Any other key is dropped on import (and counted in
# ImportReport.dropped_fields). Link ids implied by the nesting (service_id, location_id...)
# are read from the nesting, not from the keys.
READ: dict[str, set[str]] = {
    "service": {"id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                "interpretation_services", "application_process", "fees_description",
                "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
                "alert", "last_modified", "phones", "schedules", "service_areas", "service_at_locations",
                "languages", "organization", "contacts", "attributes"},
    "organization": {"id", "name", "alternate_name", "description", "email", "website", "phones"},
    "service_at_location": {"id", "service_id", "location_id", "description", "schedules", "location", "phones"},
    "location": {"id", "location_type", "organization_id", "name", "description", "transportation",
                 "latitude", "longitude", "addresses", "phones", "schedules", "accessibility", "languages"},
    "address": {"id", "location_id", "attention", "address_1", "address_2", "city", "region",
                "state_province", "postal_code", "country", "address_type"},
    "phone": {"id", "service_id", "location_id", "organization_id", "contact_id", "service_at_location_id",
              "number", "extension", "type", "description", "languages"},
    "schedule": {"id", "service_id", "location_id", "service_at_location_id", "freq", "byday", "opens_at",
                 "closes_at", "valid_from", "valid_to", "description", "interval", "wkst", "dtstart", "until",
                 "count", "bymonthday", "byweekno", "byyearday", "timezone", "schedule_link", "attending_type",
                 "notes"},
    "service_area": {"id", "service_id", "name", "description", "uri"},
    "language": {"id", "service_id", "location_id", "phone_id", "name", "code", "note"},
    "contact": {"id", "service_id", "name", "title", "department", "email", "phones"},
    "accessibility": {"id", "location_id", "description", "details"},
    "attribute": {"id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "taxonomy_term"},
    "taxonomy_term": {"id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id",
                      "taxonomy_detail", "language"},
}


# ---- validation --------------------------------------------------------------------------

def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _closed(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object that lists its properties."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        closed["additionalProperties"] = False
    return closed


@functools.cache
def validator(strict: bool = True) -> Draft202012Validator:
    """A validator of HSDS 3.0 ``service`` documents, from the schemas in data/hsds/schema.

    The schemas link to each other by file name ("phone.json"); every file is loaded into
    the registry up front, so nothing is ever fetched. ``strict`` refuses keys the
    specification does not define, as the specification's own CI does
    (``--set-additional-properties-false-everywhere``).
    """
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = _load(path)
        if strict:
            schema = _closed(copy.deepcopy(schema))
        resources.append((path.name, DRAFT202012.create_resource(schema)))
    registry: Registry[Any] = Registry().with_resources(resources)
    root = registry.contents("service.json")
    return Draft202012Validator(root, registry=registry, format_checker=FormatChecker())


class HsdsError(NamedTuple):
    """One reason a document was refused: the file, where in it (a JSON path) and why."""

    file: str
    path: str
    message: str

    def describe(self) -> str:
        return f"{self.file} {self.path}: {self.message}"


class HsdsRejected(ServiceError):
    """Some documents were refused; nothing of the run was imported. ``errors`` says why."""

    def __init__(self, errors: list[HsdsError]) -> None:
        super().__init__("; ".join(e.describe() for e in errors[:5]))
        self.errors = errors


def schema_errors(name: str, document: Any, *, strict: bool = True) -> list[HsdsError]:
    """Every way the document breaks the HSDS 3.0 service schema, in document order."""
    found = validator(strict).iter_errors(document)
    ordered = sorted(found, key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    return [HsdsError(name, e.json_path, _schema_message(e)) for e in ordered]


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _schema_message(error: ValidationError_) -> str:
    """A schema error in the reader's language, naming the field and the reason."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = _REQUIRED.match(error.message)
        return _("le champ « %(field)s » est obligatoire.") % {"field": missing[1] if missing else expected}
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        unknown = ", ".join(sorted(k for k in value if k not in known))
        return _("champ inconnu de HSDS 3.0 : « %(fields)s ».") % {"fields": unknown}
    if keyword == "type":
        return _("« %(value)s » n'est pas du type %(type)s.") % {"value": _shown(value), "type": _shown(expected)}
    if keyword == "format":
        return _("« %(value)s » n'est pas au format %(format)s.") % {"value": _shown(value), "format": expected}
    if keyword == "enum":
        return _("« %(value)s » n'est pas une des valeurs permises : %(values)s.") % {
            "value": _shown(value), "values": ", ".join(_shown(v) for v in expected)}
    return _("ne respecte pas le schéma HSDS (%(keyword)s) : %(detail)s") % {"keyword": keyword,
                                                                           "detail": error.message}


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


# An HSDS service document nests about eight levels deep and its numbers are ages, extensions
# and coordinates: far past these, a file is an attack or an accident, refused before parsing
# (Python's parser would recurse until it fails, or spend seconds converting the digits).
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 30
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_REQUIRED = re.compile(r"^'(.*)' is a required property$")
_BRACKET = re.compile(r"[\[\]{}]")


class _Unreadable(ValueError):
    """A file we refuse to parse; the message says why, in the reader's language."""


def _no_constant(name: str) -> Any:
    raise _Unreadable(_("%(name)s n'est pas un nombre JSON.") % {"name": name})


def _number(kind: type) -> Any:
    def parse(text: str) -> Any:
        if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
            raise _Unreadable(_("un nombre a %(n)s chiffres ; nous en lisons au plus %(max)s.")
                              % {"n": len(text.lstrip("-")), "max": MAX_NUMBER_DIGITS})
        return kind(text)
    return parse


def nesting_depth(text: str) -> int:
    """How deep the text's arrays and objects nest, without parsing it (strings set aside)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_document(text: str) -> Any:
    """JSON text to a document, refusing NaN and Infinity, deep nesting and overlong numbers (_Unreadable)."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise _Unreadable(_("le document s'imbrique sur %(depth)s niveaux ; nous en lisons au plus %(max)s.")
                          % {"depth": depth, "max": MAX_DEPTH})
    try:
        return json.loads(text, parse_constant=_no_constant, parse_int=_number(int), parse_float=_number(float))
    except json.JSONDecodeError as exc:
        raise _Unreadable(_("ce n'est pas du JSON valide (ligne %(line)s, colonne %(column)s).")
                          % {"line": exc.lineno, "column": exc.colno}) from None


def read_document(item: Path | tuple[str, Any]) -> tuple[str, Any, HsdsError | None]:
    """A file (or a name and an already parsed document): its name, its document, or why it cannot be read."""
    if isinstance(item, tuple):
        return item[0], item[1], None
    try:
        text = item.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return item.name, None, HsdsError(item.name, "$", _("le fichier n'est pas en UTF-8."))
    except OSError as exc:
        return item.name, None, HsdsError(item.name, "$", _("fichier illisible : %(reason)s")
                                          % {"reason": exc.strerror or exc})
    try:
        return item.name, parse_document(text), None
    except _Unreadable as exc:
        return item.name, None, HsdsError(item.name, "$", str(exc))
