"""The roll-ups of stock and vacancies equal a recount, whatever was written before, and the pages read them.

Each test draws a sequence of writes with a fixed seed, through every act that writes the
stock (adding and changing buildings, moving one to another municipality or tenure,
setting unit groups, reporting vacancies on past dates, fresh and stale, importing a file),
and after each write compares the stored roll-ups with a recount from the stock, and the
figures a page shows for today (read from the roll-ups) with the ones the snapshots give.
"""

from __future__ import annotations

import csv
import datetime
import io
import random

import pytest
from django.utils import timezone

from tests.factories import OrganizationFactory
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.housing import selectors
from toitcommun.housing.imports import ImportRejected, housing_import
from toitcommun.housing.models import AvailabilitySnapshot, Building, StockRollup, UnitGroup
from toitcommun.housing.rollups import (
    recount,
    recount_current,
    rollups_refresh,
    stored,
    stored_current,
)
from toitcommun.housing.selectors import (
    availability_overview,
    availability_page,
    availability_rows,
    current_rows,
    housing_summary,
)
from toitcommun.housing.services import (
    availability_report,
    building_create,
    building_update,
    unit_group_set,
)
from toitcommun.territory.models import Municipality
from toitcommun.territory.selectors import territory_get

# Thetford Mines and Adstock (MRC des Appalaches), Lévis (TE25), all in region 12; Québec City (region 03).
PLACES = ["31084", "31056", "25213", "23027"]
TERRITORIES = ["QC", "12", "03", "310", "TE25", "31084", "25213", "23027"]
CLIENTELES = ["seniors", "families", "singles"]
TENURES = ["hlm", "coop", "obnl"]
WRITES_PER_SEQUENCE = 70


def figures_from_snapshots(territory_code: str, on: datetime.date, monkeypatch) -> selectors.AvailabilityOverview:
    """What the available-housing page would show without the roll-ups: the latest snapshots, found afresh."""
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "rolled_up", lambda *args, **kwargs: None)
        return availability_overview(territory_get(territory_code), on)


def import_file(rng: random.Random, owners: list, today: datetime.date) -> bytes:
    out = io.StringIO()
    columns = ["organization", "municipality_code", "site", "address", "tenure", "form", "clientele", "units",
               "adapted_units", "bedrooms", "vacant_units", "waiting_list", "as_of"]
    writer = csv.writer(out)
    writer.writerow(columns)
    sites = rng.sample(range(12), rng.randint(1, 4))
    for site in sites:
        owner = owners[site % len(owners)]
        place = PLACES[site % len(PLACES)]
        tenure = TENURES[site % 3]
        for clientele in rng.sample(CLIENTELES, rng.randint(1, 2)):
            units = rng.randint(1, 30)
            reported = rng.random() < 0.6
            writer.writerow([
                owner.name, place, f"Site importé {site}", f"{site}, rue de l'Import", tenure, "multi_unit", clientele,
                units, rng.randint(0, min(units, 3)), rng.randint(0, 3),
                rng.randint(0, units) if reported else "", rng.randint(0, 40) if reported else "",
                (today - datetime.timedelta(days=rng.randint(0, 200))).isoformat() if reported else "",
            ])
    return out.getvalue().encode()


def write_at_random(rng: random.Random, actor, owners: list, municipalities: dict, today: datetime.date) -> str:
    """One write through one of the acts that change the stock, drawn at random; returns its name."""
    buildings = list(Building.objects.order_by("pk"))
    act = rng.choice(["create", "create", "update", "groups", "groups", "groups", "report", "report", "report",
                      "report", "import"] if buildings else ["create", "import"])
    if act == "create":
        building_create(actor=actor, data={
            "name": f"Habitations {rng.randint(0, 10**6)}", "organization": rng.choice(owners).pk,
            "municipality": municipalities[rng.choice(PLACES)].pk, "address": "1, rue du Hasard",
            "tenure": rng.choice(TENURES), "form": "multi_unit"})
    elif act == "update":
        building = rng.choice(buildings)
        building_update(actor=actor, building_id=building.pk, version=building.version, data={
            "municipality": municipalities[rng.choice(PLACES)].pk, "tenure": rng.choice(TENURES)})
    elif act == "groups":
        units = rng.randint(1, 40)
        unit_group_set(actor=actor, building_id=rng.choice(buildings).pk, clientele=rng.choice(CLIENTELES),
                       bedrooms=rng.randint(0, 3), units=units, adapted_units=rng.randint(0, min(units, 4)))
    elif act == "report":
        building = rng.choice(buildings)
        offered = sorted({g.clientele for g in building.unit_groups.all()}) or CLIENTELES
        # Within the stale threshold (90 days) and beyond it.
        availability_report(actor=actor, building_id=building.pk, data={
            "clientele": rng.choice(offered), "as_of": (today - datetime.timedelta(days=rng.randint(0, 200))).isoformat(),
            "vacant_units": rng.randint(0, 3), "waiting_list": rng.randint(0, 40)})
    else:
        housing_import(actor=actor, file_name="hasard.csv", content=import_file(rng, owners, today))
    return act


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_a_recount_after_any_sequence_of_writes(seed, admin_user, monkeypatch):
    rng = random.Random(seed)
    today = timezone.localdate()
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=PLACES)}
    owners = [OrganizationFactory(name=f"Office d'habitation du hasard {n} (test)", kind="housing_office")
              for n in range(3)]
    done: dict[str, int] = {}
    for _ in range(WRITES_PER_SEQUENCE):
        try:
            act = write_at_random(rng, admin_user, owners, municipalities, today)
        except (ValidationFailed, ImportRejected, PermissionRefused):
            continue  # a write refused (a duplicate name, too many vacant units): nothing changed
        done[act] = done.get(act, 0) + 1
        assert stored() == recount(), f"after {act} (seed {seed})"
        assert stored_current() == recount_current(), f"per building, after {act} (seed {seed})"
    # Every kind of write happened, and the stock is not trivial.
    assert set(done) == {"create", "update", "groups", "report", "import"}, done
    assert UnitGroup.objects.count() > 10 and AvailabilitySnapshot.objects.count() > 10
    assert StockRollup.objects.filter(as_of__isnull=True).exists() and StockRollup.objects.filter(
        as_of__isnull=False).exists()
    for code in TERRITORIES:
        rolled, counted = availability_overview(territory_get(code), today), figures_from_snapshots(code, today,
                                                                                                    monkeypatch)
        assert rolled == counted, code
        assert housing_summary(territory_get(code), today) == counted.summary, code
    assert_table_rows_equal_the_snapshots(today)


def assert_table_rows_equal_the_snapshots(today: datetime.date) -> None:
    """The per-building table read from BuildingCurrent (whole, and page by page) is the snapshots' table."""
    checked = 0
    for code in TERRITORIES:
        territory = territory_get(code)
        for clientele in ["", "families"]:
            assert current_rows(territory, today, clientele) is not None, code
            from_snapshots = availability_rows(territory, today, clientele, from_current=False)
            assert availability_rows(territory, today, clientele) == from_snapshots, (code, clientele)
            pages = []
            for number in range(1, max(1, -(-len(from_snapshots) // 7)) + 1):
                page = availability_page(territory, today, clientele, number, 7)
                assert page.total == len(from_snapshots), code
                pages += page.rows
            assert pages == from_snapshots, (code, clientele)
            checked += len(from_snapshots)
    assert checked > 20


def test_the_table_reads_the_snapshots_before_the_newest_report(admin_user, housing_office, thetford):
    """On a date before a report, BuildingCurrent cannot say: the table is the snapshots' of that date."""
    building = building_create(actor=admin_user, data={
        "name": "Les Pins", "organization": housing_office.pk, "municipality": thetford.pk,
        "address": "1, rue des Pins", "tenure": "hlm", "form": "multi_unit"})
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="seniors", bedrooms=1, units=10)
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="families", bedrooms=2, units=4)
    today = timezone.localdate()
    for days, vacant in [(40, 1), (5, 3)]:
        availability_report(actor=admin_user, building_id=building.pk, data={
            "clientele": "seniors", "as_of": (today - datetime.timedelta(days=days)).isoformat(),
            "vacant_units": vacant, "waiting_list": 7})
    territory = territory_get(thetford.code)
    earlier = today - datetime.timedelta(days=20)
    assert current_rows(territory, earlier) is None
    rows = availability_rows(territory, earlier)
    assert [(r.clientele, r.vacant_units, r.as_of) for r in rows] == [
        ("seniors", 1, today - datetime.timedelta(days=40)), ("families", None, None)]
    page = availability_page(territory, earlier, "", 1, 100)
    assert page.rows == rows and page.total == 2
    now = availability_page(territory, today, "", 9, 100)  # past the last page: the last page
    assert (now.number, now.total) == (1, 2)
    assert [(r.clientele, r.vacant_units, r.waiting_list, r.is_stale) for r in now.rows] == [
        ("seniors", 3, 7, False), ("families", None, None, False)]
    # Staleness is read from the date: the same row is stale a hundred days later.
    later = availability_page(territory, today + datetime.timedelta(days=100), "", 1, 100)
    assert [r.is_stale for r in later.rows] == [True, False]


def test_summary_reads_the_rollups_for_today(admin_user, housing_office, thetford, django_assert_num_queries):
    building = building_create(actor=admin_user, data={
        "name": "Les Pins", "organization": housing_office.pk, "municipality": thetford.pk,
        "address": "1, rue des Pins", "tenure": "hlm", "form": "multi_unit"})
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="seniors", bedrooms=1, units=10)
    today = timezone.localdate()
    availability_report(actor=admin_user, building_id=building.pk, data={
        "clientele": "seniors", "as_of": today.isoformat(), "vacant_units": 2, "waiting_list": 7})
    with django_assert_num_queries(1):
        summary = housing_summary(territory_get("QC"), today)
    assert (summary.units_total, summary.sites, summary.vacant_units, summary.waiting_list) == (10, 1, 2, 7)
    assert (summary.reported_units, summary.stale_units, summary.latest_report) == (10, 0, today)


def test_figures_grow_stale_with_the_date_not_with_a_write(admin_user, housing_office, thetford):
    """Staleness is counted at read time from the date of each row: the same rows are fresh today, stale later."""
    building = building_create(actor=admin_user, data={
        "name": "Les Pins", "organization": housing_office.pk, "municipality": thetford.pk,
        "address": "1, rue des Pins", "tenure": "hlm", "form": "multi_unit"})
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="families", bedrooms=2, units=6)
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="singles", bedrooms=0, units=4)
    today = timezone.localdate()
    availability_report(actor=admin_user, building_id=building.pk, data={
        "clientele": "families", "as_of": (today - datetime.timedelta(days=10)).isoformat(), "vacant_units": 1,
        "waiting_list": 3})
    fresh = housing_summary(territory_get("310"), today)
    later = housing_summary(territory_get("310"), today + datetime.timedelta(days=85))
    assert (fresh.reported_units, fresh.stale_units, fresh.unknown_units) == (6, 0, 4)
    assert (later.reported_units, later.stale_units) == (6, 6)
    # Singles never reported: unknown, not zero.
    assert fresh.vacant_by_clientele == {"seniors": None, "families": 1, "singles": None}


def test_a_past_date_before_the_newest_report_is_counted_from_the_snapshots(admin_user, housing_office, thetford):
    building = building_create(actor=admin_user, data={
        "name": "Les Pins", "organization": housing_office.pk, "municipality": thetford.pk,
        "address": "1, rue des Pins", "tenure": "hlm", "form": "multi_unit"})
    unit_group_set(actor=admin_user, building_id=building.pk, clientele="seniors", bedrooms=1, units=10)
    today = timezone.localdate()
    for days, vacant in ((40, 3), (5, 1)):
        availability_report(actor=admin_user, building_id=building.pk, data={
            "clientele": "seniors", "as_of": (today - datetime.timedelta(days=days)).isoformat(),
            "vacant_units": vacant, "waiting_list": 0})
    assert housing_summary(territory_get("31084"), today).vacant_units == 1
    assert housing_summary(territory_get("31084"), today - datetime.timedelta(days=20)).vacant_units == 3
    assert housing_summary(territory_get("31084"), today - datetime.timedelta(days=60)).vacant_units is None


def test_the_whole_province_is_recounted_as_the_migration_fills_it(admin_user, housing_office, thetford, levis):
    for municipality in (thetford, levis):
        building = building_create(actor=admin_user, data={
            "name": "Les Pins", "organization": housing_office.pk, "municipality": municipality.pk,
            "address": "1, rue des Pins", "tenure": "coop", "form": "multi_unit"})
        unit_group_set(actor=admin_user, building_id=building.pk, clientele="singles", bedrooms=0, units=4)
    StockRollup.objects.all().delete()
    rollups_refresh()
    assert stored() == recount() != {}
    assert sum(r.units for r in StockRollup.objects.all()) == 8
