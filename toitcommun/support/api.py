"""Interventions and referrals as JSON, with the pages' visibility rules.

A person's interventions carry ``summary`` and ``notes`` only where the caller may see
them (keys absent otherwise). A referral the caller may not see answers 404.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Offset, RecordId, required_text, text
from toitcommun.people import bounds
from toitcommun.people.api import CategoryCode, signed_in
from toitcommun.people.models import AccessAction

from . import services
from .models import CaseReview, Referral
from .rollups import intervention_statistics
from .selectors import (
    InterventionView,
    ReviewItemView,
    case_review_get,
    case_review_slice,
    interventions_of,
    referral_get,
    referral_slice,
)

router = Router(tags=["support"])

InterventionCategoryCode = Literal["welcome", "referral", "accompaniment", "conflict", "crisis",
                                   "committee_support", "community_organizing", "outreach"]
OutcomeCode = Literal["service_received", "tenant_declined", "unreachable", "ineligible", "other"]


# ---- statistics (the monthly roll-ups) ---------------------------------------------------------


class StatisticsCell(Schema):
    category: InterventionCategoryCode
    interventions: int | None = Field(description="null: fewer than small_cell, not shown (researchers)")


class StatisticsRowOut(Schema):
    mrc_code: str = Field(description="Empty: interventions placed in no MRC")
    mrc_name: str
    cells: list[StatisticsCell]
    total: int | None = Field(description="null: hidden, as it would give a suppressed cell back")
    minutes: int | None
    participants: int | None


class StatisticsOut(Schema):
    year: int
    research: bool = Field(description="true: every organization's figures, de-identified")
    organizations: list[str] = Field(description="The organizations counted (empty for researchers: all)")
    small_cell: int
    rows: list[StatisticsRowOut]
    total: int


class StatisticsFilters(Schema):
    year: int = Field(ge=2000, le=2100, description="The calendar year")


@router.get("/intervention-statistics", response=StatisticsOut, auth=write_auth,
            summary="Interventions of a year by MRC and category: your organizations' own, or de-identified "
                    "for researchers", openapi_extra=signed_in())
def intervention_statistics_read(request: HttpRequest, filters: Query[StatisticsFilters]) -> dict[str, Any]:
    stats = intervention_statistics(actor_of(request), filters.year)
    return {"year": stats.year, "research": stats.research, "organizations": stats.organizations,
            "small_cell": stats.small_cell, "total": stats.total,
            "rows": [{"mrc_code": r.mrc_code, "mrc_name": r.mrc_name, "total": r.total, "minutes": r.minutes,
                      "participants": r.participants,
                      "cells": [{"category": code, "interventions": r.cells[code]}
                                for code, _label in stats.categories if code in r.cells]}
                     for r in stats.rows]}


# ---- interventions ----------------------------------------------------------------------------


class InterventionIn(Schema):
    person_ids: list[RecordId] = Field(max_length=bounds.MAX_PERSONS,
                                       description="One person (individual) or several (collective)")
    category: InterventionCategoryCode
    date: datetime.date
    duration_minutes: int = Field(ge=bounds.DURATION_MINUTES[0], le=bounds.DURATION_MINUTES[1])
    summary: required_text(bounds.SUMMARY_LENGTH)  # type: ignore[valid-type]
    notes: text(bounds.NOTES_LENGTH) = ""  # type: ignore[valid-type]
    follow_up_on: datetime.date | None = None
    building_id: RecordId | None = Field(None, description="A collective intervention in a building")
    group_label: text(200) = Field("", description="A collective intervention with a group")  # type: ignore[valid-type]
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class InterventionOut(Schema):
    """``summary`` and ``notes`` are present only where you may see them."""

    id: int
    organization_id: int
    date: datetime.date
    duration_minutes: int
    category: InterventionCategoryCode
    mode: Literal["individual", "collective"]
    follow_up_on: datetime.date | None = None
    summary: str | None = None
    notes: str | None = None


class InterventionList(Schema):
    items: list[InterventionOut]
    count: int
    limit: int
    offset: int


class Paging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


def intervention_out(view: InterventionView) -> dict[str, Any]:
    i = view.intervention
    out: dict[str, Any] = {"id": i.pk, "organization_id": i.organization_id, "date": i.date,
                           "duration_minutes": i.duration_minutes, "category": i.category, "mode": i.mode,
                           "follow_up_on": i.follow_up_on}
    if view.summary is not None:
        out["summary"] = view.summary
    if view.notes is not None:
        out["notes"] = view.notes
    return out


@router.post("/interventions", response={201: InterventionOut}, auth=write_auth, exclude_unset=True,
             summary="Record an intervention", openapi_extra=signed_in())
def interventions_add(request: HttpRequest, payload: InterventionIn) -> Status:
    done = services.intervention_record(actor=actor_of(request), **payload.model_dump())
    return Status(201, intervention_out(InterventionView(done, done.summary, done.notes, True)))


@router.get("/people/{person_id}/interventions", response=InterventionList, auth=write_auth, exclude_unset=True,
            summary="A person's interventions you may see; summary and notes only where you may see them",
            openapi_extra=signed_in())
def people_interventions(request: HttpRequest, person_id: RecordId, paging: Query[Paging]) -> dict[str, Any]:
    _person, _access, views, total = interventions_of(actor_of(request), person_id, offset=paging.offset,
                                                      limit=paging.limit)
    return {"items": [intervention_out(v) for v in views], "count": total, "limit": paging.limit,
            "offset": paging.offset}


# ---- referrals --------------------------------------------------------------------------------


class ReferralIn(Schema):
    person_id: RecordId
    service_id: uuid.UUID = Field(description="A directory service (GET /directory/services)")
    reason: required_text(bounds.REASON_LENGTH)  # type: ignore[valid-type]
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class ReasonIn(Schema):
    reason: text(500) = ""  # type: ignore[valid-type]


class CloseIn(Schema):
    outcome: OutcomeCode
    reason: text(500) = ""  # type: ignore[valid-type]


class ReferralEventOut(Schema):
    at: datetime.datetime
    organization_id: int | None
    from_state: str = Field(description="Empty for the first step")
    to_state: str
    reason: str


StateCode = Literal["draft", "sent", "accepted", "declined", "expired", "in_progress", "closed", "withdrawn",
                    "suspended"]


class ReferralSummary(Schema):
    id: int
    person_id: int
    service_id: uuid.UUID
    service_name: str
    sending_organization_id: int
    receiving_organization_id: int
    state: StateCode = Field(description="As of this request: a sent referral unanswered in time is expired")
    outcome: OutcomeCode | None
    sent_at: datetime.datetime | None
    age_days: int | None = Field(description="Whole days since it was sent; null for a draft")

    @staticmethod
    def resolve_service_name(obj: Referral) -> str:
        return obj.service.name

    @staticmethod
    def resolve_state(obj: Referral) -> str:
        return obj.effective_state()

    @staticmethod
    def resolve_outcome(obj: Referral) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_age_days(obj: Referral) -> int | None:
        return obj.age_days()


class ReferralOut(ReferralSummary):
    """A referral with its reason and every dated step."""

    reason: str
    events: list[ReferralEventOut]

    @staticmethod
    def resolve_events(obj: Referral) -> list[Any]:
        return list(obj.events.all())


def _read(request: HttpRequest, referral: Referral) -> Referral:
    """The referral as stored now, with its events, read as the caller may see it (and logged)."""
    return referral_get(actor_of(request), referral.pk, action=AccessAction.VIEW)


@router.post("/referrals", response={201: ReferralOut}, auth=write_auth,
             summary="Draft a referral of a person to a directory service", openapi_extra=signed_in())
def referrals_add(request: HttpRequest, payload: ReferralIn) -> Status:
    referral = services.referral_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, _read(request, referral))


class ReferralList(Schema):
    items: list[ReferralSummary]
    count: int
    limit: int
    offset: int


class ReferralFilters(Schema):
    open_over_days: int | None = Field(None, ge=1, le=3650,
                                       description="Only referrals still open that were sent more than this many "
                                                   "days ago, oldest first")
    direction: Literal["sent", "received"] | None = Field(None, description="Sent or received by your organization")
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


@router.get("/referrals", response=ReferralList, auth=write_auth,
            summary="Referrals your organization sent or received (open_over_days=30: those still open past 30 days)",
            openapi_extra=signed_in())
def referrals_list(request: HttpRequest, filters: Query[ReferralFilters]) -> dict[str, Any]:
    rows, total = referral_slice(actor_of(request), open_over_days=filters.open_over_days,
                                 direction=filters.direction, offset=filters.offset, limit=filters.limit)
    return {"items": rows, "count": total, "limit": filters.limit, "offset": filters.offset}


@router.get("/referrals/{referral_id}", response=ReferralOut, auth=write_auth,
            summary="A referral with its state, outcome and events", openapi_extra=signed_in())
def referrals_detail(request: HttpRequest, referral_id: RecordId) -> Referral:
    return referral_get(actor_of(request), referral_id)


@router.post("/referrals/{referral_id}/send", response=ReferralOut, auth=write_auth,
             summary="Send a draft (needs an active consent naming the receiving organization, else 422)",
             openapi_extra=signed_in())
def referrals_send(request: HttpRequest, referral_id: RecordId) -> Referral:
    return _read(request, services.referral_send(actor=actor_of(request), referral_id=referral_id))


@router.post("/referrals/{referral_id}/accept", response=ReferralOut, auth=write_auth,
             summary="The receiving organization accepts", openapi_extra=signed_in())
def referrals_accept(request: HttpRequest, referral_id: RecordId) -> Referral:
    return _read(request, services.referral_accept(actor=actor_of(request), referral_id=referral_id))


@router.post("/referrals/{referral_id}/decline", response=ReferralOut, auth=write_auth,
             summary="The receiving organization declines", openapi_extra=signed_in())
def referrals_decline(request: HttpRequest, referral_id: RecordId, payload: ReasonIn) -> Referral:
    return _read(request, services.referral_decline(actor=actor_of(request), referral_id=referral_id,
                                                    reason=payload.reason))


@router.post("/referrals/{referral_id}/start", response=ReferralOut, auth=write_auth,
             summary="The receiving organization starts the service", openapi_extra=signed_in())
def referrals_start(request: HttpRequest, referral_id: RecordId) -> Referral:
    return _read(request, services.referral_start(actor=actor_of(request), referral_id=referral_id))


@router.post("/referrals/{referral_id}/close", response=ReferralOut, auth=write_auth,
             summary="The receiving organization closes with an outcome", openapi_extra=signed_in())
def referrals_close(request: HttpRequest, referral_id: RecordId, payload: CloseIn) -> Referral:
    return _read(request, services.referral_close(actor=actor_of(request), referral_id=referral_id,
                                                  outcome=payload.outcome, reason=payload.reason))


@router.post("/referrals/{referral_id}/withdraw", response=ReferralOut, auth=write_auth,
             summary="The sender withdraws", openapi_extra=signed_in())
def referrals_withdraw(request: HttpRequest, referral_id: RecordId, payload: ReasonIn) -> Referral:
    return _read(request, services.referral_withdraw(actor=actor_of(request), referral_id=referral_id,
                                                     reason=payload.reason))


# ---- case reviews -----------------------------------------------------------------------------


class CaseReviewIn(Schema):
    held_on: datetime.date
    title: required_text(200)  # type: ignore[valid-type]
    organization_ids: list[RecordId] = Field(min_length=1, max_length=50,
                                             description="The organizations present (yours is added)")
    categories: list[CategoryCode] = Field(max_length=5, description="Discussed; identity always is")
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class CaseReviewOut(Schema):
    id: int
    held_on: datetime.date
    title: str
    convening_organization_id: int
    organization_ids: list[int]
    categories: list[CategoryCode]
    item_count: int | None = None

    @staticmethod
    def resolve_organization_ids(obj: CaseReview) -> list[int]:
        return sorted(o.pk for o in obj.organizations.all())

    @staticmethod
    def resolve_item_count(obj: CaseReview) -> int | None:
        return getattr(obj, "item_count", None)


class CaseReviewList(Schema):
    items: list[CaseReviewOut]
    count: int
    limit: int
    offset: int


class CaseReviewNoteOut(Schema):
    id: int
    organization_id: int
    written_at: datetime.datetime
    text: str


class CaseReviewItemOut(Schema):
    """A withdrawn person (consent no longer in force) carries no person_id nor name for other organizations."""

    id: int
    in_force: bool = Field(description="Active consents still name every organization present for the categories")
    person_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    notes: list[CaseReviewNoteOut]


class CaseReviewDetail(Schema):
    id: int
    held_on: datetime.date
    title: str
    convening_organization_id: int
    organization_ids: list[int]
    categories: list[CategoryCode]
    item_count: int
    items: list[CaseReviewItemOut]


class CaseReviewItemIn(Schema):
    person_id: RecordId
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


class CaseReviewNoteIn(Schema):
    text: required_text(bounds.NOTES_LENGTH)  # type: ignore[valid-type]
    organization_id: RecordId | None = Field(None, description="The organization you act for, if several")


def review_item_out(view: ReviewItemView) -> dict[str, Any]:
    out: dict[str, Any] = {"id": view.item.pk, "in_force": view.in_force,
                           "notes": [{"id": n.pk, "organization_id": n.organization_id, "written_at": n.written_at,
                                      "text": n.text} for n in view.notes]}
    if view.named:
        person = view.item.person
        out |= {"person_id": person.pk, "first_name": person.first_name, "last_name": person.last_name}
    return out


def review_detail_out(review: CaseReview, views: list[ReviewItemView]) -> dict[str, Any]:
    return {"id": review.pk, "held_on": review.held_on, "title": review.title,
            "convening_organization_id": review.convening_organization_id,
            "organization_ids": sorted(o.pk for o in review.organizations.all()), "categories": review.categories,
            "item_count": len(views), "items": [review_item_out(v) for v in views]}


@router.get("/case-reviews", response=CaseReviewList, auth=write_auth, exclude_unset=True,
            summary="The case reviews your organization attends", openapi_extra=signed_in())
def case_reviews_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    rows, total = case_review_slice(actor_of(request), offset=paging.offset, limit=paging.limit)
    return {"items": rows, "count": total, "limit": paging.limit, "offset": paging.offset}


@router.post("/case-reviews", response={201: CaseReviewOut}, auth=write_auth,
             summary="Convene a case review of named organizations", openapi_extra=signed_in())
def case_reviews_add(request: HttpRequest, payload: CaseReviewIn) -> Status:
    review = services.case_review_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, review)


@router.get("/case-reviews/{review_id}", response=CaseReviewDetail, auth=write_auth, exclude_unset=True,
            summary="A case review and its persons, the consent rule checked at this request (each person shown "
                    "is logged)", openapi_extra=signed_in())
def case_reviews_detail(request: HttpRequest, review_id: RecordId) -> dict[str, Any]:
    review, views = case_review_get(actor_of(request), review_id)
    return review_detail_out(review, views)


@router.post("/case-reviews/{review_id}/items", response={201: CaseReviewItemOut}, auth=write_auth,
             exclude_unset=True,
             summary="Put a person on the review (422 naming which organization lacks consent for which category)",
             openapi_extra=signed_in())
def case_reviews_add_item(request: HttpRequest, review_id: RecordId, payload: CaseReviewItemIn) -> Status:
    actor = actor_of(request)
    item = services.case_review_add_person(actor=actor, review_id=review_id, **payload.model_dump())
    _review, views = case_review_get(actor, review_id, item_id=item.pk)
    return Status(201, review_item_out(views[0]))


@router.post("/case-reviews/{review_id}/items/{item_id}/notes", response={201: CaseReviewNoteOut}, auth=write_auth,
             summary="Write your organization's notes on a person discussed", openapi_extra=signed_in())
def case_reviews_add_note(request: HttpRequest, review_id: RecordId, item_id: RecordId,
                          payload: CaseReviewNoteIn) -> Status:
    note = services.case_review_note_write(actor=actor_of(request), review_id=review_id, item_id=item_id,
                                           **payload.model_dump())
    return Status(201, note)
