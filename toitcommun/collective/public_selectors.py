"""What the tenants' public pages show, without login: only what is public or published."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from toitcommun.directory.selectors import SearchQuery, services_page
from toitcommun.territory.models import Level
from toitcommun.territory.selectors import TerritoryRef, territory_get

from .activity_selectors import activities_visible_to, upcoming_at_building, upcoming_in
from .models import Activity, ActivityState, Group, GroupKind

SHOWN = 8


def groups_of_place(territory: TerritoryRef) -> QuerySet[Group]:
    """The groups acting in a place: a municipality's own, and its MRC's (the local table); an MRC's
    or a region's, all those within it."""
    if territory.level == Level.MUNICIPALITY:
        where = Q(municipality__code=territory.code) | Q(mrc__code=territory.parent_code, municipality__isnull=True)
    elif territory.level == Level.MRC:
        where = Q(mrc__code=territory.code)
    elif territory.level == Level.REGION:
        where = Q(region__code=territory.code)
    else:
        where = Q()
    return Group.objects.filter(where).order_by("kind", "name")


@dataclass
class PublicPage:
    territory: TerritoryRef
    groups: list[Group]
    associations: list[Group]
    upcoming: list[Activity]
    recent: list[Activity]
    services: Any
    minutes: list[Any] = field(default_factory=list)


def _recent(qs: QuerySet[Activity]) -> list[Activity]:
    return list(qs.filter(state=ActivityState.PUBLISHED).select_related("municipality")
                .order_by("-starts_at", "-id")[:SHOWN])


def public_page_of_territory(territory: TerritoryRef) -> PublicPage:
    groups = list(groups_of_place(territory))
    upcoming = upcoming_in(None, territory, limit=SHOWN)
    recent = [] if upcoming else _recent(activities_visible_to(None).filter(
        territory.municipality_filter("municipality")))
    return PublicPage(territory=territory, groups=groups,
                      associations=[g for g in groups if g.kind == GroupKind.TENANT_ASSOCIATION],
                      upcoming=upcoming, recent=recent,
                      services=services_page(SearchQuery(territory=territory), per_page=SHOWN),
                      minutes=published_minutes(groups))


def public_page_of_building(building: Any) -> PublicPage:
    territory = territory_get(building.municipality.code)
    place = list(groups_of_place(territory))
    here = list(Group.objects.filter(buildings=building).order_by("kind", "name"))
    groups = here + [g for g in place if g not in here]
    upcoming = upcoming_at_building(None, building.pk, limit=SHOWN) or upcoming_in(None, territory, limit=SHOWN)
    recent = [] if upcoming else _recent(activities_visible_to(None).filter(
        Q(buildings=building.pk) | Q(municipality_id=building.municipality_id)).distinct())
    return PublicPage(territory=territory, groups=groups,
                      associations=[g for g in groups if g.kind == GroupKind.TENANT_ASSOCIATION],
                      upcoming=upcoming, recent=recent,
                      services=services_page(SearchQuery(territory=territory), per_page=SHOWN),
                      minutes=published_minutes(groups))


@dataclass(frozen=True)
class PublishedMinutes:
    group: str
    meeting: str
    held_on: Any
    url: str


def published_minutes(groups: list[Group]) -> list[PublishedMinutes]:
    """The published minutes of these groups that an anonymous visitor may read (governance's rule)."""
    from django.urls import NoReverseMatch, reverse

    from .governance_selectors import published_minutes_for

    shown = []
    for minutes in published_minutes_for(None, groups)[:SHOWN]:
        meeting = minutes.meeting
        try:
            url = reverse("collective:meeting", args=[meeting.pk])
        except NoReverseMatch:  # the meeting pages come with the governance half
            url = ""
        shown.append(PublishedMinutes(group=meeting.group.name, meeting=meeting.title,
                                      held_on=meeting.starts_at, url=url))
    return shown
