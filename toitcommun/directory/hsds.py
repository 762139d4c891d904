"""The directory as Open Referral HSDS 3.0 documents: validation, export and import.

One HSDS ``service`` document per service, with its organization, places,
phones, opening hours, service areas, languages, contacts and taxonomy
attributes nested in it. Every record keeps its HSDS id, so an export imported
elsewhere (or back here) is matched record by record, and importing an export
into an empty directory then exporting again gives the same bytes.

The JSON Schemas are a copy of the specification's (data/hsds/, HSDS 3.0.0,
CC BY-SA 4.0): validation works offline. docs/hsds.md has the field mapping and
what an import drops.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from toitcommun.access import rules
from toitcommun.access.models import Role
from toitcommun.access.services import audit_record_many, snapshot
from toitcommun.errors import NotFound, PermissionRefused, ServiceError
from toitcommun.territory.models import Municipality
from toitcommun.territory.selectors import territory_get
from toitcommun.territory.text import fold

from .models import (
    Address,
    Clientele,
    Contact,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from .search import index_services
from .taxonomy_seed import CATEGORIES_TAXONOMY, CLIENTELES_TAXONOMY

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
IMPORTER_ROLES = (Role.REGIONAL_COORDINATOR,)

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
    "service_at_location": {"id", "service_id", "location_id", "description", "schedules", "location"},
    "location": {"id", "location_type", "organization_id", "name", "description", "transportation",
                 "latitude", "longitude", "addresses", "phones", "schedules", "accessibility"},
    "address": {"id", "location_id", "attention", "address_1", "address_2", "city", "region",
                "state_province", "postal_code", "country", "address_type"},
    "phone": {"id", "service_id", "location_id", "organization_id", "number", "extension", "type",
              "description"},
    "schedule": {"id", "service_id", "location_id", "service_at_location_id", "freq", "byday", "opens_at",
                 "closes_at", "valid_from", "valid_to", "description"},
    "service_area": {"id", "service_id", "name", "description", "uri"},
    "language": {"id", "service_id", "name", "code"},
    "contact": {"id", "service_id", "name", "title", "department", "email"},
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
    return [HsdsError(name, e.json_path, e.message) for e in ordered]


# ---- export ------------------------------------------------------------------------------

def _clean(data: dict[str, Any], *, keep: Iterable[str] = ()) -> dict[str, Any]:
    """Drop empty values ("" , None, []) except the keys the schema requires."""
    kept = set(keep)
    return {k: v for k, v in data.items() if k in kept or v not in ("", None, [])}


def _by_id(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item["id"])


def _time(value: datetime.time | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _assurer_email(service: Service) -> str | None:
    """Who verified the service, as HSDS says it: the verifier's email, or an imported one."""
    email = str(getattr(service.verified_by, "email", "") or "")
    if email:
        return email
    if service.verified_by_label and _is_email(service.verified_by_label):
        return service.verified_by_label
    return None


def accessibility_id(location_id: uuid.UUID) -> uuid.UUID:
    """Our one accessibility note of a place, as an HSDS accessibility record with a stable id."""
    return uuid.uuid5(location_id, ACCESSIBILITY_KEY)


def attribute_id(service_id: uuid.UUID, term_id: uuid.UUID) -> uuid.UUID:
    """The HSDS attribute tying a service to a taxonomy term; stable, so exports are repeatable."""
    return uuid.uuid5(service_id, str(term_id))


def _phone_doc(phone: Phone) -> dict[str, Any]:
    return _clean({"id": str(phone.id), "number": phone.number, "extension": phone.extension,
                   "type": phone.type, "description": phone.description}, keep=["number"])


def _schedule_doc(schedule: Schedule) -> dict[str, Any]:
    return _clean({
        "id": str(schedule.id), "freq": schedule.freq, "byday": schedule.byday,
        "opens_at": _time(schedule.opens_at), "closes_at": _time(schedule.closes_at),
        "valid_from": _date(schedule.valid_from), "valid_to": _date(schedule.valid_to),
        "description": schedule.description,
    })


def _address_doc(address: Address) -> dict[str, Any]:
    required = ["address_1", "city", "state_province", "postal_code", "country", "address_type"]
    return _clean({
        "id": str(address.id), "attention": address.attention, "address_1": address.address_1,
        "address_2": address.address_2, "city": address.city, "region": address.region,
        "state_province": address.state_province, "postal_code": address.postal_code,
        "country": address.country, "address_type": address.address_type,
    }, keep=required)


def _location_doc(location: Location) -> dict[str, Any]:
    accessibility = []
    if location.accessibility:
        accessibility = [{"id": str(accessibility_id(location.id)), "description": location.accessibility}]
    return _clean({
        "id": str(location.id), "location_type": location.location_type,
        "organization_id": str(location.directory_organization_id) if location.directory_organization_id else None,
        "name": location.name, "description": location.description, "transportation": location.transportation,
        "latitude": _number(location.latitude), "longitude": _number(location.longitude),
        "addresses": _by_id(_address_doc(a) for a in location.addresses.all()),
        "phones": _by_id(_phone_doc(p) for p in location.phones.all()),
        "schedules": _by_id(_schedule_doc(s) for s in location.schedules.all()),
        "accessibility": accessibility,
    }, keep=["location_type"])


def _term_doc(term: TaxonomyTerm) -> dict[str, Any]:
    taxonomy = term.taxonomy
    return _clean({
        "id": str(term.id), "code": term.code, "name": term.name, "description": term.description,
        "parent_id": str(term.parent_id) if term.parent_id else None, "taxonomy": taxonomy.name,
        "taxonomy_id": str(taxonomy.id), "language": term.language,
        "taxonomy_detail": _clean({"id": str(taxonomy.id), "name": taxonomy.name,
                                   "description": taxonomy.description, "uri": taxonomy.uri,
                                   "version": taxonomy.version}, keep=["description"]),
    }, keep=["description"])


def _attribute_doc(service: Service, term: TaxonomyTerm, link_type: str) -> dict[str, Any]:
    return {
        "id": str(attribute_id(service.id, term.id)), "link_id": str(service.id), "link_type": link_type,
        "link_entity": "service", "taxonomy_term_id": str(term.id), "taxonomy_term": _term_doc(term),
    }


def clientele_terms() -> dict[str, TaxonomyTerm]:
    """The clientele taxonomy's terms by code (seniors, families...)."""
    terms = TaxonomyTerm.objects.filter(taxonomy_id=CLIENTELES_TAXONOMY).select_related("taxonomy")
    return {t.code: t for t in terms}


def services_for_export() -> QuerySet[Service]:
    """Every service with all that its HSDS document nests, in id order (retired ones included)."""
    return (
        Service.objects.select_related("directory_organization", "verified_by")
        .prefetch_related(
            "directory_organization__phones", "phones", "schedules", "service_areas", "languages", "contacts",
            Prefetch("categories", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")
                     .prefetch_related("schedules", "location__addresses", "location__phones",
                                       "location__schedules")),
        )
        .order_by("id")
    )


def service_document(service: Service, *, clienteles: Mapping[str, TaxonomyTerm] | None = None) -> dict[str, Any]:
    """The service as one HSDS 3.0 ``service`` document, empty values left out, arrays in id order.

    Pass ``clienteles`` (from clientele_terms()) when documenting many services at once.
    """
    if clienteles is None:
        clienteles = clientele_terms()
    org = service.directory_organization
    organization = _clean({
        "id": str(org.id), "name": org.name, "alternate_name": org.alternate_name,
        "description": org.description, "email": org.email, "website": org.website,
        "phones": _by_id(_phone_doc(p) for p in org.phones.all()),
    }, keep=["description"])
    attributes = [_attribute_doc(service, t, LINK_CATEGORY) for t in service.categories.all()]
    attributes += [_attribute_doc(service, clienteles[code], LINK_AUDIENCE)
                   for code in set(service.clienteles or []) if code in clienteles]
    areas = [
        _clean({"id": str(a.id), "name": a.name, "description": a.description,
                "uri": f"{TERRITORY_URN}{a.territory_code}" if a.territory_code else None})
        for a in service.service_areas.all()
    ]
    at_locations = [
        _clean({"id": str(sal.id), "description": sal.description,
                "schedules": _by_id(_schedule_doc(s) for s in sal.schedules.all()),
                "location": _location_doc(sal.location)})
        for sal in service.service_at_locations.all()
    ]
    return _clean({
        "id": str(service.id), "organization_id": str(org.id), "name": service.name,
        "alternate_name": service.alternate_name, "description": service.description, "url": service.url,
        "email": service.email, "status": service.status,
        "interpretation_services": service.interpretation_services,
        "application_process": service.application_process, "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description, "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age, "alert": service.alert,
        "assured_date": _date(service.last_verified_on), "assurer_email": _assurer_email(service),
        "last_modified": service.updated_at.astimezone(datetime.UTC).isoformat() if service.updated_at else None,
        "organization": organization,
        "phones": _by_id(_phone_doc(p) for p in service.phones.all()),
        "schedules": _by_id(_schedule_doc(s) for s in service.schedules.all()),
        "service_areas": _by_id(areas),
        "service_at_locations": _by_id(at_locations),
        "languages": _by_id(_clean({"id": str(lang.id), "name": lang.name, "code": lang.code})
                            for lang in service.languages.all()),
        "contacts": _by_id(_clean({"id": str(c.id), "name": c.name, "title": c.title, "department": c.department,
                                   "email": c.email}) for c in service.contacts.all()),
        "attributes": _by_id(attributes),
    })


def document_text(document: dict[str, Any]) -> str:
    """The file form of a document: UTF-8 text, keys sorted, two-space indent, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_directory(directory: Path) -> list[Path]:
    """Write one ``<service id>.json`` per service (retired ones too) into the folder; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    clienteles = clientele_terms()
    written = []
    for service in services_for_export().iterator(chunk_size=200):
        path = directory / f"{service.id}.json"
        path.write_text(document_text(service_document(service, clienteles=clienteles)), encoding="utf-8")
        written.append(path)
    return written


# ---- public reads (the HSDS API) ---------------------------------------------------------

def hsds_services_public() -> QuerySet[Service]:
    """The services the public directory shows (not retired), ready to document, in name order."""
    return services_for_export().exclude(status=ServiceStatus.DEFUNCT).order_by("name", "id")


def hsds_service_public(pk: Any) -> Service:
    """One public service ready to document, or NotFound (also for a retired one or a malformed id)."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound(_("Introuvable.")) from None
    service = hsds_services_public().filter(pk=key).first()
    if service is None:
        raise NotFound(_("Introuvable."))
    return service


# ---- import: reading documents into a plan -----------------------------------------------

@dataclass
class ImportReport:
    """What an import did: per kind of record, how many were created, changed, unchanged, deleted."""

    documents: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    terms_created: list[str] = field(default_factory=list)
    dropped_fields: list[str] = field(default_factory=list)
    attributes_ignored: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    @property
    def services_created(self) -> int:
        return self.counts["service"]["created"]

    @property
    def services_changed(self) -> int:
        return self.counts["service"]["changed"]

    @property
    def services_unchanged(self) -> int:
        return self.counts["service"]["unchanged"]

    @property
    def changed_anything(self) -> bool:
        return any(c["created"] or c["changed"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report as short lines, for a terminal."""
        out = [f"documents: {self.documents}"]
        for kind in sorted(self.counts):
            c = self.counts[kind]
            out.append(f"{kind}: {c['created']} created, {c['changed']} changed, "
                       f"{c['unchanged']} unchanged, {c['deleted']} deleted")
        if self.terms_created:
            out.append("taxonomy terms created: " + ", ".join(self.terms_created))
        if self.attributes_ignored:
            out.append(f"attributes ignored (no taxonomy term we can match or create): {self.attributes_ignored}")
        if self.dropped_fields:
            out.append("HSDS fields not kept (not in our model): " + ", ".join(self.dropped_fields))
        return out


@dataclass
class _Record:
    fields: dict[str, Any]
    where: tuple[str, str]
    links: dict[str, Any] = field(default_factory=dict)


@dataclass
class _ServicePlan:
    file: str
    id: uuid.UUID
    categories: set[uuid.UUID] = field(default_factory=set)
    clienteles: set[str] = field(default_factory=set)
    assurer_email: str | None = None
    last_modified: datetime.datetime | None = None


# Kinds in the order they are written, with their model.
MODELS: dict[str, type[models.Model]] = {
    "organization": DirectoryOrganization, "service": Service, "location": Location,
    "service_at_location": ServiceAtLocation, "address": Address, "phone": Phone, "schedule": Schedule,
    "service_area": ServiceArea, "language": Language, "contact": Contact,
}
# Records owned by several kinds of parent at once (HSDS lets one phone id appear under a
# service, its place and its organization): kind -> owner kind -> our foreign key.
SHARED_LINKS: dict[str, dict[str, str]] = {
    "phone": {"service": "service_id", "location": "location_id", "organization": "directory_organization_id"},
    "schedule": {"service": "service_id", "location": "location_id",
                 "service_at_location": "service_at_location_id"},
}
# Records with one parent: kind -> (parent kind, foreign key).
OWNED: dict[str, tuple[str, str]] = {
    "address": ("location", "location_id"), "service_area": ("service", "service_id"),
    "language": ("service", "service_id"), "contact": ("service", "service_id"),
    "service_at_location": ("service", "service_id"),
}


class _Planner:
    """Reads valid HSDS documents into the records we keep, finding every semantic error first."""

    def __init__(self) -> None:
        self.records: dict[str, dict[uuid.UUID, _Record]] = defaultdict(dict)
        self.services: list[_ServicePlan] = []
        # (kind, id) -> the services whose documents hold the record
        self.holders: dict[tuple[str, uuid.UUID], set[uuid.UUID]] = defaultdict(set)
        self.errors: list[HsdsError] = []
        self.dropped: set[str] = set()
        self.terms_to_create: dict[uuid.UUID, dict[str, Any]] = {}
        self.attributes_ignored = 0
        self._file = ""
        self._service: uuid.UUID | None = None
        self._city_cache: dict[str, int | None] = {}
        self.references: list[tuple[str, str, str, uuid.UUID, str]] = []
        self.places: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}  # (service, location) -> its record

    # -- helpers
    def error(self, path: str, message: str) -> None:
        self.errors.append(HsdsError(self._file, path, message))

    def note_dropped(self, kind: str, doc: Mapping[str, Any]) -> None:
        for key in doc:
            if key not in READ[kind]:
                self.dropped.add(f"{kind}.{key}")

    def texts(self, doc: Mapping[str, Any], model: type[models.Model], names: Iterable[str],
              path: str) -> dict[str, str]:
        """String fields, checked against our model: length, email and URL forms."""
        out: dict[str, str] = {}
        for name in names:
            value = doc.get(name) or ""
            model_field = model._meta.get_field(name)
            limit = getattr(model_field, "max_length", None)
            if limit and len(value) > limit:
                self.error(f"{path}.{name}", f"is {len(value)} characters long; we keep at most {limit}")
            elif value and isinstance(model_field, models.EmailField) and not _is_email(value):
                self.error(f"{path}.{name}", f"{value!r} is not an email address")
            elif value and isinstance(model_field, models.URLField):
                try:
                    URLValidator()(value)
                except ValidationError:
                    self.error(f"{path}.{name}", f"{value!r} is not a web address (http or https)")
            out[name] = value
        return out

    def integer(self, doc: Mapping[str, Any], name: str, path: str, limit: int) -> int | None:
        value = doc.get(name)
        if value is None:
            return None
        if (isinstance(value, float) and not value.is_integer()) or not 0 <= value <= limit:
            self.error(f"{path}.{name}", f"{value!r} is not a whole number between 0 and {limit}")
            return None
        return int(value)

    def coordinate(self, doc: Mapping[str, Any], name: str, path: str) -> Decimal | None:
        value = doc.get(name)
        if value is None:
            return None
        try:
            number = Decimal(str(value)).quantize(Decimal("0.000001"))
        except InvalidOperation:
            number = Decimal(1000)
        if not number.is_finite() or abs(number) >= 1000:
            self.error(f"{path}.{name}", f"{value!r} is not a coordinate in degrees")
            return None
        return number

    def parsed(self, doc: Mapping[str, Any], name: str, path: str, kind: str) -> Any:
        value = doc.get(name)
        if not value:
            return None
        try:
            if kind == "date":
                return datetime.date.fromisoformat(value)
            if kind == "time":
                # Opening hours are local wall-clock times in Québec; an offset is not kept.
                return datetime.time.fromisoformat(value).replace(tzinfo=None)
            moment = datetime.datetime.fromisoformat(value)
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
        except ValueError:
            shapes = {"date": "YYYY-MM-DD", "time": "HH:MM or HH:MM:SS", "datetime": "an ISO 8601 date and time"}
            self.error(f"{path}.{name}", f"{value!r} is not {shapes[kind]}")
            return None

    def uid(self, value: Any) -> uuid.UUID:
        return uuid.UUID(str(value))

    def put(self, kind: str, pk: uuid.UUID, fields: dict[str, Any], path: str,
            links: dict[str, Any] | None = None) -> None:
        """Keep a record; the same id seen twice must say the same thing each time."""
        if self._service is not None:
            self.holders[(kind, pk)].add(self._service)
        known = self.records[kind].get(pk)
        if known is None:
            self.records[kind][pk] = _Record(fields, (self._file, path), dict(links or {}))
            return
        if known.fields != fields:
            first = f"{known.where[0]} {known.where[1]}"
            self.error(path, f"{kind} {pk} is also at {first} with different content")
            return
        for attname, owner in (links or {}).items():
            if known.links.get(attname, owner) != owner:
                self.error(path, f"{kind} {pk} belongs to two different records ({attname})")
            known.links[attname] = owner

    # -- documents
    def document(self, name: str, doc: Mapping[str, Any]) -> None:
        self._file = name
        self._service = pk = self.uid(doc["id"])
        if any(s.id == pk for s in self.services):
            other = next(s.file for s in self.services if s.id == pk)
            self.error("$.id", f"service {pk} is also in {other}")
            return
        self.note_dropped("service", doc)
        plan = _ServicePlan(file=name, id=pk)
        self.services.append(plan)

        org_id = self.organization(doc)
        fields: dict[str, Any] = self.texts(doc, Service, ["name", "alternate_name", "description", "url", "email", "status",
                                           "interpretation_services", "application_process",
                                           "fees_description", "eligibility_description", "alert"], "$")
        fields["directory_organization_id"] = org_id
        fields["minimum_age"] = self.integer(doc, "minimum_age", "$", 32767)
        fields["maximum_age"] = self.integer(doc, "maximum_age", "$", 32767)
        fields["last_verified_on"] = self.parsed(doc, "assured_date", "$", "date")
        plan.last_modified = self.parsed(doc, "last_modified", "$", "datetime")
        email = doc.get("assurer_email") or None
        limit = Service._meta.get_field("verified_by_label").max_length or 0
        if email is not None and (len(email) > limit or not _is_email(email)):
            self.error("$.assurer_email", f"{email!r} is not an email address we can keep")
        plan.assurer_email = email
        self.put("service", pk, fields, "$")

        for i, phone in enumerate(doc.get("phones", [])):
            self.phone(phone, f"$.phones[{i}]", "service", pk)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"$.schedules[{i}]", "service", pk)
        for i, area in enumerate(doc.get("service_areas", [])):
            self.service_area(area, f"$.service_areas[{i}]", pk)
        for i, sal in enumerate(doc.get("service_at_locations", [])):
            self.service_at_location(sal, f"$.service_at_locations[{i}]", pk)
        for i, lang in enumerate(doc.get("languages", [])):
            path = f"$.languages[{i}]"
            self.note_dropped("language", lang)
            language = self.texts(lang, Language, ["name", "code"], path)
            self.put("language", self.uid(lang["id"]), language | {"service_id": pk}, path)
        for i, contact in enumerate(doc.get("contacts", [])):
            path = f"$.contacts[{i}]"
            self.note_dropped("contact", contact)
            fields = self.texts(contact, Contact, ["name", "title", "department", "email"], path)
            self.put("contact", self.uid(contact["id"]), fields | {"service_id": pk}, path)
        for i, attribute in enumerate(doc.get("attributes", [])):
            self.attribute(attribute, f"$.attributes[{i}]", plan)

    def refer(self, kind: str, pk: uuid.UUID, path: str, message: str) -> None:
        """A reference by id alone: the record may come in a later document; checked by finish()."""
        self.references.append((self._file, path, kind, pk, message))

    def finish(self) -> None:
        """Check references by id once every document is read; let go of unknown place owners."""
        for file, path, kind, pk, message in self.references:
            if pk not in self.records[kind] and not MODELS[kind]._default_manager.filter(pk=pk).exists():
                self.errors.append(HsdsError(file, path, message))
        named = {r.fields["directory_organization_id"] for r in self.records["location"].values()}
        known = set(self.records["organization"]) | set(
            DirectoryOrganization.objects.filter(pk__in=named - {None}).values_list("pk", flat=True))
        for record in self.records["location"].values():
            if record.fields["directory_organization_id"] not in known | {None}:
                record.fields["directory_organization_id"] = None
                self.dropped.add("location.organization_id")

    def organization(self, doc: Mapping[str, Any]) -> uuid.UUID | None:
        nested = doc.get("organization")
        named = self.uid(doc["organization_id"]) if doc.get("organization_id") else None
        if nested is None:
            if named is None:
                self.error("$", "a service needs its organization (organization or organization_id)")
            else:
                self.refer("organization", named, "$.organization_id",
                           f"unknown organization {named}; nest the organization")
            return named
        pk = self.uid(nested["id"])
        if named is not None and named != pk:
            self.error("$.organization_id", f"says {named} but the nested organization is {pk}")
        self.note_dropped("organization", nested)
        fields = self.texts(nested, DirectoryOrganization,
                            ["name", "alternate_name", "description", "email", "website"], "$.organization")
        self.put("organization", pk, fields, "$.organization")
        for i, phone in enumerate(nested.get("phones", [])):
            self.phone(phone, f"$.organization.phones[{i}]", "organization", pk)
        return pk

    def phone(self, doc: Mapping[str, Any], path: str, owner_kind: str, owner: uuid.UUID) -> None:
        self.note_dropped("phone", doc)
        fields: dict[str, Any] = self.texts(doc, Phone, ["number", "type", "description"], path)
        fields["extension"] = self.integer(doc, "extension", path, 2147483647)
        link = SHARED_LINKS["phone"][owner_kind]
        self.put("phone", self.uid(doc["id"]), fields, path, links={link: owner})

    def schedule(self, doc: Mapping[str, Any], path: str, owner_kind: str, owner: uuid.UUID) -> None:
        self.note_dropped("schedule", doc)
        fields: dict[str, Any] = self.texts(doc, Schedule, ["freq", "byday", "description"], path)
        for name in ("opens_at", "closes_at"):
            fields[name] = self.parsed(doc, name, path, "time")
        for name in ("valid_from", "valid_to"):
            fields[name] = self.parsed(doc, name, path, "date")
        link = SHARED_LINKS["schedule"][owner_kind]
        self.put("schedule", self.uid(doc["id"]), fields, path, links={link: owner})

    def service_area(self, doc: Mapping[str, Any], path: str, service: uuid.UUID) -> None:
        self.note_dropped("service_area", doc)
        fields: dict[str, Any] = self.texts(doc, ServiceArea, ["name", "description"], path)
        uri = doc.get("uri") or ""
        code = ""
        if uri.startswith(TERRITORY_URN):
            code = uri[len(TERRITORY_URN):]
            try:
                if territory_get(code).code != code:
                    raise NotFound(code)
            except NotFound:
                self.error(f"{path}.uri", f"unknown territory code {code!r}")
        elif uri:
            self.dropped.add("service_area.uri")
        fields["territory_code"] = code
        fields["service_id"] = service
        self.put("service_area", self.uid(doc["id"]), fields, path)

    def service_at_location(self, doc: Mapping[str, Any], path: str, service: uuid.UUID) -> None:
        self.note_dropped("service_at_location", doc)
        pk = self.uid(doc["id"])
        location = doc.get("location")
        if location is not None:
            location_id = self.location(location, f"{path}.location")
        elif doc.get("location_id"):
            location_id = self.uid(doc["location_id"])
            self.refer("location", location_id, f"{path}.location_id",
                       f"unknown location {location_id}; nest the location")
        else:
            self.error(path, "a service at a location needs its location (location or location_id)")
            return
        other = self.places.setdefault((service, location_id), pk)
        if other != pk:
            self.error(path, f"service {service} is already at location {location_id} ({other})")
        fields = self.texts(doc, ServiceAtLocation, ["description"], path)
        self.put("service_at_location", pk, fields | {"service_id": service, "location_id": location_id}, path)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"{path}.schedules[{i}]", "service_at_location", pk)

    def location(self, doc: Mapping[str, Any], path: str) -> uuid.UUID:
        self.note_dropped("location", doc)
        pk = self.uid(doc["id"])
        fields: dict[str, Any] = self.texts(doc, Location, ["location_type", "name", "description",
                                                            "transportation"], path)
        # Checked once every document is read (finish): the organization may come in a later one.
        fields["directory_organization_id"] = self.uid(doc["organization_id"]) if doc.get("organization_id") \
            else None
        fields["latitude"] = self.coordinate(doc, "latitude", path)
        fields["longitude"] = self.coordinate(doc, "longitude", path)
        notes = []
        for item in sorted(doc.get("accessibility", []), key=lambda a: a["id"]):
            self.note_dropped("accessibility", item)
            notes += [text for text in (item.get("description"), item.get("details")) if text]
        fields["accessibility"] = "\n\n".join(notes)
        limit = Location._meta.get_field("accessibility").max_length or 0
        if len(fields["accessibility"]) > limit:
            self.error(f"{path}.accessibility", f"the notes are {len(fields['accessibility'])} characters "
                                                f"long together; we keep at most {limit}")
        addresses = doc.get("addresses", [])
        fields["municipality_id"] = self.municipality_of(addresses)
        self.put("location", pk, fields, path)
        for i, address in enumerate(addresses):
            apath = f"{path}.addresses[{i}]"
            self.note_dropped("address", address)
            afields = self.texts(address, Address, ["attention", "address_1", "address_2", "city", "region",
                                                    "state_province", "postal_code", "country",
                                                    "address_type"], apath)
            self.put("address", self.uid(address["id"]), afields | {"location_id": pk}, apath)
        for i, phone in enumerate(doc.get("phones", [])):
            self.phone(phone, f"{path}.phones[{i}]", "location", pk)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"{path}.schedules[{i}]", "location", pk)
        return pk

    def municipality_of(self, addresses: list[dict[str, Any]]) -> int | None:
        """Our municipality for a place: the one named by the city of its first Québec address."""
        for address in sorted(addresses, key=lambda a: a["id"]):
            in_quebec = fold(address.get("state_province", "")) in ("qc", "quebec", "") and \
                address.get("country", "") in ("CA", "")
            if in_quebec and address.get("city"):
                city = fold(address["city"])
                if city not in self._city_cache:
                    found = [m.pk for m in Municipality.objects.filter(search_text__contains=city)
                             if fold(m.name) == city]
                    self._city_cache[city] = found[0] if len(found) == 1 else None
                return self._city_cache[city]
        return None

    def attribute(self, doc: Mapping[str, Any], path: str, plan: _ServicePlan) -> None:
        self.note_dropped("attribute", doc)
        term_doc = doc.get("taxonomy_term") or {}
        if term_doc:
            self.note_dropped("taxonomy_term", term_doc)
        raw_id = doc.get("taxonomy_term_id") or term_doc.get("id")
        if not raw_id:
            self.attributes_ignored += 1
            return
        term = self.term(self.uid(raw_id), term_doc, f"{path}.taxonomy_term")
        if term is None:
            self.attributes_ignored += 1
            return
        term_id, taxonomy_id, code = term
        if taxonomy_id == CLIENTELES_TAXONOMY and code in Clientele.values:
            plan.clienteles.add(code)
        else:
            plan.categories.add(term_id)

    def term(self, pk: uuid.UUID, doc: Mapping[str, Any], path: str) -> tuple[uuid.UUID, uuid.UUID, str] | None:
        """Our term for an HSDS one: same id, else same taxonomy and code, else a new category."""
        if pk in self.terms_to_create:
            return pk, CATEGORIES_TAXONOMY, self.terms_to_create[pk]["code"]
        known = TaxonomyTerm.objects.filter(pk=pk).values_list("id", "taxonomy_id", "code").first()
        if known is not None:
            return known
        if not doc or not doc.get("name"):
            return None
        detail = doc.get("taxonomy_detail") or {}
        taxonomy_key = doc.get("taxonomy_id") or detail.get("id")
        taxonomy_name = doc.get("taxonomy") or detail.get("name")
        taxonomy = None
        if taxonomy_key:
            taxonomy = Taxonomy.objects.filter(pk=taxonomy_key).first()
        if taxonomy is None and taxonomy_name:
            taxonomy = Taxonomy.objects.filter(name=taxonomy_name).first()
        if taxonomy is not None and doc.get("code"):
            same = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=doc["code"]).values_list(
                "id", "taxonomy_id", "code").first()
            if same is not None:
                return same
        # A term of another directory's taxonomy: it joins our categories.
        fields = self.texts(doc, TaxonomyTerm, ["name", "description", "language"], path)
        fields["language"] = fields["language"] or "fr"
        code = (doc.get("code") or slugify(doc["name"]) or str(pk))[:60]
        taken = set(TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY).values_list("code", flat=True))
        taken |= {t["code"] for t in self.terms_to_create.values()}
        if code in taken:
            code = f"{code[:51]}-{pk.hex[:8]}"
        parent = doc.get("parent_id")
        self.terms_to_create[pk] = fields | {"code": code, "taxonomy_id": CATEGORIES_TAXONOMY,
                                             "parent_id": self.uid(parent) if parent else None}
        return pk, CATEGORIES_TAXONOMY, code


# ---- import: writing the plan ------------------------------------------------------------

def _service_snapshot(service: Service) -> dict[str, Any]:
    """The audit snapshot of a service; its categories are UUID keys, which the audit log keeps as text."""
    data = snapshot(service) or {}
    data["categories"] = sorted(str(pk) for pk in data.get("categories", []))
    return data


def _differs(row: models.Model, fields: Mapping[str, Any]) -> list[str]:
    return [name for name, value in fields.items() if getattr(row, name) != value]


class _Writer:
    """Writes a plan in one transaction, touching only what differs."""

    def __init__(self, plan: _Planner, report: ImportReport) -> None:
        self.plan = plan
        self.report = report
        self.touched: set[uuid.UUID] = set()            # services (of this run) whose document changed
        self.changed_places: set[uuid.UUID] = set()     # locations and organizations whose text changed
        self.services_in_run = {s.id for s in plan.services}

    def services_holding(self, kind: str, pk: Any) -> set[uuid.UUID]:
        if kind == "service":
            return {pk} & self.services_in_run
        return self.plan.holders.get((kind, pk), set())

    def touch(self, kind: str, pk: Any) -> None:
        self.touched |= self.services_holding(kind, pk)

    def count(self, kind: str, outcome: str) -> None:
        if kind != "service":  # a service counts once its whole document is written (finish)
            self.report.count(kind, outcome)

    def upsert(self, kind: str, rows: Mapping[uuid.UUID, dict[str, Any]]) -> None:
        manager = MODELS[kind]._default_manager
        existing = manager.in_bulk(list(rows))
        for pk in sorted(rows):
            fields = rows[pk]
            row = existing.get(pk)
            if row is None:
                manager.create(id=pk, **fields)
                self.count(kind, "created")
            else:
                differing = _differs(row, fields)
                if not differing:
                    self.count(kind, "unchanged")
                    continue
                for name in differing:
                    setattr(row, name, fields[name])
                row.save(update_fields=differing)
                self.count(kind, "changed")
            self.touch(kind, pk)
            if kind in ("location", "organization"):
                self.changed_places.add(pk)

    def prune(self, kind: str, keep: Iterable[uuid.UUID]) -> None:
        """Delete the records the documents no longer list under a parent they describe."""
        parent_kind, fk = OWNED[kind]
        parents = set(self.plan.records[parent_kind])
        stale = MODELS[kind]._default_manager.filter(**{f"{fk}__in": parents}).exclude(pk__in=set(keep))
        for parent in stale.values_list(fk, flat=True):
            self.report.count(kind, "deleted")
            self.touch(parent_kind, parent)
        stale.delete()

    def sync_shared(self, kind: str, scopes: Mapping[str, set[uuid.UUID]]) -> None:
        """Phones and schedules: link each to what lists it, unlink it from what stopped listing it."""
        manager = MODELS[kind]._default_manager
        owners = SHARED_LINKS[kind]
        planned = self.plan.records[kind]
        listed_by = Q(pk__in=list(planned))
        for attname, scope in scopes.items():
            listed_by |= Q(**{f"{attname}__in": scope})
        existing = {row.pk: row for row in manager.filter(listed_by)}
        for pk in sorted(set(planned) | set(existing)):
            record = planned.get(pk)
            row = existing.get(pk)
            desired: dict[str, Any] = dict(record.fields) if record else {}
            for owner_kind, attname in owners.items():
                current = getattr(row, attname) if row is not None else None
                if record is not None and attname in record.links:
                    desired[attname] = record.links[attname]
                elif current in scopes[attname]:
                    desired[attname] = None
                else:
                    desired[attname] = current
                if current is not None and current != desired[attname]:
                    self.touch(owner_kind, current)
                if desired[attname] is not None and current != desired[attname]:
                    self.touch(owner_kind, desired[attname])
            if all(desired[attname] is None for attname in owners.values()):
                if row is not None:
                    row.delete()
                    self.report.count(kind, "deleted")
                continue
            if row is None:
                manager.create(id=pk, **desired)
                self.report.count(kind, "created")
            else:
                differing = _differs(row, desired)
                if not differing:
                    self.report.count(kind, "unchanged")
                    continue
                for name in differing:
                    setattr(row, name, desired[name])
                row.save(update_fields=differing)
                self.report.count(kind, "changed")
            self.touch(kind, pk)

    def service_rows(self) -> dict[uuid.UUID, dict[str, Any]]:
        """The services' fields, keeping who verified each when the document agrees with us."""
        rows = {pk: dict(r.fields) for pk, r in self.plan.records["service"].items()}
        existing = Service.objects.select_related("verified_by").in_bulk(list(rows))
        for plan in self.plan.services:
            row = existing.get(plan.id)
            if row is not None and _assurer_email(row) == plan.assurer_email:
                continue  # our verifier (an account) is what the document names: keep it
            rows[plan.id] |= {"verified_by_id": None, "verified_by_label": plan.assurer_email or ""}
        return rows

    def write(self) -> None:
        plan, records = self.plan, self.plan.records
        for pk, fields in sorted(plan.terms_to_create.items()):
            TaxonomyTerm.objects.create(id=pk, **(fields | {"parent_id": None}))
            self.report.count("taxonomy_term", "created")
            self.report.terms_created.append(fields["name"])
        for pk, fields in plan.terms_to_create.items():
            parent = fields["parent_id"]
            if parent and (parent in plan.terms_to_create or TaxonomyTerm.objects.filter(pk=parent).exists()):
                TaxonomyTerm.objects.filter(pk=pk).update(parent_id=parent)

        self.upsert("organization", {pk: r.fields for pk, r in records["organization"].items()})
        self.upsert("service", self.service_rows())
        self.upsert("location", self.location_rows())

        sal_keep = set(records["service_at_location"])
        self.release_schedules_of_dropped_places(sal_keep)
        self.prune("service_at_location", sal_keep)
        self.upsert("service_at_location", {pk: r.fields for pk, r in records["service_at_location"].items()})

        self.prune("address", records["address"])
        self.upsert("address", {pk: r.fields for pk, r in records["address"].items()})
        self.sync_shared("phone", {"service_id": self.services_in_run, "location_id": set(records["location"]),
                                   "directory_organization_id": set(records["organization"])})
        self.sync_shared("schedule", {"service_id": self.services_in_run, "location_id": set(records["location"]),
                                      "service_at_location_id": sal_keep})
        for kind in ("service_area", "language", "contact"):
            self.prune(kind, records[kind])
            self.upsert(kind, {pk: r.fields for pk, r in records[kind].items()})
        self.taxonomy_links()

    def release_schedules_of_dropped_places(self, keep: set[uuid.UUID]) -> None:
        """Before a service-at-location goes, its hours that also belong elsewhere lose only that link."""
        schedules = Schedule.objects.filter(service_at_location__service_id__in=self.services_in_run).exclude(
            service_at_location_id__in=keep)
        for schedule in schedules:
            if schedule.service_id or schedule.location_id:
                Schedule.objects.filter(pk=schedule.pk).update(service_at_location_id=None)
                self.report.count("schedule", "changed")
            else:
                schedule.delete()
                self.report.count("schedule", "deleted")

    def location_rows(self) -> dict[uuid.UUID, dict[str, Any]]:
        """Places' fields; a place whose city we cannot tell keeps the municipality it has."""
        rows = {pk: dict(r.fields) for pk, r in self.plan.records["location"].items()}
        unknown = [pk for pk, fields in rows.items() if fields["municipality_id"] is None]
        for pk, municipality in Location.objects.filter(pk__in=unknown).values_list("pk", "municipality_id"):
            rows[pk]["municipality_id"] = municipality
        return rows

    def taxonomy_links(self) -> None:
        services = Service.objects.prefetch_related("categories").in_bulk(list(self.services_in_run))
        for plan in self.plan.services:
            service = services[plan.id]
            current = {t.pk for t in service.categories.all()}
            if current != plan.categories:
                service.categories.set(list(TaxonomyTerm.objects.filter(pk__in=plan.categories)))
                self.touched.add(plan.id)
            if set(service.clienteles or []) != plan.clienteles:
                ordered = [code for code in Clientele.values if code in plan.clienteles]
                Service.objects.filter(pk=plan.id).update(clienteles=ordered)
                self.touched.add(plan.id)

    def finish(self, befores: Mapping[uuid.UUID, dict[str, Any]], actor: Any) -> None:
        """Stamp, audit and re-index every service whose document changed something."""
        now = timezone.now()
        last_modified = {p.id: p.last_modified for p in self.plan.services}
        stored = dict(Service.objects.filter(pk__in=self.services_in_run).values_list("pk", "updated_at"))
        for pk, moment in last_modified.items():
            if moment is not None and stored.get(pk) != moment:
                self.touched.add(pk)
        for pk in self.touched:
            Service.objects.filter(pk=pk).update(version=models.F("version") + 1,
                                                 updated_at=last_modified[pk] or now)
        events = []
        after = Service.objects.in_bulk(list(self.touched))
        for plan in self.plan.services:
            before = befores.get(plan.id)
            if plan.id not in self.touched:
                self.report.count("service", "unchanged")
                continue
            created = before is None
            self.report.count("service", "created" if created else "changed")
            events.append({"action": "service.hsds_import_create" if created else "service.hsds_import_update",
                           "instance": after[plan.id], "before": before, "after": _service_snapshot(after[plan.id])})
        audit_record_many(actor=actor, events=events)
        reindex = self.touched | set(Service.objects.filter(
            Q(directory_organization_id__in=self.changed_places)
            | Q(service_at_locations__location_id__in=self.changed_places)).values_list("pk", flat=True))
        index_services(Service.objects.select_related("directory_organization").filter(pk__in=reindex))


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def _read(item: Path | tuple[str, Any]) -> tuple[str, Any, HsdsError | None]:
    if isinstance(item, tuple):
        return item[0], item[1], None
    try:
        return item.name, json.loads(item.read_text(encoding="utf-8"), parse_constant=_no_constant), None
    except (OSError, UnicodeDecodeError) as exc:
        return item.name, None, HsdsError(item.name, "$", f"unreadable file: {exc}")
    except json.JSONDecodeError as exc:
        return item.name, None, HsdsError(item.name, "$", f"not JSON: {exc}")


def may_import(actor: Any) -> bool:
    return rules.is_administrator(actor) or rules.has_role(actor, IMPORTER_ROLES)


def import_documents(documents: Iterable[Path | tuple[str, Any]], *, actor: Any = None,
                     as_system: bool = False) -> ImportReport:
    """Bring HSDS 3.0 service documents into the directory: all of them, or none.

    Every document is checked against the schema (strict) and against our model first; one
    error and nothing is imported (HsdsRejected lists each error by file and JSON path).
    Records are matched by their HSDS id. Each document is the truth for its service:
    what it no longer lists is removed. Importing the same documents again changes nothing.
    Administrators and regional coordinators may import; commands run ``as_system``.
    """
    if not as_system and not may_import(actor):
        raise PermissionRefused(_("Accès refusé."))
    errors: list[HsdsError] = []
    readable: list[tuple[str, Any]] = []
    for item in documents:
        name, doc, problem = _read(item)
        if problem is not None:
            errors.append(problem)
            continue
        found = schema_errors(name, doc)
        errors += found
        if not found:
            readable.append((name, doc))
    planner = _Planner()
    if not errors:
        for name, doc in readable:
            planner.document(name, doc)
        planner.finish()
        errors = planner.errors
    if errors:
        raise HsdsRejected(errors)

    report = ImportReport(documents=len(readable), dropped_fields=sorted(planner.dropped),
                          attributes_ignored=planner.attributes_ignored)
    with transaction.atomic():
        writer = _Writer(planner, report)
        existing = Service.objects.in_bulk([p.id for p in planner.services])
        befores = {pk: _service_snapshot(service) for pk, service in existing.items()}
        writer.write()
        writer.finish(befores, actor)
    return report
