"""Reads on the housing stock. The stock and its vacancies are not personal data: no user scoping."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound
from toitcommun.territory.selectors import TerritoryRef

from .models import AvailabilitySnapshot, Building, Clientele, Tenure, UnitGroup


def building_get(pk: Any) -> Building:
    try:
        return Building.objects.select_related("organization", "municipality__mrc__region").get(pk=int(pk))
    except (Building.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Immeuble introuvable.")) from None


def buildings_in(territory: TerritoryRef) -> QuerySet[Building]:
    """The buildings of a territory with their unit totals, for lists and maps."""
    return (
        Building.objects.filter(territory.municipality_filter())
        .select_related("organization", "municipality")
        .annotate(units_total=Sum("unit_groups__units"), adapted_total=Sum("unit_groups__adapted_units"))
        .order_by("municipality__name", "name")
    )


def latest_snapshots(territory: TerritoryRef, on: datetime.date) -> QuerySet[AvailabilitySnapshot]:
    """For each building and clientele of the territory, its latest snapshot on or before ``on``."""
    in_territory = AvailabilitySnapshot.objects.filter(
        territory.municipality_filter("building__municipality"), as_of__lte=on
    )
    if connection.vendor == "postgresql":
        # PostgreSQL plans "no newer snapshot" as a hash anti-join: as fast as hand-written SQL.
        newer = AvailabilitySnapshot.objects.filter(
            building_id=OuterRef("building_id"), clientele=OuterRef("clientele"),
            as_of__gt=OuterRef("as_of"), as_of__lte=on,
        )
        return in_territory.exclude(Exists(newer))
    # SQLite would probe the index once per snapshot for that anti-join; grouping first
    # (one latest row per building and clientele) reads the index once (bench/README.md).
    newest = (
        AvailabilitySnapshot.objects.filter(
            building_id=OuterRef("building_id"), clientele=OuterRef("clientele"), as_of__lte=on
        )
        .order_by("-as_of")
        .values("pk")[:1]
    )
    pairs = (
        in_territory.values("building_id", "clientele")
        .annotate(last=Max("as_of"))
        .values(latest=Subquery(newest))
    )
    return AvailabilitySnapshot.objects.filter(pk__in=pairs)


def stale_before(on: datetime.date) -> datetime.date:
    """Figures reported before this day are stale on ``on`` (older than HOUSING_STALE_AFTER_DAYS)."""
    return on - datetime.timedelta(days=settings.HOUSING_STALE_AFTER_DAYS)


def known_percent(known: int, total: int) -> int | None:
    """The share of ``total`` that is known, rounded, but never 100 while some is unknown nor 0 while some is known."""
    if not total:
        return None
    percent = round(100 * known / total)
    if known < total:
        percent = min(percent, 99)
    if known > 0:
        percent = max(percent, 1)
    return percent


def _latest_with_units(territory: TerritoryRef, on: datetime.date) -> QuerySet[AvailabilitySnapshot]:
    """The latest snapshots on ``on``, each with the units its figure speaks for (its building's, for its clientele)."""
    units = (
        UnitGroup.objects.filter(building_id=OuterRef("building_id"), clientele=OuterRef("clientele"))
        .order_by()
        .values("building_id")
        .annotate(n=Sum("units"))
        .values("n")
    )
    return latest_snapshots(territory, on).annotate(units=Coalesce(Subquery(units), Value(0)))


@dataclass
class HousingSummary:
    """The stock of a territory and what is known of its vacancies on ``date``.

    Vacancies are known only for the units whose building reported for their clientele on
    or before the date (``reported_units``); a vacancy figure is None when none did, never 0.
    Reports dated before ``stale_before`` still count, and are counted in ``stale_units``.
    """

    territory: TerritoryRef
    date: datetime.date
    units_total: int
    units_by_clientele: dict[str, int]
    units_by_tenure: dict[str, int]
    sites: int
    adapted_units: int
    vacant_units: int | None
    waiting_list: int | None
    vacant_by_clientele: dict[str, int | None]
    waiting_by_clientele: dict[str, int | None]
    reported_units: int
    stale_units: int
    reported_by_clientele: dict[str, int]
    stale_by_clientele: dict[str, int]
    oldest_report: datetime.date | None
    latest_report: datetime.date | None
    stale_before: datetime.date

    @property
    def known_percent(self) -> int | None:
        return known_percent(self.reported_units, self.units_total)

    @property
    def is_partial(self) -> bool:
        """Some units of the territory have no figure: the vacancy totals leave them out."""
        return self.reported_units < self.units_total

    @property
    def unknown_units(self) -> int:
        return max(0, self.units_total - self.reported_units)


def housing_summary(territory: TerritoryRef, on: datetime.date) -> HousingSummary:
    """Units by clientele and tenure, sites, adapted units, and the vacancies known on ``on``."""
    units = {f"c_{c}": Sum("units", filter=Q(clientele=c)) for c in Clientele.values}
    units |= {f"t_{t}": Sum("units", filter=Q(building__tenure=t)) for t in Tenure.values}
    stock = UnitGroup.objects.filter(territory.municipality_filter("building__municipality")).aggregate(
        total=Sum("units"), adapted=Sum("adapted_units"), sites=Count("building_id", distinct=True), **units
    )
    old = stale_before(on)
    per_clientele: dict[str, Any] = {}
    for c in Clientele.values:
        per_clientele |= {
            f"v_{c}": Sum("vacant_units", filter=Q(clientele=c)), f"w_{c}": Sum("waiting_list", filter=Q(clientele=c)),
            f"r_{c}": Sum("units", filter=Q(clientele=c)), f"s_{c}": Sum("units", filter=Q(clientele=c, as_of__lt=old)),
        }
    avail = _latest_with_units(territory, on).aggregate(
        vacant=Sum("vacant_units"), waiting=Sum("waiting_list"), reported=Sum("units"),
        stale=Sum("units", filter=Q(as_of__lt=old)), oldest=Min("as_of"), latest=Max("as_of"), **per_clientele
    )
    # A clientele (or a territory) with no report at all has no figure: None, not 0.
    return HousingSummary(
        territory=territory,
        date=on,
        units_total=stock["total"] or 0,
        units_by_clientele={c: stock[f"c_{c}"] or 0 for c in Clientele.values},
        units_by_tenure={t: stock[f"t_{t}"] or 0 for t in Tenure.values},
        sites=stock["sites"] or 0,
        adapted_units=stock["adapted"] or 0,
        vacant_units=avail["vacant"],
        waiting_list=avail["waiting"],
        vacant_by_clientele={c: avail[f"v_{c}"] for c in Clientele.values},
        waiting_by_clientele={c: avail[f"w_{c}"] for c in Clientele.values},
        reported_units=avail["reported"] or 0,
        stale_units=avail["stale"] or 0,
        reported_by_clientele={c: avail[f"r_{c}"] or 0 for c in Clientele.values},
        stale_by_clientele={c: avail[f"s_{c}"] or 0 for c in Clientele.values},
        oldest_report=avail["oldest"],
        latest_report=avail["latest"],
        stale_before=old,
    )


@dataclass
class AvailabilityRow:
    building: Building
    clientele: str
    clientele_label: str
    units: int
    adapted_units: int
    vacant_units: int | None
    waiting_list: int | None
    as_of: datetime.date | None
    is_stale: bool
    reported_by: str


def availability_rows(territory: TerritoryRef, on: datetime.date, clientele: str = "") -> list[AvailabilityRow]:
    """One row per building and clientele: its units and the latest figure known on ``on``.

    A row never reported has None for its figures and its date; a row reported before
    ``stale_before(on)`` is marked stale.
    """
    groups = (
        UnitGroup.objects.filter(territory.municipality_filter("building__municipality"))
        .values("building_id", "clientele")
        .annotate(units=Sum("units"), adapted=Sum("adapted_units"))
        .order_by()
    )
    if clientele:
        groups = groups.filter(clientele=clientele)
    snaps = {
        (s.building_id, s.clientele): s for s in latest_snapshots(territory, on).select_related("reported_by")
    }
    buildings = Building.objects.select_related("organization", "municipality").in_bulk(
        {g["building_id"] for g in groups}
    )
    labels = dict(Clientele.choices)
    old = stale_before(on)
    rows = []
    for g in groups:
        snap = snaps.get((g["building_id"], g["clientele"]))
        rows.append(
            AvailabilityRow(
                building=buildings[g["building_id"]],
                clientele=g["clientele"],
                clientele_label=str(labels[g["clientele"]]),
                units=g["units"],
                adapted_units=g["adapted"],
                vacant_units=snap.vacant_units if snap else None,
                waiting_list=snap.waiting_list if snap else None,
                as_of=snap.as_of if snap else None,
                is_stale=bool(snap and snap.as_of < old),
                reported_by=(snap.reported_by_label or (snap.reported_by.get_username() if snap.reported_by else ""))
                if snap else "",
            )
        )
    order = {c: i for i, c in enumerate(Clientele.values)}
    rows.sort(key=lambda r: (r.building.municipality.name, r.building.name, order[r.clientele]))
    return rows


def snapshots_of(building: Building) -> QuerySet[AvailabilitySnapshot]:
    return building.snapshots.select_related("reported_by").order_by("-as_of", "clientele")


_CHILD_PATH = {
    "province": "building__municipality__mrc__region",
    "region": "building__municipality__mrc",
    "mrc": "building__municipality",
}


def summary_by_child(territory: TerritoryRef, on: datetime.date) -> list[dict[str, Any]]:
    """Units and what is known of the vacancies of each subdivision of the territory, in two grouped queries.

    ``vacant`` and ``waiting`` are None for a subdivision where no unit has a report on ``on``;
    ``reported`` and ``stale`` count the units whose figures are known, and known but old.
    """
    path = _CHILD_PATH.get(territory.level)
    if path is None:
        return []
    units = {
        r["code"]: r
        for r in UnitGroup.objects.filter(territory.municipality_filter("building__municipality"))
        .values(code=F(f"{path}__code"), name=F(f"{path}__name"))
        .annotate(units=Sum("units"), sites=Count("building_id", distinct=True))
        .order_by()
    }
    old = stale_before(on)
    vacancies = {
        r["code"]: r
        for r in _latest_with_units(territory, on)
        .values(code=F(f"{path}__code"))
        .annotate(vacant=Sum("vacant_units"), waiting=Sum("waiting_list"), reported=Sum("units"),
                  stale=Sum("units", filter=Q(as_of__lt=old)))
        .order_by()
    }
    rows = []
    for code, r in units.items():
        v = vacancies.get(code, {})
        reported = v.get("reported") or 0
        rows.append({"code": code, "name": r["name"], "units": r["units"], "sites": r["sites"],
                     "vacant": v.get("vacant"), "waiting": v.get("waiting"), "reported": reported,
                     "stale": v.get("stale") or 0, "known_percent": known_percent(reported, r["units"] or 0),
                     "is_partial": reported < (r["units"] or 0)})
    return sorted(rows, key=lambda r: r["name"])


def crosstab(territory: TerritoryRef, on: datetime.date) -> dict[str, dict[str, dict[str, int | None]]]:
    """Units and vacant units by clientele (rows) and tenure (columns); vacant is None where nothing is known."""
    table: dict[str, dict[str, dict[str, int | None]]] = {
        c: {t: {"units": 0, "vacant": None} for t in Tenure.values} for c in Clientele.values
    }
    for r in (
        UnitGroup.objects.filter(territory.municipality_filter("building__municipality"))
        .values("clientele", tenure=F("building__tenure")).annotate(n=Sum("units")).order_by()
    ):
        table[r["clientele"]][r["tenure"]]["units"] = r["n"] or 0
    for r in (
        latest_snapshots(territory, on)
        .values("clientele", tenure=F("building__tenure")).annotate(n=Sum("vacant_units")).order_by()
    ):
        table[r["clientele"]][r["tenure"]]["vacant"] = r["n"]
    return table
