"""Persons and consents as JSON, with the pages' visibility rules.

Every route needs a signed-in caller. A person or consent the caller may not see
answers 404, the same as one that does not exist; a person's record carries only
the keys of the categories the caller may see. Every read is in the access log.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Email, Offset, RecordId, required_text, text
from toitcommun.errors import NotFound

from .models import CATEGORIES, Category, Consent, Person
from .selectors import (
    PersonAccess,
    consents_of,
    household_get,
    household_slice,
    person_get,
    person_search,
)
from .services import (
    consent_record,
    consent_revoke,
    household_add_member,
    household_create,
    household_remove_member,
    person_merge,
    person_register,
)

router = Router(tags=["people"])

CategoryCode = Literal["identity", "housing", "interventions", "notes", "referrals"]
assert set(CategoryCode.__args__) == set(CATEGORIES)  # type: ignore[attr-defined]  # noqa: S101


def signed_in(*more: tuple[int, str, str]) -> dict[str, Any]:
    """The answers of a route that needs a caller, beside its own (OpenAPI)."""
    answers = ((401, "Missing or bad token", "Error"), (403, "Not allowed", "Error"),
               (404, "Unknown, or not visible to you (the same answer)", "Error"), *more)
    return {"responses": {str(status): {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape}"}}},
    } for status, description, shape in answers}}


# ---- persons ----------------------------------------------------------------------------------


class PersonIn(Schema):
    first_name: required_text(100)  # type: ignore[valid-type]
    last_name: required_text(100)  # type: ignore[valid-type]
    phone: text(40) = ""  # type: ignore[valid-type]
    email: Email = ""
    languages: text(200) = ""  # type: ignore[valid-type]
    building_id: RecordId | None = None
    unit: text(20) = ""  # type: ignore[valid-type]
    clientele: Literal["seniors", "families", "singles", ""] = ""
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class PersonOut(Schema):
    """Keys present only for the categories the caller may see."""

    id: int
    categories: list[CategoryCode] = Field(description="The categories of this person's record you may see")
    basis: Literal["own_organization", "consent"] = Field(
        description="Why: your organization holds the file, or a consent shares it")
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    languages: str | None = None
    building_id: int | None = None
    building_name: str | None = None
    unit: str | None = None
    household_id: int | None = None
    clientele: str | None = None
    possible_duplicates: int | None = Field(None, description="On registration: existing persons that look alike")


class PersonList(Schema):
    items: list[PersonOut]
    count: int
    limit: int
    offset: int


class PersonFilters(Schema):
    q: str = Field("", max_length=100, description="Part of a name, or 4 digits or more of a phone")
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


def person_out(person: Person, access: PersonAccess) -> dict[str, Any]:
    """A person as the caller may see them: only the keys of the categories they may see."""
    out: dict[str, Any] = {"id": person.pk, "categories": sorted(access.categories, key=CATEGORIES.index),
                           "basis": access.basis}
    if access.sees(Category.IDENTITY):
        out |= {"first_name": person.first_name, "last_name": person.last_name, "phone": person.phone,
                "email": person.email, "languages": person.languages}
    if access.sees(Category.HOUSING):
        out |= {"building_id": person.building_id,
                "building_name": person.building.name if person.building_id else None,  # type: ignore[union-attr]
                "unit": person.unit, "household_id": person.household_id, "clientele": person.clientele}
    return out


@router.post("/people", response={201: PersonOut}, auth=write_auth, exclude_unset=True,
             summary="Register a tenant your organization follows (opens its file)", openapi_extra=signed_in())
def people_add(request: HttpRequest, payload: PersonIn) -> Status:
    actor = actor_of(request)
    person, duplicates = person_register(actor=actor, **payload.model_dump())
    person, access = person_get(actor, person.pk, log=False)
    return Status(201, person_out(person, access) | {"possible_duplicates": duplicates})


@router.get("/people", response=PersonList, auth=write_auth, exclude_unset=True,
            summary="Persons you may name (your files, and consents naming your organization)",
            openapi_extra=signed_in())
def people_list(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    rows, total = person_search(actor_of(request), q=filters.q, offset=filters.offset, limit=filters.limit)
    return {"items": [person_out(p, a) for p, a in rows], "count": total, "limit": filters.limit,
            "offset": filters.offset}


@router.get("/people/{person_id}", response=PersonOut, auth=write_auth, exclude_unset=True,
            summary="One person: only the categories you may see, as keys present or absent",
            openapi_extra=signed_in())
def people_detail(request: HttpRequest, person_id: RecordId) -> dict[str, Any]:
    person, access = person_get(actor_of(request), person_id)
    return person_out(person, access)


class MergeIn(Schema):
    merge_id: RecordId = Field(description="The duplicate merged into this person: its records move here")


@router.post("/people/{person_id}/merge", response=PersonOut, auth=write_auth, exclude_unset=True,
             summary="Merge a duplicate into this person: files, consents, interventions, referrals and case reviews "
                     "move here; the duplicate then answers 404 (audited)", openapi_extra=signed_in())
def people_merge(request: HttpRequest, person_id: RecordId, payload: MergeIn) -> dict[str, Any]:
    actor = actor_of(request)
    person_merge(actor=actor, keep_id=person_id, merge_id=payload.merge_id)
    person, access = person_get(actor, person_id)
    return person_out(person, access)


# ---- consents ---------------------------------------------------------------------------------


class ConsentIn(Schema):
    person_id: RecordId
    receiving_organization_ids: list[RecordId] = Field(
        min_length=1, max_length=50, description="At least one: an empty list never means all")
    categories: list[CategoryCode] = Field(min_length=1, max_length=5)
    purpose: required_text(1000)  # type: ignore[valid-type]
    given_by: Literal["person", "guardian", "representative"]
    given_by_name: text(200) = ""  # type: ignore[valid-type]
    method: Literal["signed", "verbal", "legal_exception"]
    witness_name: text(200) = Field("", description="Verbal consent: the witness, who is not the recorder")  # type: ignore[valid-type]
    legal_basis: text(300) = Field("", description="Legal exception: the article of law")  # type: ignore[valid-type]
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="A year after the start at most")
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class ConsentOut(Schema):
    id: int
    person_id: int
    recording_organization_id: int
    receiving_organization_ids: list[int]
    categories: list[CategoryCode]
    purpose: str
    given_by: str
    method: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: Literal["active", "future", "expired", "revoked"] = Field(description="As of this request")
    revoked_at: datetime.datetime | None
    revocation_method: str

    @staticmethod
    def resolve_receiving_organization_ids(obj: Consent) -> list[int]:
        return sorted(o.pk for o in obj.receiving_organizations.all())

    @staticmethod
    def resolve_status(obj: Consent) -> str:
        return obj.status()


class RevokeIn(Schema):
    method: Literal["written", "verbal", "phone", "other"]
    reason: text(500) = ""  # type: ignore[valid-type]


@router.post("/consents", response={201: ConsentOut}, auth=write_auth,
             summary="Record a tenant's consent to share categories with named organizations",
             openapi_extra=signed_in())
def consents_add(request: HttpRequest, payload: ConsentIn) -> Status:
    consent = consent_record(actor=actor_of(request), **payload.model_dump())
    return Status(201, consent)


@router.post("/consents/{consent_id}/revoke", response=ConsentOut, auth=write_auth,
             summary="Revoke a consent: effective on the very next request", openapi_extra=signed_in())
def consents_revoke(request: HttpRequest, consent_id: RecordId, payload: RevokeIn) -> Consent:
    return consent_revoke(actor=actor_of(request), consent_id=consent_id, method=payload.method,
                          reason=payload.reason)


@router.get("/people/{person_id}/consents", response=list[ConsentOut], auth=write_auth,
            summary="A person's consents (all of them for the file's holder; else the active ones naming you)",
            openapi_extra=signed_in())
def people_consents(request: HttpRequest, person_id: RecordId) -> list[Consent]:
    _person, consents = consents_of(actor_of(request), person_id)
    return consents



# ---- households -------------------------------------------------------------------------------


class HouseholdMemberOut(Schema):
    id: int
    first_name: str
    last_name: str


class HouseholdOut(Schema):
    """Only the members you may name and whose housing you may see."""

    id: int
    building_id: int | None
    unit: str
    members: list[HouseholdMemberOut]


class HouseholdList(Schema):
    items: list[HouseholdOut]
    count: int
    limit: int
    offset: int


class HouseholdIn(Schema):
    person_id: RecordId = Field(description="Its first member: a person whose file your organization holds")
    building_id: RecordId | None = Field(None, description="The person's building unless given")
    unit: text(20) = ""  # type: ignore[valid-type]


class MemberIn(Schema):
    person_id: RecordId


class HouseholdFilters(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


def household_out(household: Any) -> dict[str, Any]:
    return {"id": household.pk, "building_id": household.building_id, "unit": household.unit,
            "members": [{"id": p.pk, "first_name": p.first_name, "last_name": p.last_name}
                        for p in household.shown_members]}


def _household(request: HttpRequest, household_id: int) -> dict[str, Any]:
    household, _accesses = household_get(actor_of(request), household_id)
    return household_out(household)


@router.get("/households", response=HouseholdList, auth=write_auth,
            summary="Households with a member whose housing you may see, newest first", openapi_extra=signed_in())
def households_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> dict[str, Any]:
    rows, total = household_slice(actor_of(request), offset=filters.offset, limit=filters.limit)
    return {"items": [household_out(h) for h in rows], "count": total, "limit": filters.limit,
            "offset": filters.offset}


@router.post("/households", response={201: HouseholdOut}, auth=write_auth,
             summary="Form a household around a person whose file you hold", openapi_extra=signed_in())
def households_add(request: HttpRequest, payload: HouseholdIn) -> Status:
    household = household_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, _household(request, household.pk))


@router.get("/households/{household_id}", response=HouseholdOut, auth=write_auth,
            summary="A household with the members you may see", openapi_extra=signed_in())
def households_detail(request: HttpRequest, household_id: RecordId) -> dict[str, Any]:
    return _household(request, household_id)


@router.post("/households/{household_id}/members", response=HouseholdOut, auth=write_auth,
             summary="Add a person whose file you hold", openapi_extra=signed_in())
def households_add_member(request: HttpRequest, household_id: RecordId, payload: MemberIn) -> dict[str, Any]:
    household_add_member(actor=actor_of(request), household_id=household_id, person_id=payload.person_id)
    return _household(request, household_id)


@router.post("/households/{household_id}/members/{person_id}/remove", response=HouseholdOut, auth=write_auth,
             summary="Remove a person whose file you hold", openapi_extra=signed_in())
def households_remove_member(request: HttpRequest, household_id: RecordId, person_id: RecordId) -> dict[str, Any]:
    household = household_remove_member(actor=actor_of(request), household_id=household_id, person_id=person_id)
    try:
        return _household(request, household_id)
    except NotFound:  # its last member you may see has left it
        return {"id": household.pk, "building_id": household.building_id, "unit": household.unit, "members": []}
