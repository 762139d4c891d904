"""The privacy law's duties as JSON: a person's complete file, the confidentiality-incident register.

A person whose file the caller's organization does not hold, and an incident of another
organization, answer 404, the same as one that does not exist. Bad input answers 422.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Offset, RecordId, required_text, text
from toitcommun.support.selectors import person_complete_file

from .api import CategoryCode, signed_in
from .incidents import incident_get, incident_page_slice, incident_record, incident_update
from .models import AccessAction, ConfidentialityIncident

router = Router(tags=["people"])


# ---- a person's complete file -----------------------------------------------------------------


class FileOrganization(Schema):
    id: int
    name: str


class FilePerson(Schema):
    id: int
    first_name: str
    last_name: str
    phone: str
    email: str
    languages: str
    building: str | None
    municipality: str | None
    unit: str
    clientele: str
    household_id: int | None
    file_opened_at: str | None
    registered_at: str | None


class FileConsent(Schema):
    id: int
    recording_organization: str
    receiving_organizations: list[str]
    categories: list[CategoryCode]
    purpose: str
    given_by: str
    given_by_name: str
    method: str
    witness_name: str
    legal_basis: str
    starts_on: str | None
    ends_on: str | None
    status: Literal["active", "future", "expired", "revoked"]
    revoked_at: str | None
    revocation_method: str
    revocation_reason: str
    signed_form_attached: bool


class FileIntervention(Schema):
    id: int
    date: str | None
    duration_minutes: int
    category: str
    mode: str
    worker: str
    other_persons: int = Field(description="Other persons a collective intervention named (never their names)")
    summary: str
    notes: str
    follow_up_on: str | None


class FileReferralEvent(Schema):
    at: str | None
    organization: str | None
    from_state: str
    to_state: str
    reason: str


class FileReferral(Schema):
    id: int
    service: str
    sending_organization: str
    receiving_organization: str
    reason: str
    state: str
    outcome: str
    sent_at: str | None
    events: list[FileReferralEvent]


class FileAccessLine(Schema):
    at: str | None
    organization: str | None = Field(description="The reader's organization; never the reader's name")
    record_type: str
    record_id: int | None
    action: str
    categories: list[CategoryCode]
    basis: str
    outcome: str


class PersonFileOut(Schema):
    format: Literal["toitcommun.person_file.v1"]
    generated_at: str
    organization: FileOrganization
    person: FilePerson
    consents: list[FileConsent]
    interventions: list[FileIntervention]
    referrals: list[FileReferral]
    access_log: list[FileAccessLine]


@router.get("/people/{person_id}/file", response=PersonFileOut, auth=write_auth,
            summary="A person's complete file, for their access request (staff or privacy officer of an "
                    "organization holding the file); logged as an export",
            openapi_extra=signed_in())
def people_file(request: HttpRequest, person_id: RecordId) -> dict[str, Any]:
    return person_complete_file(actor_of(request), person_id, action=AccessAction.EXPORT)


# ---- the confidentiality-incident register ----------------------------------------------------


class IncidentIn(Schema):
    occurred_on: datetime.date
    occurred_until: datetime.date | None = None
    learned_on: datetime.date
    categories: list[CategoryCode] = Field(min_length=1, max_length=5,
                                           description="The categories of information concerned")
    information_description: required_text(1000, "The information concerned, by kind: never its content")  # type: ignore[valid-type]
    circumstances: required_text(2000)  # type: ignore[valid-type]
    persons_affected: int = Field(ge=0, le=10_000_000)
    persons_affected_estimated: bool = False
    injury_risk: Literal["serious", "not_serious", "assessing"]
    risk_assessment: text(2000) = ""  # type: ignore[valid-type]
    commission_notified_on: datetime.date | None = None
    persons_notified_on: datetime.date | None = None
    measures: text(2000) = ""  # type: ignore[valid-type]
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class IncidentUpdate(IncidentIn):
    version: int = Field(ge=1, le=2**31, description="The version you read: a later edit answers 409")


class IncidentOut(Schema):
    id: int
    organization_id: int
    occurred_on: datetime.date
    occurred_until: datetime.date | None
    learned_on: datetime.date
    categories: list[CategoryCode]
    information_description: str
    circumstances: str
    persons_affected: int
    persons_affected_estimated: bool
    injury_risk: Literal["serious", "not_serious", "assessing"]
    risk_assessment: str
    commission_notified_on: datetime.date | None
    persons_notified_on: datetime.date | None
    measures: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class IncidentList(Schema):
    items: list[IncidentOut]
    count: int
    limit: int
    offset: int


class IncidentFilters(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


@router.get("/incidents", response=IncidentList, auth=write_auth,
            summary="Your organization's register of confidentiality incidents (privacy officer)",
            openapi_extra=signed_in())
def incidents_list(request: HttpRequest, filters: Query[IncidentFilters]) -> dict[str, Any]:
    count, rows = incident_page_slice(actor_of(request), offset=filters.offset, limit=filters.limit)
    return {"items": rows, "count": count, "limit": filters.limit, "offset": filters.offset}


@router.post("/incidents", response={201: IncidentOut}, auth=write_auth,
             summary="Enter a confidentiality incident in your organization's register (privacy officer)",
             openapi_extra=signed_in())
def incidents_add(request: HttpRequest, payload: IncidentIn) -> Status:
    return Status(201, incident_record(actor=actor_of(request), **payload.model_dump()))


@router.get("/incidents/{incident_id}", response=IncidentOut, auth=write_auth,
            summary="One incident of your organization's register", openapi_extra=signed_in())
def incidents_detail(request: HttpRequest, incident_id: RecordId) -> ConfidentialityIncident:
    return incident_get(actor_of(request), incident_id)


@router.put("/incidents/{incident_id}", response=IncidentOut, auth=write_auth,
            summary="Edit an incident as the facts become known (audited; never deleted)",
            openapi_extra=signed_in((409, "Edited by someone else since your version", "Error")))
def incidents_update(request: HttpRequest, incident_id: RecordId, payload: IncidentUpdate) -> ConfidentialityIncident:
    data = payload.model_dump()
    data.pop("organization_id", None)
    return incident_update(actor=actor_of(request), incident_id=incident_id, **data)
