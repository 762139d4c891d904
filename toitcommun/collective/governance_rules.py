"""Who may see and do what in a group's governance: meetings, minutes, recommendations.

A member is a user who holds a mandate of the group active today (a delegate of a member
organization too); an officer holds an active president, vice-president, secretary or
treasurer mandate. A former member is a member no more. Administrators see and do everything.
The office's respondent is the staff of the housing office a recommendation is addressed to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from toitcommun.access import rules as r

from .models import (
    OFFICER_ROLES,
    Audience,
    Group,
    Mandate,
    MandateRole,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Recommendation,
    RecommendationState,
)


def user_mandates(user: Any) -> list[Mandate]:
    """The user's mandates in every group, read once and kept on the user object."""
    if not r.is_authenticated(user):
        return []
    cached = getattr(user, "_collective_mandates", None)
    if cached is None:
        cached = list(Mandate.objects.filter(user=user))
        user._collective_mandates = cached
    return cached


def forget_mandates(user: Any) -> None:
    if hasattr(user, "_collective_mandates"):
        del user._collective_mandates


def _active(user: Any, group_id: int, day: datetime.date | None = None) -> list[Mandate]:
    day = day or timezone.localdate()
    return [m for m in user_mandates(user) if m.group_id == group_id and m.active_on(day)]


def member_group_ids(user: Any) -> set[int]:
    day = timezone.localdate()
    return {m.group_id for m in user_mandates(user) if m.active_on(day)}


def officer_group_ids(user: Any) -> set[int]:
    day = timezone.localdate()
    return {m.group_id for m in user_mandates(user) if m.active_on(day) and m.role in OFFICER_ROLES}


def is_member(user: Any, group: Group) -> bool:
    return bool(_active(user, group.pk))


def is_officer(user: Any, group: Group) -> bool:
    return any(m.role in OFFICER_ROLES for m in _active(user, group.pk))


def is_secretary(user: Any, group: Group) -> bool:
    return any(m.role == MandateRole.SECRETARY for m in _active(user, group.pk))


def sees_members_only(user: Any, group: Group) -> bool:
    """What stays among the members: drafts submitted to them, in-camera items, named attendance."""
    return r.is_administrator(user) or is_member(user, group)


def can_manage(user: Any, group: Group) -> bool:
    """Convene, record attendance and decisions, draft, submit and publish minutes: the officers."""
    return r.is_administrator(user) or is_officer(user, group)


def can_manage_mandates(user: Any, group: Group) -> bool:
    return r.is_administrator(user) or is_officer(user, group) or _coordinates(user, group)


def _coordinates(user: Any, group: Group) -> bool:
    from toitcommun.access.models import Role
    codes = {group.region.code, group.mrc.code if group.mrc else "", group.municipality.code
             if group.municipality else ""} - {""}
    return any(a.role == Role.REGIONAL_COORDINATOR and a.territory_code in codes for a in r.assignments(user))


def can_create_group(user: Any, region_code: str) -> bool:
    from toitcommun.access.models import Role
    return r.is_administrator(user) or any(
        a.role == Role.REGIONAL_COORDINATOR and a.territory_code == region_code for a in r.assignments(user))


def reaches(user: Any, group: Group, audience: str) -> bool:
    """Whether the user is in a meeting's audience: the public, signed-in tenants and partners, or members."""
    if audience == Audience.PUBLIC:
        return True
    if audience == Audience.TENANTS:
        return r.is_authenticated(user)
    return sees_members_only(user, group)


# A meeting outsiders may know of: it was announced.
ANNOUNCED = (MeetingState.CONVENED, MeetingState.HELD, MeetingState.CANCELLED)


def can_see_meeting(user: Any, meeting: Meeting) -> bool:
    group = meeting.group
    if can_manage(user, group):
        return True
    if meeting.state == MeetingState.DRAFT:
        return False
    return sees_members_only(user, group) or reaches(user, group, meeting.audience)


def can_see_minutes(user: Any, minutes: Minutes) -> bool:
    meeting = minutes.meeting
    if minutes.state == MinutesState.DRAFT:
        return can_manage(user, meeting.group)
    if minutes.state in (MinutesState.SUBMITTED, MinutesState.ADOPTED):
        return sees_members_only(user, meeting.group)
    return can_see_meeting(user, meeting)


def is_office_respondent(user: Any, recommendation: Recommendation) -> bool:
    from toitcommun.access.models import Role
    return r.is_staff_of(user, recommendation.office_id, roles=(Role.ORGANIZATION_STAFF,))


def can_answer(user: Any, recommendation: Recommendation) -> bool:
    return r.is_administrator(user) or is_office_respondent(user, recommendation)


def can_see_recommendation(user: Any, recommendation: Recommendation, *, public: bool | None = None) -> bool:
    """Members always; the office once sent; everyone of the meeting's audience once the minutes that
    adopted it are published (``public`` says so when the caller already knows)."""
    group = recommendation.group
    if sees_members_only(user, group):
        return True
    if recommendation.state != RecommendationState.ADOPTED and is_office_respondent(user, recommendation):
        return True
    if public is None:
        public = recommendation_is_public(recommendation)
    return public and can_see_meeting(user, recommendation.adopted_by.meeting)


def recommendation_is_public(recommendation: Recommendation) -> bool:
    decision = recommendation.adopted_by
    if decision.in_camera:
        return False
    return decision.meeting.minutes_versions.filter(state=MinutesState.PUBLISHED).exists()
