"""The resource directory as JSON: search services as the public page does, and keep them.

Reads are open and never show a retired service. Writes go through the same
services (and so the same forms) as the staff pages: a service's languages and
service areas are lists here, its hours the same text the page takes
("LU-VE 09:00-16:30; SA 10:00-12:00"), its categories their codes.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator, WithJsonSchema

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import (
    LANGUAGE_NAME_PATTERN,
    POSTAL_CODE_PATTERN,
    Email,
    Latitude,
    Longitude,
    MunicipalityCode,
    Offset,
    TerritoryCode,
    WebAddress,
    absent,
    required_text,
    text,
)
from toitcommun.errors import ValidationFailed, VersionConflict
from toitcommun.territory.api import municipality_pk_for
from toitcommun.territory.places import place_resolve
from toitcommun.territory.selectors import TerritoryNotChosen

from .forms import MAX_AGE, MAX_LANGUAGES, MAX_SERVICE_AREAS, hours_text
from .models import Clientele, Correction, DirectoryOrganization, Service, TaxonomyTerm
from .selectors import (
    categories,
    correction_get,
    corrections_proposed_by,
    corrections_to_decide,
    search_query,
    service_distance_km,
    service_get,
    services_found,
)
from .services import (
    correction_accept,
    correction_propose,
    correction_refuse,
    correction_withdraw,
    service_create,
    service_restore,
    service_retire,
    service_update,
    service_verify,
)

router = Router(tags=["directory"])

# The form's field names that the API spells otherwise.
API_FIELD_NAMES = {"directory_organization": "directory_organization_id"}


# ---- shapes --------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    description: str


class ProviderOut(Schema):
    id: uuid.UUID
    name: str
    organization_id: int = Field(description="The provider's organization in the registry (/organizations/{id})")


class PlaceOut(Schema):
    name: str
    address_1: str
    city: str
    postal_code: str
    municipality_code: str | None
    latitude: float | None
    longitude: float | None
    position_is_approximate: bool = Field(
        False, description="True when the place was saved without coordinates and stands at its municipality's point")


class PhoneOut(Schema):
    number: str
    extension: int | None


# A time of day as the API writes it, 08:30:00 (RFC 3339's partial-time: no offset, local time).
TimeOfDay = Annotated[datetime.time, WithJsonSchema({
    "type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$", "example": "08:30:00",
    "description": "Local time of day, HH:MM:SS"})]


class HoursOut(Schema):
    byday: str = Field(description="HSDS days: MO,TU,WE,TH,FR,SA,SU")
    opens_at: TimeOfDay | None
    closes_at: TimeOfDay | None


class ServiceOut(Schema):
    id: uuid.UUID
    name: str
    alternate_name: str
    description: str
    organization: ProviderOut
    status: str
    url: str
    email: str
    categories: list[str] = Field(description="Category codes (GET /directory/categories)")
    clienteles: list[str]
    places: list[PlaceOut]
    phones: list[PhoneOut]
    last_verified_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_organization(obj: Service) -> DirectoryOrganization:
        return obj.directory_organization

    @staticmethod
    def resolve_categories(obj: Service) -> list[str]:
        return sorted(term.code for term in obj.categories.all())

    @staticmethod
    def resolve_places(obj: Service) -> list[dict[str, Any]]:
        places = []
        for sal in obj.service_at_locations.all():
            location = sal.location
            address = next(iter(location.addresses.all()), None)
            places.append({
                "name": location.name, "address_1": address.address_1 if address else "",
                "city": address.city if address else "", "postal_code": address.postal_code if address else "",
                "municipality_code": location.municipality.code if location.municipality else None,
                "latitude": location.latitude, "longitude": location.longitude,
                "position_is_approximate": location.position_is_approximate,
            })
        return places

    @staticmethod
    def resolve_phones(obj: Service) -> list[Any]:
        return list(obj.phones.all())


class ServiceDetail(ServiceOut):
    interpretation_services: str
    application_process: str
    fees_description: str
    eligibility_description: str
    accessibility: str
    minimum_age: int | None
    maximum_age: int | None
    alert: str
    languages: list[str]
    service_area_codes: list[str]
    unplaced_service_areas: list[str] = Field(
        description="Areas we cannot place in our territories (imported with another directory's URI), as text")
    hours: list[HoursOut]
    hours_text: str = Field(description="The hours as staff type them, e.g. MO-FR 09:00-16:30; SA 10:00-12:00")

    @staticmethod
    def resolve_languages(obj: Service) -> list[str]:
        return [lang.name for lang in obj.languages.all()]

    @staticmethod
    def resolve_service_area_codes(obj: Service) -> list[str]:
        return sorted(area.territory_code for area in obj.service_areas.all() if area.territory_code)

    @staticmethod
    def resolve_unplaced_service_areas(obj: Service) -> list[str]:
        return sorted(area.name for area in obj.service_areas.all() if not area.territory_code)

    @staticmethod
    def resolve_hours(obj: Service) -> list[Any]:
        return list(obj.schedules.all())

    @staticmethod
    def resolve_hours_text(obj: Service) -> str:
        return hours_text(list(obj.schedules.all()))


class ServiceFound(ServiceOut):
    distance_km: float | None = Field(
        None, description="Kilometres from the place searched to the service's nearest place, when both have a point")


class SearchPlaceOut(Schema):
    """The place the search took what was typed as."""

    code: str = Field(description="The territory whose services serve the place")
    name: str
    level: str
    postal_code: str = Field(description="The postal code or FSA typed, written properly (G6G 1N1), or empty")
    fsa_name: str = Field(description="The forward sortation area's name in the open FSA file, or empty")
    misspelt: str = Field(description="What was typed, when no place bears that name and the place is the one "
                          "name close enough to it (Thetfort for Thetford Mines); else empty")
    latitude: float | None = Field(description="Where distances are measured from, when the place has a point")
    longitude: float | None


class ServiceList(Schema):
    items: list[ServiceFound]
    count: int
    limit: int
    offset: int
    place: SearchPlaceOut | None = Field(None, description="What the territory parameter was taken as")
    loose: bool = Field(False, description="No service holds every word of q: these are the closest ones "
                                           "(holding any of the words), best first")


class ServiceFilters(Schema):
    q: str = Field("", max_length=200, description="Words to find, any case or accent")
    territory: str = Field("", max_length=100, description="Where: a code (QC, 12, 310, 31084), a name as people "
                           "write it (Thetford Mines, MRC des Appalaches, St-Joseph-de-Beauce), or a postal code or "
                           "FSA (G6G 1N1, g6g1n1, G6G). A name that names no place, or several, answers 422 with "
                           "the places it may mean")
    sort: Literal["relevance", "distance"] = Field(
        "relevance", description="distance: nearest first, from a municipality's or a postal code's point "
        "(422 for a place without one: an MRC, a region)")
    category: str = Field("", max_length=60, description="A category code")
    clientele: Annotated[Clientele | None, BeforeValidator(lambda value: value or None)] = Field(
        None, description="Who the service is for")
    open_now: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


Age = Annotated[int, Field(ge=0, le=MAX_AGE, description="Years")]
LanguageName = Annotated[str, Field(min_length=1, max_length=100, pattern=LANGUAGE_NAME_PATTERN,
                                    description="A language's name, e.g. français")]
CategoryCode = Annotated[str, Field(min_length=1, max_length=60, description="A category code")]
PostalCode = Annotated[str, Field(pattern=POSTAL_CODE_PATTERN,
                                  description="A Canadian postal code, e.g. G6G 1B2, or empty")]
OpenStatus = Literal["active", "inactive", "temporarily closed"]
ADDRESS_RULE = "An address (address_1) needs its postal_code and municipality_code"


class ServiceIn(Schema):
    directory_organization_id: uuid.UUID
    name: required_text(200)  # type: ignore[valid-type]
    description: required_text(4000)  # type: ignore[valid-type]
    alternate_name: text(200) = ""  # type: ignore[valid-type]
    url: WebAddress = ""
    email: Email = ""
    status: OpenStatus = Field("active", description="Retire a service with /retire")
    interpretation_services: text(500) = ""  # type: ignore[valid-type]
    application_process: text(2000) = ""  # type: ignore[valid-type]
    fees_description: text(1000) = ""  # type: ignore[valid-type]
    eligibility_description: text(2000) = ""  # type: ignore[valid-type]
    accessibility: text(1000) = ""  # type: ignore[valid-type]
    minimum_age: Age | None = None
    maximum_age: Age | None = Field(None, description="At least minimum_age")
    alert: text(500) = ""  # type: ignore[valid-type]
    categories: list[CategoryCode] = Field(default_factory=list, description="Category codes")
    clienteles: list[Clientele] = Field(default_factory=list)
    languages: list[LanguageName] = Field(default_factory=list, max_length=MAX_LANGUAGES)
    service_area_codes: list[TerritoryCode] = Field(default_factory=list, max_length=MAX_SERVICE_AREAS,
                                                    description="Territory codes the service serves")
    location_name: text(200) = ""  # type: ignore[valid-type]
    address_1: text(300) = Field("", description=ADDRESS_RULE)  # type: ignore[valid-type]
    municipality_code: MunicipalityCode | None = None
    postal_code: PostalCode = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    phone: text(40) = Field("", description="10 digits (418 555-0101, « poste 12 » allowed) or a 3-digit "  # type: ignore[valid-type]
                                            "public line such as 811")
    hours: text(500) = Field("", description="e.g. MO-FR 09:00-12:00,13:00-16:30; SA 10:00-12:00")  # type: ignore[valid-type]


class ServicePatch(Schema):
    version: int
    directory_organization_id: uuid.UUID = absent()
    name: required_text(200) = absent()  # type: ignore[valid-type]
    description: required_text(4000) = absent()  # type: ignore[valid-type]
    alternate_name: text(200) | None = None  # type: ignore[valid-type]
    url: WebAddress | None = None
    email: Email | None = None
    status: OpenStatus = absent()
    interpretation_services: text(500) | None = None  # type: ignore[valid-type]
    application_process: text(2000) | None = None  # type: ignore[valid-type]
    fees_description: text(1000) | None = None  # type: ignore[valid-type]
    eligibility_description: text(2000) | None = None  # type: ignore[valid-type]
    accessibility: text(1000) | None = None  # type: ignore[valid-type]
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    alert: text(500) | None = None  # type: ignore[valid-type]
    categories: list[CategoryCode] | None = None
    clienteles: list[Clientele] | None = None
    languages: list[LanguageName] | None = Field(None, max_length=MAX_LANGUAGES)
    service_area_codes: list[TerritoryCode] | None = Field(None, max_length=MAX_SERVICE_AREAS)
    location_name: text(200) | None = None  # type: ignore[valid-type]
    address_1: text(300) | None = Field(None, description=ADDRESS_RULE)  # type: ignore[valid-type]
    municipality_code: MunicipalityCode | None = None
    postal_code: PostalCode | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    phone: text(40) | None = None  # type: ignore[valid-type]
    hours: text(500) | None = None  # type: ignore[valid-type]


class RetireIn(Schema):
    reason: required_text(500)  # type: ignore[valid-type]


# ---- from the API's names to the form's ----------------------------------------------------


@contextmanager
def _api_field_names() -> Iterator[None]:
    """A form's errors, named as the API names its fields."""
    try:
        yield
    except ValidationFailed as refusal:
        raise ValidationFailed({API_FIELD_NAMES.get(k, k): v for k, v in refusal.errors.items()}) from None


def _category_pks(codes: list[str]) -> list[str]:
    found = dict(categories().filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed({"categories": [_("Catégorie inconnue : %(code)s.") % {"code": c} for c in unknown]})
    return [str(found[c]) for c in codes]


def _form_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = {k: ("" if v is None and k not in ("minimum_age", "maximum_age", "latitude", "longitude") else v)
            for k, v in fields.items()}
    if "directory_organization_id" in data:
        data["directory_organization"] = data.pop("directory_organization_id")
    if "categories" in data:
        data["categories"] = _category_pks(list(data["categories"] or []))
    if "clienteles" in data:
        data["clienteles"] = data["clienteles"] or []
    if "languages" in data:
        data["languages"] = ", ".join(data["languages"] or [])
    if "service_area_codes" in data:
        data["service_area_codes"] = " ".join(data["service_area_codes"] or [])
    if "municipality_code" in data:
        data["municipality"] = municipality_pk_for(data.pop("municipality_code"))
    return data


# ---- endpoints -----------------------------------------------------------------------------


@router.get("/services", response=ServiceList, summary="Search services (as the public directory page)")
def service_list(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    try:
        place = place_resolve(filters.territory)
    except TerritoryNotChosen as refusal:
        raise ValidationFailed({"territory": [str(refusal)]}) from None
    query = search_query(text=filters.q, territory=place.territory.code if place else "", category=filters.category,
                         clientele=filters.clientele or "", open_now=filters.open_now,
                         origin=place.point if place else None, sort=filters.sort)
    found, loose = services_found(query)
    page = list(found[filters.offset : filters.offset + filters.limit])
    for service in page:
        service.distance_km = service_distance_km(service, query.origin)  # type: ignore[attr-defined]
    described = None
    if place is not None:
        described = {"code": place.territory.code, "name": place.territory.name, "level": str(place.territory.level),
                     "postal_code": place.postal_code, "fsa_name": place.fsa_name, "misspelt": place.misspelt,
                     "latitude": place.latitude, "longitude": place.longitude}
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset,
            "place": described, "loose": loose}


@router.get("/services/{service_id}", response=ServiceDetail, summary="One service (not a retired one)")
def service_detail(request: HttpRequest, service_id: str) -> Service:
    return service_get(service_id)


@router.post("/services", response={201: ServiceDetail}, auth=write_auth, summary="Add a service")
def service_add(request: HttpRequest, payload: ServiceIn) -> Service:
    with _api_field_names():
        return service_create(actor=actor_of(request), data=_form_data(payload.model_dump(mode="json")))


@router.patch("/services/{service_id}", response=ServiceDetail, auth=write_auth,
              summary="Change a service (send the version you read; lists replace the stored ones)")
def service_change(request: HttpRequest, service_id: str, payload: ServicePatch) -> Service:
    fields = payload.model_dump(mode="json", exclude_unset=True)
    version = fields.pop("version")
    try:
        with _api_field_names():
            return service_update(actor=actor_of(request), service_id=service_id, version=version,
                                  data=_form_data(fields))
    except VersionConflict as conflict:
        current = service_get(service_id, include_retired=True)
        conflict.current = ServiceDetail.from_orm(current).model_dump(mode="json")
        raise


@router.post("/services/{service_id}/verify", response=ServiceDetail, auth=write_auth,
             summary="Confirm that the service's record is still right today")
def service_verify_now(request: HttpRequest, service_id: str) -> Service:
    return service_verify(actor=actor_of(request), service_id=service_id)


@router.post("/services/{service_id}/retire", response=ServiceDetail, auth=write_auth,
             summary="Retire a service: kept, hidden from the public, can be restored")
def service_retire_now(request: HttpRequest, service_id: str, payload: RetireIn) -> Service:
    return service_retire(actor=actor_of(request), service_id=service_id, reason=payload.reason)


@router.post("/services/{service_id}/restore", response=ServiceDetail, auth=write_auth,
             summary="Bring a retired service back, as active")
def service_restore_now(request: HttpRequest, service_id: str) -> Service:
    return service_restore(actor=actor_of(request), service_id=service_id)


@router.get("/categories", response=list[CategoryOut], summary="The service categories")
def category_list(request: HttpRequest) -> list[TaxonomyTerm]:
    return list(categories())


# ---- corrections proposed by those who verify ------------------------------------------------


def _documented(*answers: tuple[int, str, str]) -> dict[str, Any]:
    """Answers a route gives beside its own (OpenAPI), in the shapes toitcommun.api documents."""
    return {"responses": {str(status): {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape}"}}},
    } for status, description, shape in answers}}


SIGNED_IN = (401, "Missing or bad token", "Error")
STALE = (409, "Stale version: the service as stored now and its version", "Conflict")


class CorrectionIn(ServicePatch):
    """The service's version you read, the fields to correct (the names of PATCH /services/{id}), a note."""

    note: str = Field("", max_length=1000, description="What is wrong, for the people who keep the service")


class CorrectionOut(Schema):
    id: int
    service_id: uuid.UUID
    service_name: str
    state: str = Field(description="pending, accepted, refused or withdrawn")
    values: dict[str, Any] = Field(description="The proposed fields, as the service form holds them")
    base: dict[str, Any] = Field(description="What those fields held when proposed")
    base_version: int
    note: str
    reason: str = Field(description="Why it was refused")
    applied_fields: list[str] = Field(description="The fields an acceptance applied")
    mine: bool = Field(description="You proposed it")
    service_version: int = Field(description="The service's version now: send it to accept")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_service_name(obj: Correction) -> str:
        return obj.service.name

    @staticmethod
    def resolve_service_version(obj: Correction) -> int:
        return obj.service.version

    @staticmethod
    def resolve_mine(obj: Correction, context: Any) -> bool:
        return bool(obj.proposed_by_id == getattr(actor_of(context["request"]), "pk", None))


class CorrectionList(Schema):
    to_decide: list[CorrectionOut] = Field(description="Pending proposals on services you may change")
    mine: list[CorrectionOut] = Field(description="Your own proposals, newest first (100 at most)")


class AcceptIn(Schema):
    version: int = Field(description="The service's version you read (service_version)")
    fields: list[str] | None = Field(None, description="The fields to apply; all of them when left out")


@router.post("/services/{service_id}/corrections", response={201: CorrectionOut}, auth=write_auth,
             summary="Propose a correction to a service you may verify but not change",
             openapi_extra=_documented(STALE))
def correction_add(request: HttpRequest, service_id: str, payload: CorrectionIn) -> Correction:
    fields = payload.model_dump(mode="json", exclude_unset=True)
    version, note = fields.pop("version"), fields.pop("note", "")
    with _api_field_names():
        return correction_propose(actor=actor_of(request), service_id=service_id, version=version,
                                  data=_form_data(fields), note=note)


@router.get("/corrections", response=CorrectionList, auth=write_auth,
            summary="Proposed corrections: those waiting for your decision, and your own",
            openapi_extra=_documented(SIGNED_IN))
def correction_list(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    return {"to_decide": corrections_to_decide(actor), "mine": list(corrections_proposed_by(actor)[:100])}


@router.get("/corrections/{correction_id}", response=CorrectionOut, auth=write_auth,
            summary="One proposed correction (yours, or one you may decide)", openapi_extra=_documented(SIGNED_IN))
def correction_detail(request: HttpRequest, correction_id: str) -> Correction:
    return correction_get(correction_id, actor_of(request))


@router.post("/corrections/{correction_id}/accept", response=CorrectionOut, auth=write_auth,
             summary="Apply a proposal (all its fields, or those named) through the service's update",
             openapi_extra=_documented(STALE))
def correction_accept_now(request: HttpRequest, correction_id: str, payload: AcceptIn) -> Correction:
    return correction_accept(actor=actor_of(request), correction_id=correction_id, version=payload.version,
                             fields=payload.fields)


@router.post("/corrections/{correction_id}/refuse", response=CorrectionOut, auth=write_auth,
             summary="Refuse a proposal with a reason its author reads")
def correction_refuse_now(request: HttpRequest, correction_id: str, payload: RetireIn) -> Correction:
    return correction_refuse(actor=actor_of(request), correction_id=correction_id, reason=payload.reason)


@router.post("/corrections/{correction_id}/withdraw", response=CorrectionOut, auth=write_auth,
             summary="Withdraw your own proposal while it waits")
def correction_withdraw_now(request: HttpRequest, correction_id: str) -> Correction:
    return correction_withdraw(actor=actor_of(request), correction_id=correction_id)
