"""Reads on activities and participation, narrowed to what the reader may see."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.access.models import Role
from toitcommun.errors import NotFound
from toitcommun.territory.models import Level, Municipality
from toitcommun.territory.selectors import TerritoryRef

from . import activity_rules
from .models import (
    Activity,
    ActivityAttendee,
    ActivityState,
    Meeting,
    MeetingState,
    ParticipationTally,
)

LISTED = Q(is_public=True, state__in=[ActivityState.PUBLISHED, ActivityState.CANCELLED])


def _coordinated(user: Any) -> Q:
    q = Q(pk__in=[])
    for a in r.assignments(user):
        if a.role == Role.REGIONAL_COORDINATOR and a.territory_code:
            code = a.territory_code
            q |= Q(municipality__code=code) | Q(municipality__mrc__code=code) | Q(municipality__mrc__region__code=code)
    return q


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """Everybody sees the public activities once published (cancelled ones too, marked so);
    drafts and members-only activities are seen by their organizers, their author, the
    coordinator of the place and administrators."""
    qs = Activity.objects.all()
    if r.is_administrator(user):
        return qs
    if not r.is_authenticated(user):
        return qs.filter(LISTED)
    orgs = activity_rules.organizing_organizations_of(user)
    organized = Activity.organizers.through.objects.filter(organization_id__in=orgs).values("activity_id")
    return qs.filter(LISTED | Q(created_by=user) | Q(pk__in=organized) | _coordinated(user))


def activity_get(user: Any, activity_id: Any) -> Activity:
    """The activity, if the reader may see it; NotFound otherwise, the same as for one that does not exist."""
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        pk = 0
    found = (activities_visible_to(user).filter(pk=pk)
             .select_related("municipality__mrc__region", "project").prefetch_related("organizers", "buildings")
             .first()) if 0 < pk < 2**63 else None
    if found is None:
        raise NotFound(_("Cette activité n'existe pas ou n'est pas visible pour vous."))
    return found


def activities_in(user: Any, territory: TerritoryRef, start: datetime.date, end: datetime.date) -> QuerySet[Activity]:
    """The activities of a territory (a region or MRC includes its municipalities) from ``start``
    to ``end`` (inclusive), in the order they begin."""
    return (activities_visible_to(user).filter(territory.municipality_filter("municipality"))
            .filter(starts_at__gte=day_start(start), starts_at__lt=day_start(end + datetime.timedelta(days=1)))
            .order_by("starts_at", "id"))


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    activities: list[Activity]


def by_day(activities: list[Activity]) -> list[CalendarDay]:
    """The month as a list of days that have something, in the region's local time."""
    days: dict[datetime.date, list[Activity]] = defaultdict(list)
    for a in activities:
        days[timezone.localtime(a.starts_at).date()].append(a)
    return [CalendarDay(day, items) for day, items in sorted(days.items())]


def upcoming_in(user: Any, territory: TerritoryRef, *, limit: int = 10) -> list[Activity]:
    today = timezone.localdate()
    return list(activities_visible_to(user).filter(territory.municipality_filter("municipality"))
                .filter(starts_at__gte=day_start(today)).exclude(state=ActivityState.CANCELLED)
                .select_related("municipality").order_by("starts_at", "id")[:limit])


def upcoming_at_building(user: Any, building_id: int, *, limit: int = 10) -> list[Activity]:
    today = timezone.localdate()
    return list(activities_visible_to(user).filter(buildings=building_id, starts_at__gte=day_start(today))
                .exclude(state=ActivityState.CANCELLED).select_related("municipality")
                .order_by("starts_at", "id")[:limit])


def activities_at_building(user: Any, building_id: int, start: datetime.date, end: datetime.date) -> QuerySet[Activity]:
    return (activities_visible_to(user).filter(buildings=building_id)
            .filter(starts_at__gte=day_start(start), starts_at__lt=day_start(end + datetime.timedelta(days=1)))
            .order_by("starts_at", "id"))


# ---- participation -----------------------------------------------------------------------------


def _municipalities_of(territory: TerritoryRef) -> QuerySet[Municipality]:
    if territory.level == Level.PROVINCE:
        return Municipality.objects.all()
    if territory.level == Level.REGION:
        return Municipality.objects.filter(mrc__region__code=territory.code)
    if territory.level == Level.MRC:
        return Municipality.objects.filter(mrc__code=territory.code)
    return Municipality.objects.filter(code=territory.code)


def participation(territory: TerritoryRef, year: int) -> dict[str, int]:
    """A territory's participation in a year, from the tallies the services keep.

    Published activities only: ``activities``, ``tenant_organized_activities``, ``attendance_total``
    (everybody who came, named or counted), ``distinct_tenants`` (tenants named on at least one
    activity's attendance: the counted are not people one can tell apart), ``meetings_held``.
    """
    municipalities = _municipalities_of(territory).values("id")
    sums = ParticipationTally.objects.filter(year=year, municipality_id__in=municipalities).aggregate(
        activities=Sum("activities"), tenant_organized_activities=Sum("tenant_organized_activities"),
        attendance_total=Sum("attendance_total"))
    return {
        "activities": sums["activities"] or 0,
        "tenant_organized_activities": sums["tenant_organized_activities"] or 0,
        "attendance_total": sums["attendance_total"] or 0,
        "distinct_tenants": distinct_tenants(municipalities, year),
        "meetings_held": meetings_held(territory, year),
    }


def distinct_tenants(municipalities: Any, year: int) -> int:
    """Tenants named on at least one published activity of these municipalities in the year."""
    return (ActivityAttendee.objects.filter(year=year, municipality_id__in=municipalities, is_counted=True,
                                            is_tenant=True)
            .values("person_id").distinct().count())


def meetings_held(territory: TerritoryRef, year: int) -> int:
    """Meetings held in the year by the groups of the territory (a group counts where it acts: its
    municipality, else its MRC, else its region)."""
    start, end = day_start(datetime.date(year, 1, 1)), day_start(datetime.date(year + 1, 1, 1))
    held = Meeting.objects.filter(state=MeetingState.HELD, starts_at__gte=start, starts_at__lt=end)
    if territory.level == Level.REGION:
        held = held.filter(group__region__code=territory.code)
    elif territory.level == Level.MRC:
        held = held.filter(group__mrc__code=territory.code)
    elif territory.level == Level.MUNICIPALITY:
        held = held.filter(group__municipality__code=territory.code)
    return held.count()
