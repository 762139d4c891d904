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
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Offset
from toitcommun.errors import ValidationFailed, VersionConflict
from toitcommun.territory.api import municipality_pk_for

from .forms import hours_text
from .models import DirectoryOrganization, Service, TaxonomyTerm
from .selectors import categories, search_query, service_get, services_search
from .services import (
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


class PhoneOut(Schema):
    number: str
    extension: int | None


class HoursOut(Schema):
    byday: str = Field(description="HSDS days: MO,TU,WE,TH,FR,SA,SU")
    opens_at: datetime.time | None
    closes_at: datetime.time | None


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


class ServiceList(Schema):
    items: list[ServiceOut]
    count: int
    limit: int
    offset: int


class ServiceFilters(Schema):
    q: str = Field("", description="Words to find, any case or accent (200 characters at most)")
    territory: str = Field("", description="QC, a region, an MRC or a municipality code")
    category: str = Field("", description="A category code")
    clientele: str = Field("", description="seniors, families, singles, youth or disabilities")
    open_now: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


class ServiceIn(Schema):
    directory_organization_id: uuid.UUID
    name: str
    description: str
    alternate_name: str = ""
    url: str = ""
    email: str = ""
    status: str = Field("active", description="active, inactive or temporarily closed (retire with /retire)")
    interpretation_services: str = ""
    application_process: str = ""
    fees_description: str = ""
    eligibility_description: str = ""
    accessibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    alert: str = ""
    categories: list[str] = Field(default_factory=list, description="Category codes")
    clienteles: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list, description="Language names, e.g. français")
    service_area_codes: list[str] = Field(default_factory=list, description="Territory codes the service serves")
    location_name: str = ""
    address_1: str = ""
    municipality_code: str | None = None
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str = ""
    hours: str = Field("", description="e.g. MO-FR 09:00-12:00,13:00-16:30; SA 10:00-12:00")


class ServicePatch(Schema):
    version: int
    directory_organization_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    alternate_name: str | None = None
    url: str | None = None
    email: str | None = None
    status: str | None = None
    interpretation_services: str | None = None
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    accessibility: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    alert: str | None = None
    categories: list[str] | None = None
    clienteles: list[str] | None = None
    languages: list[str] | None = None
    service_area_codes: list[str] | None = None
    location_name: str | None = None
    address_1: str | None = None
    municipality_code: str | None = None
    postal_code: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str | None = None
    hours: str | None = None


class RetireIn(Schema):
    reason: str


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
    query = search_query(text=filters.q, territory=filters.territory, category=filters.category,
                         clientele=filters.clientele, open_now=filters.open_now)
    found = services_search(query)
    page = list(found[filters.offset : filters.offset + filters.limit])
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset}


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
