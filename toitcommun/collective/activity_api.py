"""Activities and participation as JSON: the same selectors as the calendars."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from toitcommun.api_params import Offset, TerritoryCode
from toitcommun.errors import ValidationFailed
from toitcommun.housing.bounds import QueryDate
from toitcommun.territory.selectors import territory_get

from . import activity_bounds as bounds
from .activity_selectors import activities_in, participation
from .models import ActivityKind

router = Router(tags=["collective"])

MAX_DAYS = 366


class ActivityFilters(Schema):
    territory: TerritoryCode = Field(description="QC, a region, an MRC or a municipality: a region or an MRC "
                                                 "includes its municipalities")
    from_: QueryDate = Field(alias="from", description="First day, YYYY-MM-DD")
    to: QueryDate = Field(description="Last day (included), YYYY-MM-DD; at most 366 days after from")
    limit: int = Field(100, ge=1, le=500)
    offset: Offset = 0


class ActivityOut(Schema):
    id: int
    title: str
    kind: ActivityKind
    state: str = Field(description="published or cancelled (drafts only for their organizers)")
    starts_at: datetime.datetime
    municipality_code: str
    organized_by_tenants: bool
    attendance_total: int = Field(description="Everybody who came, named or counted")
    tenants_attending: int = Field(description="Tenants among them, named or counted")


class ActivityList(Schema):
    items: list[ActivityOut]
    count: int
    limit: int
    offset: int


@router.get("/activities", response=ActivityList, summary="Activities of a territory between two days")
def activity_list(request: HttpRequest, filters: Query[ActivityFilters]) -> dict[str, Any]:
    if filters.to < filters.from_:
        raise ValidationFailed({"to": [_("Le dernier jour doit venir après le premier.")]})
    if (filters.to - filters.from_).days > MAX_DAYS:
        raise ValidationFailed({"to": [_("Au plus %(days)s jours à la fois.") % {"days": MAX_DAYS}]})
    activities = activities_in(request.user, territory_get(filters.territory), filters.from_, filters.to)
    page = activities.select_related("municipality")[filters.offset: filters.offset + filters.limit]
    items = [{"id": a.pk, "title": a.title, "kind": a.kind, "state": a.state, "starts_at": a.starts_at,
              "municipality_code": a.municipality.code, "organized_by_tenants": a.organized_by_tenants,
              "attendance_total": a.attendance_total, "tenants_attending": a.tenants_attending} for a in page]
    return {"items": items, "count": activities.count(), "limit": filters.limit, "offset": filters.offset}


class ParticipationQuery(Schema):
    territory: TerritoryCode
    year: bounds.Year


class ParticipationOut(Schema):
    territory_code: str
    year: int
    activities: int = Field(description="Published activities (cancelled ones do not count)")
    tenant_organized_activities: int
    attendance_total: int
    distinct_tenants: int = Field(description="Tenants named on the attendance of at least one activity")
    meetings_held: int


@router.get("/participation", response=ParticipationOut, summary="Participation in a territory for a year")
def participation_of(request: HttpRequest, query: Query[ParticipationQuery]) -> dict[str, Any]:
    territory = territory_get(query.territory)
    return {"territory_code": territory.code, "year": query.year, **participation(territory, query.year)}
