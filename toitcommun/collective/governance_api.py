"""Groups, their mandates, meetings, minutes and recommendations as JSON.

Reads are open and answer what the caller may see (a bearer token or the site's session names the
caller); what they may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.access.services import api_token_authenticate
from toitcommun.api_params import Offset, RecordId, TerritoryCode, required_text, text
from toitcommun.territory.selectors import territory_get

from . import governance_rules as rules
from .governance_selectors import (
    agenda_visible_to,
    decisions_visible_to,
    group_get,
    groups_list,
    holder_name_for,
    mandates_of,
    meeting_get,
    meetings_visible_to,
    minutes_get,
    minutes_visible_to,
    recommendation_get,
)
from .minutes_services import minutes_draft, minutes_edit, minutes_publish, minutes_submit
from .models import GroupKind, Meeting, Minutes, Recommendation, RecommendationAnswer
from .recommendation_services import recommendation_acknowledge, recommendation_answer

router = Router(tags=["collective"])


def viewer_of(request: HttpRequest) -> Any:
    """Who reads: the bearer token's user, else the session's; an unknown token reads as the public."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        found = api_token_authenticate(header[7:].strip())
        return found.user if found is not None else AnonymousUser()
    return request.user


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    territory_code: str


class GroupList(Schema):
    items: list[GroupOut]
    count: int
    limit: int
    offset: int


class GroupFilters(Schema):
    territory: TerritoryCode | None = Field(None, description="QC, a region, an MRC or a municipality code; "
                                                             "an MRC includes its municipalities' groups")
    kind: GroupKind | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


class MandateOut(Schema):
    holder_name: str = Field(description="Empty for a person when the caller is not signed in")
    holder_kind: str
    role: str
    voting: bool
    starts_on: datetime.date
    ends_on: datetime.date | None


class MandateList(Schema):
    items: list[MandateOut]
    count: int


class AttendanceOut(Schema):
    members_present: int
    counted_total: int


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    starts_at: datetime.datetime
    place: str
    audience: str
    quorum_reached: bool | None = Field(description="Whether quorum was reached at the meeting's decisions "
                                                    "(all of those the caller sees); null without decisions")
    attendance: AttendanceOut


class MeetingList(Schema):
    items: list[MeetingOut]
    count: int


class AgendaItemOut(Schema):
    position: int
    kind: str
    title: str


class DecisionOut(Schema):
    number: int
    text: str
    method: str
    quorum_reached: bool
    voting_present: int
    voting_total: int


class MinutesOut(Schema):
    id: int
    revision: int
    state: str
    text: str
    in_camera_text: str | None = Field(description="Members only; null for the others")
    version: int


class MeetingDetail(MeetingOut):
    group_id: int
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]
    minutes: list[MinutesOut]


class RecommendationOut(Schema):
    id: int
    group_id: int
    title: str
    text: str
    state: str
    sent_on: datetime.date | None
    due_on: datetime.date | None
    overdue: bool
    answer: str
    reply: str
    answered_on: datetime.date | None


class MinutesIn(Schema):
    text: required_text(50_000)  # type: ignore[valid-type]
    in_camera_text: text(20_000) = ""  # type: ignore[valid-type]


class MinutesEdit(MinutesIn):
    version: int = Field(ge=1, le=2**31)


class AnswerIn(Schema):
    answer: RecommendationAnswer
    reply: required_text(10_000)  # type: ignore[valid-type]


def _meeting_out(meeting: Meeting, decisions: list[Any]) -> dict[str, Any]:
    return {"id": meeting.pk, "title": meeting.title, "kind": meeting.kind, "state": meeting.state,
            "starts_at": meeting.starts_at, "place": meeting.place, "audience": meeting.audience,
            "quorum_reached": all(d.quorum_reached for d in decisions) if decisions else None,
            "attendance": {"members_present": meeting.members_present, "counted_total": meeting.counted_total}}


def _minutes_out(user: Any, minutes: Minutes) -> dict[str, Any]:
    members = rules.sees_members_only(user, minutes.meeting.group)
    return {"id": minutes.pk, "revision": minutes.revision, "state": minutes.state, "text": minutes.text,
            "in_camera_text": minutes.in_camera_text if members else None, "version": minutes.version}


def _recommendation_out(rec: Recommendation) -> dict[str, Any]:
    return {"id": rec.pk, "group_id": rec.group_id, "title": rec.title, "text": rec.text, "state": rec.state,
            "sent_on": rec.sent_on, "due_on": rec.due_on, "overdue": rec.is_overdue(timezone.localdate()),
            "answer": rec.answer, "reply": rec.reply, "answered_on": rec.answered_on}


@router.get("/groups", response=GroupList, summary="Groups acting in a territory")
def group_list(request: HttpRequest, filters: Query[GroupFilters]) -> dict[str, Any]:
    found = groups_list(territory=territory_get(filters.territory) if filters.territory else None,
                        kind=filters.kind.value if filters.kind else "")
    page = list(found[filters.offset: filters.offset + filters.limit])
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset}


@router.get("/groups/{group_id}", response=GroupOut, summary="One group")
def group_detail(request: HttpRequest, group_id: RecordId) -> Any:
    return group_get(group_id)


@router.get("/groups/{group_id}/mandates", response=MandateList, summary="Who held which role when")
def group_mandates(request: HttpRequest, group_id: RecordId) -> dict[str, Any]:
    user = viewer_of(request)
    mandates = list(mandates_of(group_get(group_id)))
    items = [{"holder_name": holder_name_for(user, m), "holder_kind": m.holder_kind, "role": m.role,
              "voting": m.voting, "starts_on": m.starts_on, "ends_on": m.ends_on} for m in mandates]
    return {"items": items, "count": len(items)}


@router.get("/groups/{group_id}/meetings", response=MeetingList, summary="The group's meetings the caller may see")
def group_meetings(request: HttpRequest, group_id: RecordId) -> dict[str, Any]:
    user = viewer_of(request)
    group = group_get(group_id)
    meetings = list(meetings_visible_to(user, group).prefetch_related("decisions"))
    members = rules.sees_members_only(user, group)
    items = [_meeting_out(m, [d for d in m.decisions.all() if members or not d.in_camera]) for m in meetings]
    return {"items": items, "count": len(items)}


@router.get("/meetings/{meeting_id}", response=MeetingDetail, summary="A meeting: agenda, decisions, minutes")
def meeting_detail(request: HttpRequest, meeting_id: RecordId) -> dict[str, Any]:
    user = viewer_of(request)
    meeting = meeting_get(user, meeting_id)
    decisions = decisions_visible_to(user, meeting)
    return {**_meeting_out(meeting, decisions), "group_id": meeting.group_id,
            "agenda": agenda_visible_to(user, meeting), "decisions": decisions,
            "minutes": [_minutes_out(user, m) for m in minutes_visible_to(user, meeting)]}


@router.get("/minutes/{minutes_id}", response=MinutesOut, summary="One version of a meeting's minutes")
def minutes_detail(request: HttpRequest, minutes_id: RecordId) -> dict[str, Any]:
    user = viewer_of(request)
    return _minutes_out(user, minutes_get(user, minutes_id))


@router.post("/meetings/{meeting_id}/minutes", response={201: MinutesOut}, auth=write_auth,
             summary="Draft the minutes of a held meeting (or a correction of adopted ones)")
def minutes_add(request: HttpRequest, meeting_id: RecordId, payload: MinutesIn) -> Status[dict[str, Any]]:
    user = actor_of(request)
    meeting_get(user, meeting_id)
    minutes = minutes_draft(actor=user, meeting_id=meeting_id, text=payload.text,
                            in_camera_text=payload.in_camera_text)
    return Status(201, _minutes_out(user, minutes))


@router.patch("/minutes/{minutes_id}", response=MinutesOut, auth=write_auth,
              summary="Change minutes not yet adopted (send the version you read)")
def minutes_change(request: HttpRequest, minutes_id: RecordId, payload: MinutesEdit) -> dict[str, Any]:
    user = actor_of(request)
    minutes = minutes_edit(actor=user, minutes_id=minutes_id, version=payload.version, text=payload.text,
                           in_camera_text=payload.in_camera_text)
    return _minutes_out(user, minutes)


@router.post("/minutes/{minutes_id}/submit", response=MinutesOut, auth=write_auth,
             summary="Submit draft minutes to the members")
def minutes_submit_api(request: HttpRequest, minutes_id: RecordId) -> dict[str, Any]:
    user = actor_of(request)
    return _minutes_out(user, minutes_submit(actor=user, minutes_id=minutes_id))


@router.post("/minutes/{minutes_id}/publish", response=MinutesOut, auth=write_auth,
             summary="Publish adopted minutes to the meeting's audience")
def minutes_publish_api(request: HttpRequest, minutes_id: RecordId) -> dict[str, Any]:
    user = actor_of(request)
    return _minutes_out(user, minutes_publish(actor=user, minutes_id=minutes_id))


@router.get("/recommendations/{recommendation_id}", response=RecommendationOut, summary="One recommendation")
def recommendation_detail(request: HttpRequest, recommendation_id: RecordId) -> dict[str, Any]:
    return _recommendation_out(recommendation_get(viewer_of(request), recommendation_id))


@router.post("/recommendations/{recommendation_id}/acknowledge", response=RecommendationOut, auth=write_auth,
             summary="The housing office acknowledges a recommendation")
def recommendation_acknowledge_api(request: HttpRequest, recommendation_id: RecordId) -> dict[str, Any]:
    return _recommendation_out(recommendation_acknowledge(actor=actor_of(request),
                                                          recommendation_id=recommendation_id))


@router.post("/recommendations/{recommendation_id}/answer", response=RecommendationOut, auth=write_auth,
             summary="The housing office answers a recommendation")
def recommendation_answer_api(request: HttpRequest, recommendation_id: RecordId,
                              payload: AnswerIn) -> dict[str, Any]:
    return _recommendation_out(recommendation_answer(actor=actor_of(request), recommendation_id=recommendation_id,
                                                     answer=payload.answer.value, reply=payload.reply))
