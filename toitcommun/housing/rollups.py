"""The roll-ups of stock and vacancies (StockRollup) and the per-building current figures
(BuildingCurrent), kept by the acts that write.

Every act that creates or changes a building, a unit group or an availability snapshot
(the services, the import, the demo and bench loaders) ends by recounting the roll-ups of
the municipalities it touched, inside its own transaction: ``rollups_refresh``. A recount
reads only those municipalities' buildings, so a report on one building costs a recount of
one municipality (Montréal, the largest, a few milliseconds), and an import of the province
one recount of everything.

A recount replaces the rows; it never adds a difference to them, so a roll-up cannot drift
from what is stored, whatever happened before (tests/housing/test_rollups.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from toitcommun.territory.models import Municipality

from .models import Building, BuildingCurrent, Clientele, StockRollup, UnitGroup
from .selectors import latest_in

Key = tuple[int, str, str, "datetime.date | None"]
FIELDS = ("sites", "units", "adapted_units", "vacant_units", "waiting_list")
# Past this many municipalities a recount of the whole province costs no more, and keeps
# the queries clear of the database's limit on parameters.
WHOLE_PROVINCE_FROM = 400


def recount(municipality_ids: Iterable[int] | None = None) -> dict[Key, dict[str, int]]:
    """The roll-up rows of these municipalities (every one: None), counted afresh from the stock."""
    scope = Q() if municipality_ids is None else Q(building__municipality_id__in=list(municipality_ids))
    order = {c: i for i, c in enumerate(Clientele.values)}
    # (building, clientele) -> [municipality, tenure, units, adapted, as_of, vacant, waiting]
    pairs: dict[tuple[int, str], list] = {}
    first: dict[int, str] = {}
    for building_id, clientele, municipality_id, tenure, units, adapted in (
        UnitGroup.objects.filter(scope).values("building_id", "clientele")
        .annotate(n=Sum("units"), a=Sum("adapted_units"))
        .values_list("building_id", "clientele", "building__municipality_id", "building__tenure", "n", "a")
        .order_by()
    ):
        pairs[(building_id, clientele)] = [municipality_id, tenure, units or 0, adapted or 0, None, 0, 0]
        if building_id not in first or order[clientele] < order[first[building_id]]:
            first[building_id] = clientele
    for building_id, clientele, municipality_id, tenure, as_of, vacant, waiting in latest_in(scope).values_list(
        "building_id", "clientele", "building__municipality_id", "building__tenure", "as_of", "vacant_units",
        "waiting_list",
    ):
        # A snapshot whose clientele has no unit group still says what is vacant (with no units).
        pair = pairs.setdefault((building_id, clientele), [municipality_id, tenure, 0, 0, None, 0, 0])
        pair[4:] = [as_of, vacant, waiting]
    rows: dict[Key, dict[str, int]] = {}
    for (building_id, clientele), (municipality_id, tenure, units, adapted, as_of, vacant, waiting) in pairs.items():
        row = rows.setdefault((municipality_id, clientele, tenure, as_of), dict.fromkeys(FIELDS, 0))
        row["sites"] += first.get(building_id) == clientele
        row["units"] += units
        row["adapted_units"] += adapted
        row["vacant_units"] += vacant
        row["waiting_list"] += waiting
    return rows


def stored(municipality_ids: Iterable[int] | None = None) -> dict[Key, dict[str, int]]:
    """The roll-up rows as they are stored, in recount's shape (to compare them)."""
    rows = StockRollup.objects.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    return {
        (r["municipality_id"], r["clientele"], r["tenure"], r["as_of"]): {f: r[f] for f in FIELDS}
        for r in rows.values("municipality_id", "clientele", "tenure", "as_of", *FIELDS)
    }


CURRENT_FIELDS = ("rank", "municipality_id", "municipality_code", "mrc_code", "region_code", "municipality_name",
                  "building_name", "units", "adapted_units", "as_of", "vacant_units", "waiting_list",
                  "reported_by_id", "reported_by_label")


def recount_current(municipality_ids: Iterable[int] | None = None) -> dict[tuple[int, str], dict[str, Any]]:
    """The per-building rows (BuildingCurrent) of these municipalities (every one: None), counted afresh.

    One per building and clientele with a unit group (what the per-building table shows); the
    figures of its latest snapshot, None where it has none.
    """
    scope = Q() if municipality_ids is None else Q(building__municipality_id__in=list(municipality_ids))
    order = {c: i for i, c in enumerate(Clientele.values)}
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for (building_id, clientele, units, adapted, municipality_id, code, mrc, region, place,
         name) in (
        UnitGroup.objects.filter(scope).values("building_id", "clientele")
        .annotate(n=Sum("units"), a=Sum("adapted_units"))
        .values_list("building_id", "clientele", "n", "a", "building__municipality_id",
                     "building__municipality__code", "building__municipality__mrc__code",
                     "building__municipality__mrc__region__code", "building__municipality__name", "building__name")
        .order_by()
    ):
        rows[(building_id, clientele)] = {
            "rank": order[clientele], "municipality_id": municipality_id, "municipality_code": code,
            "mrc_code": mrc, "region_code": region, "municipality_name": place, "building_name": name,
            "units": units or 0, "adapted_units": adapted or 0, "as_of": None, "vacant_units": None,
            "waiting_list": None, "reported_by_id": None, "reported_by_label": ""}
    for building_id, clientele, as_of, vacant, waiting, user_id, label in latest_in(scope).values_list(
        "building_id", "clientele", "as_of", "vacant_units", "waiting_list", "reported_by_id", "reported_by_label",
    ):
        row = rows.get((building_id, clientele))
        if row is not None:  # a snapshot whose clientele has no unit group has no row in the table
            row.update(as_of=as_of, vacant_units=vacant, waiting_list=waiting, reported_by_id=user_id,
                       reported_by_label=label)
    return rows


def stored_current(municipality_ids: Iterable[int] | None = None) -> dict[tuple[int, str], dict[str, Any]]:
    """The per-building rows as they are stored, in recount_current's shape (to compare them)."""
    rows = BuildingCurrent.objects.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    return {(r["building_id"], r["clientele"]): {f: r[f] for f in CURRENT_FIELDS}
            for r in rows.values("building_id", "clientele", *CURRENT_FIELDS)}


def rollups_refresh(*, municipality_ids: Iterable[int] | None = None) -> None:
    """Recount the roll-ups of these municipalities (every one: None) from what is stored now.

    Called by every act that writes the stock, inside its transaction, after its writes. The
    municipalities' rows are locked first, so that two acts in one municipality recount in
    turn and the second sees the first's writes.
    """
    ids = None if municipality_ids is None else sorted(set(municipality_ids))
    if ids is not None and len(ids) >= WHOLE_PROVINCE_FROM:
        ids = None
    if ids == []:
        return
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().order_by("pk")
        list((locked if ids is None else locked.filter(pk__in=ids)).values_list("pk", flat=True))
        rows = recount(ids)
        (StockRollup.objects.all() if ids is None else StockRollup.objects.filter(municipality_id__in=ids)).delete()
        StockRollup.objects.bulk_create(
            [StockRollup(municipality_id=m, clientele=c, tenure=t, as_of=as_of, **counts)
             for (m, c, t, as_of), counts in rows.items()],
            batch_size=1000,
        )
        current = recount_current(ids)
        (BuildingCurrent.objects.all() if ids is None
         else BuildingCurrent.objects.filter(municipality_id__in=ids)).delete()
        BuildingCurrent.objects.bulk_create(
            [BuildingCurrent(building_id=b, clientele=c, **fields) for (b, c), fields in current.items()],
            batch_size=500,
        )


def municipalities_of(building_ids: Iterable[int]) -> set[int]:
    """The municipalities of these buildings, as stored now."""
    ids = list(building_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(Building.objects.filter(pk__in=ids[start:start + 500]).values_list("municipality_id", flat=True))
    return found

