import datetime

import pytest

from tests.factories import BuildingFactory, SnapshotFactory, UnitGroupFactory, municipality
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
from toitcommun.housing.selectors import (
    availability_rows,
    building_get,
    housing_summary,
    latest_snapshots,
)
from toitcommun.housing.services import (
    availability_report,
    building_create,
    building_update,
    unit_group_set,
)
from toitcommun.territory.selectors import territory_get

D = datetime.date


def building_data(org, muni, **extra):
    return {"name": "Habitations du Lac", "organization": org.pk, "municipality": muni.pk,
            "address": "12, rue du Lac", "tenure": "hlm", "form": "multi_unit", **extra}


@pytest.fixture
def building(housing_office, thetford):
    b = BuildingFactory(organization=housing_office, municipality=thetford, name="Résidence test")
    UnitGroupFactory(building=b, clientele="seniors", bedrooms=1, units=20, adapted_units=1)
    UnitGroupFactory(building=b, clientele="families", bedrooms=3, units=6)
    return b


# --- Services: happy paths -------------------------------------------------------------------

def test_owner_staff_add_a_building_and_it_is_audited(office_staff, housing_office, thetford):
    b = building_create(actor=office_staff, data=building_data(housing_office, thetford))
    assert (b.name, b.version, b.tenure) == ("Habitations du Lac", 1, "hlm")
    assert AuditEvent.objects.get(action="building.create").actor == office_staff


def test_coordinator_of_the_region_edits_a_building(coordinator, building):
    updated = building_update(actor=coordinator, building_id=building.pk, version=1,
                              data={"has_common_room": "on", "address": "14, rue du Lac"})
    assert (updated.address, updated.has_common_room, updated.version) == ("14, rue du Lac", True, 2)
    event = AuditEvent.objects.get(action="building.update")
    assert (event.before["address"], event.after["address"]) == (building.address, "14, rue du Lac")


def test_two_people_editing_the_same_building_the_second_save_is_refused(coordinator, office_staff, building):
    building_update(actor=coordinator, building_id=building.pk, version=1, data={"address": "1, rue A"})
    with pytest.raises(VersionConflict) as stale:
        building_update(actor=office_staff, building_id=building.pk, version=1, data={"address": "2, rue B"})
    assert stale.value.current["address"] == "1, rue A"
    assert Building.objects.get(pk=building.pk).address == "1, rue A"
    assert AuditEvent.objects.filter(action="building.update").count() == 1


def test_worker_of_the_owner_reports_vacancies(office_worker, building):
    snap = availability_report(actor=office_worker, building_id=building.pk,
                               data={"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": 2, "waiting_list": 11})
    assert (snap.vacant_units, snap.waiting_list, snap.reported_by) == (2, 11, office_worker)
    # A second report for the same day replaces the figure; the audit keeps both.
    availability_report(actor=office_worker, building_id=building.pk,
                        data={"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": 1, "waiting_list": 12})
    assert AvailabilitySnapshot.objects.get(building=building).vacant_units == 1
    assert AuditEvent.objects.filter(action="availability.report").count() == 2


def test_unit_group_set_creates_then_updates(office_staff, building):
    unit_group_set(actor=office_staff, building_id=building.pk, clientele="singles", bedrooms=0, units=4)
    unit_group_set(actor=office_staff, building_id=building.pk, clientele="singles", bedrooms=0, units=5, adapted_units=1)
    group = UnitGroup.objects.get(building=building, clientele="singles")
    assert (group.units, group.adapted_units) == (5, 1)


# --- Services: refusals ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_add_a_building(request, db, who, housing_office, thetford):
    with pytest.raises(PermissionRefused):
        building_create(actor=request.getfixturevalue(who), data=building_data(housing_office, thetford))
    assert not Building.objects.exists()


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_edit_a_building(request, db, who, building):
    with pytest.raises(PermissionRefused):
        building_update(actor=request.getfixturevalue(who), building_id=building.pk, version=1, data={"address": "x"})
    assert Building.objects.get(pk=building.pk).address == building.address
    assert not AuditEvent.objects.filter(action="building.update").exists()


@pytest.mark.parametrize("who", ["other_staff", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_report_vacancies(request, db, who, building):
    with pytest.raises(PermissionRefused):
        availability_report(actor=request.getfixturevalue(who), building_id=building.pk,
                            data={"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": 2, "waiting_list": 1})
    assert not AvailabilitySnapshot.objects.exists()


def test_staff_may_not_hand_their_building_to_another_owner(office_staff, building, other_office):
    with pytest.raises(PermissionRefused):
        building_update(actor=office_staff, building_id=building.pk, version=1, data={"organization": other_office.pk})
    assert Building.objects.get(pk=building.pk).organization_id == building.organization_id


# --- Services: bad input ---------------------------------------------------------------------

def test_bad_building_input_names_each_field(admin_user, housing_office, thetford):
    with pytest.raises(ValidationFailed) as refusal:
        building_create(actor=admin_user, data=building_data(housing_office, thetford, tenure="castle",
                                                             latitude="95", name=""))
    assert set(refusal.value.errors) == {"tenure", "latitude", "name"}
    assert "Ce champ est obligatoire." in refusal.value.errors["name"]
    assert not Building.objects.exists()


def test_the_same_site_twice_for_one_owner_is_refused(admin_user, building, housing_office, thetford):
    with pytest.raises(ValidationFailed) as refusal:
        building_create(actor=admin_user, data=building_data(housing_office, thetford, name="Résidence test"))
    assert refusal.value.errors["name"] == ["Ce propriétaire a déjà un site de ce nom dans cette municipalité."]


@pytest.mark.parametrize("data, field", [
    ({"clientele": "singles", "as_of": "2015-06-30", "vacant_units": 1, "waiting_list": 1}, "clientele"),
    ({"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": 21, "waiting_list": 1}, "vacant_units"),
    ({"clientele": "seniors", "as_of": "2999-01-01", "vacant_units": 1, "waiting_list": 1}, "as_of"),
    ({"clientele": "seniors", "as_of": "hier", "vacant_units": 1, "waiting_list": 1}, "as_of"),
    ({"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": -1, "waiting_list": 1}, "vacant_units"),
])
def test_bad_vacancy_reports_are_refused(office_staff, building, data, field):
    with pytest.raises(ValidationFailed) as refusal:
        availability_report(actor=office_staff, building_id=building.pk, data=data)
    assert field in refusal.value.errors
    assert not AvailabilitySnapshot.objects.exists()


@pytest.mark.parametrize("kwargs, field", [
    ({"clientele": "pets", "bedrooms": 1, "units": 2}, "clientele"),
    ({"clientele": "seniors", "bedrooms": 11, "units": 2}, "bedrooms"),
    ({"clientele": "seniors", "bedrooms": 1, "units": 0}, "units"),
    ({"clientele": "seniors", "bedrooms": 1, "units": 2, "adapted_units": 3}, "adapted_units"),
])
def test_bad_unit_groups_are_refused(office_staff, building, kwargs, field):
    with pytest.raises(ValidationFailed) as refusal:
        unit_group_set(actor=office_staff, building_id=building.pk, **kwargs)
    assert field in refusal.value.errors


def test_unknown_building_is_not_found(db):
    for pk in (123456, "x", None):
        with pytest.raises(NotFound):
            building_get(pk)


# --- Selectors -------------------------------------------------------------------------------

def test_summary_takes_the_latest_snapshot_on_or_before_the_date(building):
    SnapshotFactory(building=building, clientele="seniors", as_of=D(2015, 3, 31), vacant_units=3, waiting_list=10)
    SnapshotFactory(building=building, clientele="seniors", as_of=D(2015, 6, 30), vacant_units=1, waiting_list=12)
    SnapshotFactory(building=building, clientele="families", as_of=D(2015, 1, 31), vacant_units=2, waiting_list=4)
    for code in ("31084", "310", "12", "QC"):
        s = housing_summary(territory_get(code), D(2015, 5, 1))
        assert (s.units_total, s.vacant_units, s.waiting_list, s.sites, s.adapted_units) == (26, 5, 14, 1, 1)
    s = housing_summary(territory_get("31084"), D(2015, 7, 1))
    assert (s.vacant_units, s.waiting_list) == (3, 16)
    assert s.units_by_clientele == {"seniors": 20, "families": 6, "singles": 0}
    assert s.units_by_tenure == {"hlm": 26, "coop": 0, "obnl": 0}
    assert housing_summary(territory_get("31084"), D(2014, 1, 1)).vacant_units is None


def test_summary_of_another_territory_does_not_count_this_one(building):
    s = housing_summary(territory_get("25213"), D(2015, 5, 1))
    assert (s.units_total, s.sites) == (0, 0)


def test_latest_snapshots_is_one_per_building_and_clientele(building):
    for month in (1, 2, 3):
        SnapshotFactory(building=building, clientele="seniors", as_of=D(2015, month, 28))
    assert latest_snapshots(territory_get("QC"), D(2015, 12, 31)).count() == 1


def test_availability_rows_show_never_reported_groups(building):
    rows = availability_rows(territory_get("31084"), D(2015, 5, 1))
    assert [(r.clientele, r.units, r.vacant_units) for r in rows] == [("seniors", 20, None), ("families", 6, None)]


# --- Demo scenario ---------------------------------------------------------------------------

def test_demo_thetford_mines_has_the_published_figures(demo):
    s = housing_summary(territory_get("31084"), D(2016, 1, 1))
    assert s.units_total == 191
    assert s.sites == 11
    assert s.units_by_clientele == {"seniors": 106, "families": 73, "singles": 12}
    assert s.adapted_units == 2
    assert s.units_by_tenure["hlm"] == 191


def test_demo_loads_twice_without_change(demo):
    from django.core.management import call_command

    counts = (Building.objects.count(), UnitGroup.objects.count(), AvailabilitySnapshot.objects.count(),
              AuditEvent.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (Building.objects.count(), UnitGroup.objects.count(), AvailabilitySnapshot.objects.count(),
                      AuditEvent.objects.count())


def test_demo_other_stock_is_marked_illustrative(demo):
    assert not Building.objects.filter(municipality__code="31084", is_illustrative=True).exists()
    assert Building.objects.filter(municipality__code__in=["25213", "27043", "27028"], is_illustrative=False).count() == 0
    assert municipality("27043").mrc.code == "270"
