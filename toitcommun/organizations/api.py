"""Organizations as JSON: the public directory of who acts in social and community housing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import (
    Email,
    MunicipalityCode,
    Offset,
    RecordId,
    WebAddress,
    absent,
    required_text,
    text,
)
from toitcommun.api_schemas import ConflictOut
from toitcommun.errors import VersionConflict
from toitcommun.territory.api import municipality_pk_for
from toitcommun.territory.selectors import territory_get

from .models import Organization, OrganizationKind
from .selectors import organizations_list
from .services import organization_create, organization_get, organization_update

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    municipality_code: str | None
    address: str
    postal_code: str
    phone: str
    email: str
    website: str
    description: str
    version: int

    @staticmethod
    def resolve_municipality_code(obj: Organization) -> str | None:
        return obj.municipality.code if obj.municipality is not None else None


class OrganizationList(Schema):
    items: list[OrganizationOut]
    count: int
    limit: int
    offset: int


class OrganizationFilters(Schema):
    kind: OrganizationKind | None = None
    territory: str | None = Field(None, max_length=12, description="QC, a region, an MRC or a municipality code")
    q: str | None = Field(None, max_length=200, description="Part of the name, any case or accent")
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


class OrganizationIn(Schema):
    name: required_text(200)  # type: ignore[valid-type]
    kind: OrganizationKind
    municipality_code: MunicipalityCode | None = None
    address: text(300) = ""  # type: ignore[valid-type]
    postal_code: text(7) = ""  # type: ignore[valid-type]
    phone: text(40) = ""  # type: ignore[valid-type]
    email: Email = ""
    website: WebAddress = ""
    description: text(4000) = ""  # type: ignore[valid-type]


class OrganizationPatch(Schema):
    version: int
    name: required_text(200) = absent()  # type: ignore[valid-type]
    kind: OrganizationKind = absent()
    municipality_code: MunicipalityCode | None = None
    address: text(300) | None = None  # type: ignore[valid-type]
    postal_code: text(7) | None = None  # type: ignore[valid-type]
    phone: text(40) | None = None  # type: ignore[valid-type]
    email: Email | None = None
    website: WebAddress | None = None
    description: text(4000) | None = None  # type: ignore[valid-type]


def _form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """API field names to the organization form's: the municipality becomes its primary key."""
    data = dict(fields)
    if "municipality_code" in data:
        data["municipality"] = municipality_pk_for(data.pop("municipality_code"))
    return data


@router.get("/organizations", response=OrganizationList, summary="Search organizations")
def organization_list(request: HttpRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    found = organizations_list(
        territory=territory_get(filters.territory) if filters.territory else None,
        kind=filters.kind.value if filters.kind else "",
        q=(filters.q or "").strip(),
    )
    page = list(found[filters.offset : filters.offset + filters.limit])
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset}


@router.get("/organizations/{organization_id}", response=OrganizationOut, summary="One organization")
def organization_detail(request: HttpRequest, organization_id: RecordId) -> Organization:
    return organization_get(organization_id)


@router.post("/organizations", response={201: OrganizationOut, 409: ConflictOut}, auth=write_auth, summary="Register an organization")
def organization_add(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    return Status(201, organization_create(actor=actor_of(request), data=_form_data(payload.model_dump(mode="json"))))


@router.patch("/organizations/{organization_id}", response=OrganizationOut, auth=write_auth,
              summary="Change an organization (send the version you read)")
def organization_change(request: HttpRequest, organization_id: RecordId, payload: OrganizationPatch) -> Organization:
    fields = payload.model_dump(mode="json", exclude_unset=True)
    version = fields.pop("version")
    try:
        return organization_update(actor=actor_of(request), organization_id=organization_id, version=version,
                                   data=_form_data(fields))
    except VersionConflict as conflict:
        conflict.current = OrganizationOut.from_orm(organization_get(organization_id)).model_dump(mode="json")
        raise
