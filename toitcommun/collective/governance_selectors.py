"""Reads on groups, meetings, minutes and recommendations, narrowed to what the user may see.

What a user may not see is answered as not found, the same way as what does not exist.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.errors import NotFound
from toitcommun.territory.models import Level
from toitcommun.territory.selectors import TerritoryRef

from . import governance_rules as rules
from .models import (
    OPEN_FOLLOW_UP,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Audience,
    Decision,
    FollowUp,
    Group,
    HolderKind,
    Mandate,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Recommendation,
)


def _int(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Introuvable.")) from None
    if not 0 < value < 2**63:
        raise NotFound(_("Introuvable."))
    return value


def territory_filter(territory: TerritoryRef) -> Q:
    """Groups acting in the territory: an MRC includes its municipalities' groups, a region all of its own."""
    if territory.level == Level.PROVINCE:
        return Q()
    if territory.level == Level.REGION:
        return Q(region__code=territory.code)
    if territory.level == Level.MRC:
        return Q(mrc__code=territory.code)
    return Q(municipality__code=territory.code)


def groups_list(*, territory: TerritoryRef | None = None, kind: str = "") -> QuerySet[Group]:
    """Groups are public: their name, kind and territory, how to reach them."""
    qs = Group.objects.select_related("region", "mrc", "municipality")
    if territory is not None:
        qs = qs.filter(territory_filter(territory))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name", "pk")


def group_get(pk: Any) -> Group:
    try:
        return Group.objects.select_related("region", "mrc", "municipality", "housing_office").get(pk=_int(pk))
    except Group.DoesNotExist:
        raise NotFound(_("Groupe introuvable.")) from None


def shows_person_names(user: Any) -> bool:
    """The names of persons holding mandates: signed-in users; the public sees the roles."""
    return r.is_authenticated(user)


def mandates_of(group: Group) -> QuerySet[Mandate]:
    """Every mandate, past and present: history stays true (who was president in 2015)."""
    return group.mandates.select_related("organization", "delegate_of__organization").order_by(
        "ends_on", "-starts_on", "role", "pk")


def active_mandates(group: Group, day: datetime.date) -> QuerySet[Mandate]:
    return group.mandates.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def meetings_visible_to(user: Any, group: Group) -> QuerySet[Meeting]:
    qs = group.meetings.all()
    if rules.can_manage(user, group):
        return qs
    if rules.sees_members_only(user, group):
        return qs.exclude(state=MeetingState.DRAFT)
    audiences = [Audience.PUBLIC] + ([Audience.TENANTS] if r.is_authenticated(user) else [])
    return qs.filter(state__in=rules.ANNOUNCED, audience__in=audiences)


def meeting_get(user: Any, pk: Any) -> Meeting:
    """The meeting if the user may see it; otherwise not found, as if it did not exist."""
    try:
        meeting = Meeting.objects.select_related("group__region", "group__mrc", "group__municipality").get(
            pk=_int(pk))
    except Meeting.DoesNotExist:
        raise NotFound(_("Réunion introuvable.")) from None
    if not rules.can_see_meeting(user, meeting):
        raise NotFound(_("Réunion introuvable."))
    return meeting


def agenda_visible_to(user: Any, meeting: Meeting) -> list[AgendaItem]:
    items = meeting.agenda_items.all()
    if not rules.sees_members_only(user, meeting.group):
        items = items.exclude(kind=AgendaItemKind.IN_CAMERA)
    return list(items)


def decisions_visible_to(user: Any, meeting: Meeting) -> list[Decision]:
    decisions = meeting.decisions.select_related("adopts_minutes__meeting").prefetch_related("follow_ups")
    if not rules.sees_members_only(user, meeting.group):
        decisions = decisions.filter(in_camera=False)
    return list(decisions)


def named_attendance_visible_to(user: Any, meeting: Meeting) -> list[Attendance]:
    """Who was there by name: the members only; others see the counts."""
    if not rules.sees_members_only(user, meeting.group):
        return []
    return list(meeting.attendances.select_related("mandate__organization", "mandate__delegate_of__organization")
                .order_by("mandate__role", "mandate__holder_name", "pk"))


def minutes_visible_to(user: Any, meeting: Meeting) -> list[Minutes]:
    """The versions of the meeting's minutes the user may read, newest first."""
    return [m for m in meeting.minutes_versions.all() if rules.can_see_minutes(user, m)]


def minutes_get(user: Any, pk: Any) -> Minutes:
    try:
        minutes = Minutes.objects.select_related("meeting__group__region", "meeting__group__mrc",
                                                 "meeting__group__municipality").get(pk=_int(pk))
    except Minutes.DoesNotExist:
        raise NotFound(_("Procès-verbal introuvable.")) from None
    if not rules.can_see_minutes(user, minutes):
        raise NotFound(_("Procès-verbal introuvable."))
    return minutes


def minutes_to_adopt(group: Group, meeting: Meeting) -> list[Minutes]:
    """Submitted minutes of the group's earlier meetings, which this held meeting may adopt."""
    return list(Minutes.objects.filter(meeting__group=group, state=MinutesState.SUBMITTED,
                                       meeting__starts_at__lt=meeting.starts_at).select_related("meeting"))


def open_follow_ups(group: Group, *, before: datetime.datetime | None = None) -> QuerySet[FollowUp]:
    """Follow-ups still open, from decisions of the group's meetings (earlier than ``before``)."""
    qs = FollowUp.objects.filter(decision__meeting__group=group, status__in=OPEN_FOLLOW_UP)
    if before is not None:
        qs = qs.filter(decision__meeting__starts_at__lt=before)
    return qs.select_related("decision__meeting").order_by("due_on", "pk")


def follow_ups_visible_to(user: Any, group: Group, *, before: datetime.datetime | None = None) -> list[FollowUp]:
    qs = open_follow_ups(group, before=before)
    if not rules.sees_members_only(user, group):
        qs = qs.filter(decision__in_camera=False, decision__meeting__in=meetings_visible_to(user, group))
    return list(qs)


def recommendations_visible_to(user: Any, group: Group) -> list[Recommendation]:
    recs = (group.recommendations.select_related("group__region", "group__mrc", "group__municipality",
                                                 "office", "adopted_by__meeting__group")
            .order_by("-created_at", "-pk"))
    return [rec for rec in recs if rules.can_see_recommendation(user, rec)]


def recommendations_for_office(user: Any) -> list[Recommendation]:
    """What the user's housing offices received: sent, acknowledged or answered."""
    from toitcommun.access.models import Role
    offices = r.organizations_of(user, roles=(Role.ORGANIZATION_STAFF,))
    if not offices:
        return []
    return list(Recommendation.objects.filter(office_id__in=offices).exclude(state="adopted")
                .select_related("group", "office", "adopted_by__meeting").order_by("due_on", "pk"))


def recommendation_get(user: Any, pk: Any) -> Recommendation:
    try:
        rec = Recommendation.objects.select_related("group__region", "group__mrc", "group__municipality",
                                                    "office", "adopted_by__meeting__group").get(pk=_int(pk))
    except Recommendation.DoesNotExist:
        raise NotFound(_("Recommandation introuvable.")) from None
    if not rules.can_see_recommendation(user, rec):
        raise NotFound(_("Recommandation introuvable."))
    return rec


def published_minutes_for(user: Any, groups: QuerySet[Group] | list[Group]) -> list[Minutes]:
    """Published minutes of these groups' meetings the user may read, newest meeting first (public pages)."""
    qs = (Minutes.objects.filter(meeting__group__in=groups, state=MinutesState.PUBLISHED)
          .select_related("meeting__group").order_by("-meeting__starts_at", "-revision"))
    seen: set[int] = set()
    shown = []
    for minutes in qs:
        if minutes.meeting_id in seen or not rules.can_see_meeting(user, minutes.meeting):
            continue
        seen.add(minutes.meeting_id)
        shown.append(minutes)
    return shown


def holder_name_for(user: Any, mandate: Mandate) -> str:
    if mandate.holder_kind == HolderKind.ORGANIZATION or shows_person_names(user):
        return mandate.display_holder
    return ""


def today() -> datetime.date:
    return timezone.localdate()
