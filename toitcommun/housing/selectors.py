"""Reads on the housing stock. The stock and its vacancies are not personal data: no user scoping."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Collate
from django.urls import reverse
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound
from toitcommun.territory.selectors import TerritoryRef

from .models import (
    AvailabilitySnapshot,
    Building,
    BuildingCurrent,
    Clientele,
    StockRollup,
    Tenure,
    UnitGroup,
)


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
    return latest_in(territory.municipality_filter("building__municipality"), on)


def latest_in(scope: Q, on: datetime.date | None = None) -> QuerySet[AvailabilitySnapshot]:
    """For each building and clientele of the snapshots in ``scope``, its latest snapshot on or before ``on``
    (None: its latest of all)."""
    until = Q(as_of__lte=on) if on is not None else Q()
    in_scope = AvailabilitySnapshot.objects.filter(scope, until)
    if connection.vendor == "postgresql":
        # PostgreSQL plans "no newer snapshot" as a hash anti-join: as fast as hand-written SQL.
        newer = AvailabilitySnapshot.objects.filter(
            until, building_id=OuterRef("building_id"), clientele=OuterRef("clientele"), as_of__gt=OuterRef("as_of"),
        )
        return in_scope.exclude(Exists(newer))
    # SQLite would probe the index once per snapshot for that anti-join; grouping first
    # (one latest row per building and clientele) reads the index once (bench/README.md).
    newest = (
        AvailabilitySnapshot.objects.filter(until, building_id=OuterRef("building_id"), clientele=OuterRef("clientele"))
        .order_by("-as_of")
        .values("pk")[:1]
    )
    pairs = (
        in_scope.values("building_id", "clientele")
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
    rolled = rolled_up(territory, on)
    if rolled is not None:
        return _summary(territory, on, rolled, rolled, sum(r["sites"] or 0 for r in rolled))
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


@dataclass(frozen=True)
class Named:
    name: str


@dataclass(frozen=True)
class BuildingLine:
    """What a table row, an export line or a map point shows of a building: plain values, no model instance."""

    pk: int
    name: str
    address: str
    tenure: str
    is_illustrative: bool
    latitude: Any
    longitude: Any
    municipality: Named
    organization: Named

    def get_tenure_display(self) -> str:
        return str(dict(Tenure.choices).get(self.tenure, self.tenure))

    def get_absolute_url(self) -> str:
        return reverse("housing:building", args=[self.pk])


@dataclass
class AvailabilityRow:
    building: BuildingLine
    clientele: str
    clientele_label: str
    units: int
    adapted_units: int
    vacant_units: int | None
    waiting_list: int | None
    as_of: datetime.date | None
    is_stale: bool
    reported_by: str


def current_rows(territory: TerritoryRef, on: datetime.date, clientele: str = "") -> QuerySet[BuildingCurrent] | None:
    """The territory's per-building rows on ``on`` from BuildingCurrent, in the table's order; None when they
    cannot say (a report dated after ``on``: the rule of rolled_up)."""
    if territory.level == "mrc":
        scope = Q(mrc_code=territory.code)
    elif territory.level == "municipality":
        scope = Q(municipality_code=territory.code)
    elif territory.level == "region":
        scope = Q(region_code=territory.code)
    else:
        scope = Q()
    rows = BuildingCurrent.objects.filter(scope)
    if rows.filter(as_of__gt=on).exists():
        return None
    if clientele:
        rows = rows.filter(clientele=clientele)
    # By code point, as Python sorts the rows of the snapshots (PostgreSQL's default collation does not).
    names: tuple[Any, ...] = ("municipality_name", "building_name")
    if connection.vendor == "postgresql":
        names = (Collate(F("municipality_name"), "C"), Collate(F("building_name"), "C"))
    return rows.order_by(*names, "building_id", "rank")


_CURRENT_VALUES = ("building_id", "clientele", "units", "adapted_units", "as_of", "vacant_units", "waiting_list",
                   "reported_by_label", "reported_by__username", "building__name", "building__address",
                   "building__tenure", "building__is_illustrative", "building__latitude", "building__longitude",
                   "municipality_name", "building__organization__name")


def _rows_from_current(rows: QuerySet[BuildingCurrent], on: datetime.date) -> list[AvailabilityRow]:
    labels = {value: str(label) for value, label in Clientele.choices}
    old = stale_before(on)
    buildings: dict[int, BuildingLine] = {}
    out = []
    for (building_id, clientele, units, adapted, as_of, vacant, waiting, label, username, name, address, tenure,
         illustrative, lat, lng, municipality, owner) in rows.values_list(*_CURRENT_VALUES):
        building = buildings.get(building_id)
        if building is None:
            building = buildings[building_id] = BuildingLine(
                pk=building_id, name=name, address=address, tenure=tenure, is_illustrative=illustrative,
                latitude=lat, longitude=lng, municipality=Named(municipality), organization=Named(owner))
        out.append(AvailabilityRow(
            building=building, clientele=clientele, clientele_label=labels[clientele], units=units,
            adapted_units=adapted, vacant_units=vacant, waiting_list=waiting, as_of=as_of,
            is_stale=as_of is not None and as_of < old,
            reported_by=(label or username or "") if as_of is not None else ""))
    return out


@dataclass
class AvailabilityPage:
    rows: list[AvailabilityRow]
    total: int
    number: int
    pages: int
    has_points: bool


def availability_page(territory: TerritoryRef, on: datetime.date, clientele: str, number: int,
                      per_page: int) -> AvailabilityPage:
    """One page of availability_rows (``number`` brought within bounds), how many rows in all, and whether
    any building has a point on the map. From BuildingCurrent, paged by the database, when it can say;
    else from the snapshots."""
    current = current_rows(territory, on, clientele)
    if current is None:
        every = availability_rows(territory, on, clientele)
        total = len(every)
        pages = max(1, -(-total // per_page))
        number = min(max(1, number), pages)
        return AvailabilityPage(rows=every[(number - 1) * per_page:number * per_page], total=total, number=number,
                                pages=pages, has_points=any(r.building.latitude is not None for r in every))
    total = current.count()
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    shown = _rows_from_current(current[(number - 1) * per_page:number * per_page], on)
    has_points = current.filter(building__latitude__isnull=False).order_by().exists() if total else False
    return AvailabilityPage(rows=shown, total=total, number=number, pages=pages, has_points=has_points)


def availability_rows(territory: TerritoryRef, on: datetime.date, clientele: str = "",
                      *, from_current: bool = True) -> list[AvailabilityRow]:
    """One row per building and clientele: its units and the latest figure known on ``on``.

    A row never reported has None for its figures and its date; a row reported before
    ``stale_before(on)`` is marked stale. From BuildingCurrent when it can say (current_rows);
    else from the snapshots, read as plain values (two queries), not model instances:
    Montréal has about 5,000 rows.
    """
    current = current_rows(territory, on, clientele) if from_current else None
    if current is not None:
        return _rows_from_current(current, on)
    groups = (
        UnitGroup.objects.filter(territory.municipality_filter("building__municipality"))
        .values("building_id", "clientele")
        .annotate(units=Sum("units"), adapted=Sum("adapted_units"))
        .values_list("building_id", "clientele", "units", "adapted", "building__name", "building__address",
                     "building__tenure", "building__is_illustrative", "building__latitude", "building__longitude",
                     "building__municipality__name", "building__organization__name")
        .order_by()
    )
    if clientele:
        groups = groups.filter(clientele=clientele)
    snapshots = latest_snapshots(territory, on)
    if clientele:
        snapshots = snapshots.filter(clientele=clientele)
    snaps = {
        (b, c): (as_of, vacant, waiting, label or username or "")
        for b, c, as_of, vacant, waiting, label, username in snapshots.values_list(
            "building_id", "clientele", "as_of", "vacant_units", "waiting_list", "reported_by_label",
            "reported_by__username")
    }
    labels = {value: str(label) for value, label in Clientele.choices}
    old = stale_before(on)
    buildings: dict[int, BuildingLine] = {}
    rows = []
    for (building_id, group_clientele, units, adapted, name, address, tenure, illustrative, lat, lng,
         municipality, owner) in groups:
        building = buildings.get(building_id)
        if building is None:
            building = buildings[building_id] = BuildingLine(
                pk=building_id, name=name, address=address, tenure=tenure, is_illustrative=illustrative,
                latitude=lat, longitude=lng, municipality=Named(municipality), organization=Named(owner))
        snap = snaps.get((building_id, group_clientele))
        rows.append(
            AvailabilityRow(
                building=building,
                clientele=group_clientele,
                clientele_label=labels[group_clientele],
                units=units,
                adapted_units=adapted,
                vacant_units=snap[1] if snap else None,
                waiting_list=snap[2] if snap else None,
                as_of=snap[0] if snap else None,
                is_stale=bool(snap and snap[0] < old),
                reported_by=snap[3] if snap else "",
            )
        )
    order = {c: i for i, c in enumerate(Clientele.values)}
    rows.sort(key=lambda r: (r.building.municipality.name, r.building.name, r.building.pk, order[r.clientele]))
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


def rolled_up(territory: TerritoryRef, on: datetime.date, child_path: str | None = None) -> list[dict[str, Any]] | None:
    """The territory's figures on ``on`` from the roll-ups (StockRollup), grouped by clientele and tenure
    (and by subdivision: ``child_path`` from a municipality, e.g. "mrc"); None when they cannot say.

    The roll-ups hold the latest report of every building and clientele. On any date from the
    territory's newest report on, that is the figure known on the date (reports are never dated
    in the future); before it, the reports of the date must be sought (latest_snapshots).
    Each group has the fields availability_overview adds up: units, adapted, sites, and, None
    where no unit of the group is reported, vacant and waiting; reported, stale, oldest, newest.
    """
    child = {"child": F(f"{child_path}__code"), "name": F(f"{child_path}__name")} if child_path else {}
    reported = Q(as_of__isnull=False)
    # Named apart from the fields they add up: an aggregate may not share its field's name here.
    sums = {"units": Sum("units"), "adapted": Sum("adapted_units"), "sites": Sum("sites"),
            "vacant": Sum("vacant_units", filter=reported), "waiting": Sum("waiting_list", filter=reported),
            "reported": Sum("units", filter=reported), "stale": Sum("units", filter=Q(as_of__lt=stale_before(on))),
            "oldest": Min("as_of"), "newest": Max("as_of")}
    rows = [
        {"clientele": r["clientele"], "tenure": r["tenure"], **{k: r[k] for k in child},
         **{name: r[f"sum_{name}"] for name in sums}}
        for r in StockRollup.objects.filter(territory.municipality_filter("municipality"))
        .values("clientele", "tenure", **child)
        .annotate(**{f"sum_{name}": aggregate for name, aggregate in sums.items()})
        .order_by()
    ]
    if any(r["newest"] is not None and r["newest"] > on for r in rows):
        return None
    return rows


class _Totals:
    """Sums of a field over the groups that match, each grouping added up once.

    ``totals("vacant", clientele="family")``: the sum over the groups of that clientele; None when no
    group matches or all of theirs are None (unknown is not zero). The first call for a field and a set
    of keys adds up every group by those keys; the next ones look the answer up. (Scanning the groups
    for each of a page's hundred-odd figures was a fifth of Montréal's page.)
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.sums: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = {}

    def __call__(self, field: str, **match: Any) -> int | None:
        keys = tuple(sorted(match))
        sums = self.sums.get((field, keys))
        if sums is None:
            sums = self.sums[(field, keys)] = {}
            for r in self.rows:
                if r[field] is not None:
                    key = tuple(r[k] for k in keys)
                    sums[key] = sums.get(key, 0) + r[field]
        return sums.get(tuple(match[k] for k in keys))


def _summary(territory: TerritoryRef, on: datetime.date, stock: list[dict[str, Any]], latest: list[dict[str, Any]],
             sites: int, totals: tuple[_Totals, _Totals] | None = None) -> HousingSummary:
    """The summary added up from groups of the stock (units, adapted) and of the latest reports
    (``totals``: the two adders of those groups, when the caller has them already)."""
    clienteles, tenures = Clientele.values, Tenure.values
    in_stock, reported = totals or (_Totals(stock), _Totals(latest))
    dates = [r["oldest"] for r in latest if r["oldest"] is not None] + [r["newest"] for r in latest
                                                                           if r["newest"] is not None]
    return HousingSummary(
        territory=territory,
        date=on,
        units_total=in_stock("units") or 0,
        units_by_clientele={c: in_stock("units", clientele=c) or 0 for c in clienteles},
        units_by_tenure={t: in_stock("units", tenure=t) or 0 for t in tenures},
        sites=sites,
        adapted_units=in_stock("adapted") or 0,
        vacant_units=reported("vacant"),
        waiting_list=reported("waiting"),
        vacant_by_clientele={c: reported("vacant", clientele=c) for c in clienteles},
        waiting_by_clientele={c: reported("waiting", clientele=c) for c in clienteles},
        reported_units=reported("reported") or 0,
        stale_units=reported("stale") or 0,
        reported_by_clientele={c: reported("reported", clientele=c) or 0 for c in clienteles},
        stale_by_clientele={c: reported("stale", clientele=c) or 0 for c in clienteles},
        oldest_report=min(dates) if dates else None,
        latest_report=max(dates) if dates else None,
        stale_before=stale_before(on),
    )


@dataclass
class AvailabilityOverview:
    summary: HousingSummary
    children: list[dict[str, Any]]
    crosstab: dict[str, dict[str, dict[str, int | None]]]


def availability_overview(territory: TerritoryRef, on: datetime.date) -> AvailabilityOverview:
    """housing_summary, summary_by_child and crosstab of one territory, from one query on the roll-ups.

    The available-housing page shows all three. On a date before the territory's newest report
    the roll-ups cannot say (rolled_up): then three grouped queries find the latest snapshot per
    building and clientele once (the costly part, 35-50 ms for the province), grouped by
    subdivision, clientele and tenure, and the three are added up from those groups. Either
    way the figures are the three functions' (tests/perf/test_overview.py).
    """
    path = _CHILD_PATH.get(territory.level)
    rolled = rolled_up(territory, on, path.removeprefix("building__") if path else None)
    if rolled is not None:
        stock = latest = rolled
        by_child: dict[str, dict[str, Any]] = {}
        for r in rolled if path else []:
            row = by_child.setdefault(r["child"], {"child": r["child"], "name": r["name"], "sites": 0})
            row["sites"] += r["sites"] or 0
        # A subdivision is shown when it has a unit group, that is a site.
        sites = [r for r in by_child.values() if r["sites"]]
        total_sites = sum(r["sites"] or 0 for r in rolled)
    else:
        stock, sites, total_sites, latest = _overview_groups(territory, on, path)
    in_stock, reported = _Totals(stock), _Totals(latest)
    summary = _summary(territory, on, stock, latest, total_sites, (in_stock, reported))
    children = []
    for row in sites:
        code = row["child"]
        units = in_stock("units", child=code) or 0
        known = reported("reported", child=code) or 0
        children.append({"code": code, "name": row["name"], "units": units, "sites": row["sites"],
                         "vacant": reported("vacant", child=code),
                         "waiting": reported("waiting", child=code),
                         "reported": known, "stale": reported("stale", child=code) or 0,
                         "known_percent": known_percent(known, units), "is_partial": known < units})
    children.sort(key=lambda r: r["name"])
    table: dict[str, dict[str, dict[str, int | None]]] = {
        c: {t: {"units": in_stock("units", clientele=c, tenure=t) or 0,
                "vacant": reported("vacant", clientele=c, tenure=t)} for t in Tenure.values}
        for c in Clientele.values
    }
    return AvailabilityOverview(summary=summary, children=children, crosstab=table)


def _overview_groups(territory: TerritoryRef, on: datetime.date, path: str | None) -> tuple[
        list[dict[str, Any]], list[dict[str, Any]], int, list[dict[str, Any]]]:
    """The stock, the sites by subdivision, the territory's sites and the latest reports on ``on``, grouped."""
    child = {"child": F(f"{path}__code")} if path else {}
    scope = UnitGroup.objects.filter(territory.municipality_filter("building__municipality"))
    stock = list(
        scope.values("clientele", tenure=F("building__tenure"), **child)
        .annotate(units=Sum("units"), adapted=Sum("adapted_units"))
        .order_by()
    )
    sites = list(
        scope.values(child=F(f"{path}__code"), name=F(f"{path}__name"))
        .annotate(sites=Count("building_id", distinct=True))
        .order_by()
    ) if path else []
    # A building lies in one subdivision: the territory's sites are the sum of theirs.
    total_sites = (sum(r["sites"] for r in sites) if path
                   else scope.aggregate(sites=Count("building_id", distinct=True))["sites"] or 0)
    old = stale_before(on)
    latest = list(
        _latest_with_units(territory, on)
        .values("clientele", tenure=F("building__tenure"), **child)
        .annotate(vacant=Sum("vacant_units"), waiting=Sum("waiting_list"), reported=Sum("units"),
                  stale=Sum("units", filter=Q(as_of__lt=old)), oldest=Min("as_of"), newest=Max("as_of"))
        .order_by()
    )
    return stock, sites, total_sites, latest
