"""Buildings through the API: lists, one building, adding, changing, reporting vacancies."""

from __future__ import annotations

import pytest
from django.utils import timezone

from toitcommun.housing.models import AvailabilitySnapshot, Building

from .conftest import THETFORD, _building

JSON = "application/json"


def new_building(owner, **changes):
    return {"name": "Le Belvédère", "organization_id": owner.pk, "municipality_code": THETFORD,
            "address": "455, rue Notre-Dame Est", "tenure": "hlm", "form": "duplex",
            "has_common_room": True, "latitude": "46.091234", "longitude": "-71.301234"} | changes


# ---- reading -------------------------------------------------------------------------------


def test_buildings_of_a_municipality(client, stock):
    answer = client.get("/api/v1/buildings", {"territory": THETFORD})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    assert body["items"][0] == {
        "id": stock.rucher.pk, "name": "Le Rucher", "organization_id": stock.rucher.organization_id,
        "municipality_code": THETFORD, "address": "1, rue Le Rucher", "tenure": "hlm", "form": "multi_unit",
        "has_common_room": False, "latitude": None, "longitude": None, "version": 1, "units_total": 4,
    }
    assert [b["name"] for b in body["items"]] == ["Le Rucher", "Les Pins"]


def test_buildings_filtered_by_owner_and_tenure(client, stock, coop):
    by_owner = client.get("/api/v1/buildings", {"organization": coop.pk}).json()
    by_tenure = client.get("/api/v1/buildings", {"territory": "QC", "tenure": "obnl"}).json()

    assert [b["name"] for b in by_owner["items"]] == ["Les Deux Rives"]
    assert [b["name"] for b in by_tenure["items"]] == ["Vieux-Port"]


def test_buildings_are_paginated(client, stock):
    body = client.get("/api/v1/buildings", {"limit": 2, "offset": 1}).json()

    assert (body["count"], len(body["items"]), body["offset"]) == (4, 2, 1)


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
    ({"tenure": "condo"}, "tenure"), ({"organization": "omh"}, "organization"),
])
def test_bad_list_parameters_name_the_field(client, params, field):
    answer = client.get("/api/v1/buildings", params)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == [field]


def test_building_list_costs_the_same_queries_for_many_buildings(client, stock, omh, django_assert_max_num_queries):
    for n in range(30):
        _building(f"Site {n}", omh, THETFORD, "hlm", [("seniors", 1, 3, 0), ("families", 2, 2, 0)])

    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/buildings", {"territory": "12", "limit": 500}).json()

    assert body["count"] == 33
    assert {b["units_total"] for b in body["items"] if b["name"].startswith("Site")} == {5}


def test_one_building_with_its_units_and_latest_vacancies(client, stock):
    answer = client.get(f"/api/v1/buildings/{stock.pins.pk}")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["name"], body["units_total"], body["version"]) == ("Les Pins", 16, 1)
    assert body["unit_groups"] == [
        {"clientele": "seniors", "bedrooms": 1, "units": 10, "adapted_units": 2},
        {"clientele": "families", "bedrooms": 2, "units": 6, "adapted_units": 0},
    ]
    assert body["availability"] == [
        {"building_id": stock.pins.pk, "clientele": "seniors", "as_of": "2024-06-01", "vacant_units": 0,
         "waiting_list": 15, "is_stale": True},  # over 90 days before today
        {"building_id": stock.pins.pk, "clientele": "families", "as_of": "2024-02-15", "vacant_units": 2,
         "waiting_list": 4, "is_stale": True},
    ]


def test_unknown_building_is_404(client):
    answer = client.get("/api/v1/buildings/999999")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Immeuble introuvable."}


# ---- adding --------------------------------------------------------------------------------


def test_owner_staff_adds_a_building(client, person, bearer, omh):
    staff = person("organization_staff", organization=omh)

    answer = client.post("/api/v1/buildings", new_building(omh), content_type=JSON, headers=bearer(staff))

    assert answer.status_code == 201
    body = answer.json()
    assert (body["name"], body["municipality_code"], body["version"], body["units_total"]) == (
        "Le Belvédère", THETFORD, 1, 0)
    assert (body["latitude"], body["longitude"]) == (46.091234, -71.301234)
    assert Building.objects.get(pk=body["id"]).organization == omh


@pytest.mark.parametrize("who", ["worker_of_owner", "staff_of_other", "coordinator_elsewhere", "researcher"])
def test_others_may_not_add_a_building_for_an_owner(client, person, bearer, omh, coop, who):
    user = {
        "worker_of_owner": lambda: person("worker", organization=omh),
        "staff_of_other": lambda: person("organization_staff", organization=coop),
        "coordinator_elsewhere": lambda: person("regional_coordinator", territory_code="03"),
        "researcher": lambda: person("researcher"),
    }[who]()

    answer = client.post("/api/v1/buildings", new_building(omh), content_type=JSON, headers=bearer(user))

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Vous ne pouvez pas ajouter un immeuble pour ce propriétaire."}
    assert not Building.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"municipality_code": "99999"}, "municipality_code"),
    ({"organization_id": 999999}, "organization_id"),
    ({"tenure": "condo"}, "tenure"),
    ({"name": ""}, "name"),
    ({"latitude": "91"}, "latitude"),
    ({"latitude": "north"}, "latitude"),
    ({"has_common_room": "maybe"}, "has_common_room"),
])
def test_bad_building_names_the_field_and_adds_nothing(client, person, bearer, omh, changes, field):
    admin = person("administrator")

    answer = client.post("/api/v1/buildings", new_building(omh, **changes), content_type=JSON, headers=bearer(admin))

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == [field]
    assert all(e["message"] for e in answer.json()["detail"])
    assert not Building.objects.exists()


def test_missing_fields_are_each_named(client, person, bearer, omh):
    answer = client.post("/api/v1/buildings", {"name": "Sans adresse"}, content_type=JSON,
                         headers=bearer(person("administrator")))

    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["detail"]} == {"organization_id", "municipality_code", "address",
                                                              "tenure", "form"}
    assert {e["message"] for e in answer.json()["detail"]} == {"Ce champ est obligatoire."}


def test_same_site_twice_for_an_owner_is_refused(client, person, bearer, omh):
    headers = bearer(person("administrator"))
    client.post("/api/v1/buildings", new_building(omh), content_type=JSON, headers=headers)

    answer = client.post("/api/v1/buildings", new_building(omh), content_type=JSON, headers=headers)

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{
        "field": "name", "message": "Ce propriétaire a déjà un site de ce nom dans cette municipalité.",
    }]}
    assert Building.objects.count() == 1


# ---- changing ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_of_owner", "coordinator_of_region", "administrator"])
def test_those_in_charge_change_a_building(client, person, bearer, stock, omh, who):
    user = {
        "staff_of_owner": lambda: person("organization_staff", organization=omh),
        "coordinator_of_region": lambda: person("regional_coordinator", territory_code="12"),
        "administrator": lambda: person("administrator"),
    }[who]()

    answer = client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"version": 1, "has_common_room": True},
                          content_type=JSON, headers=bearer(user))

    assert answer.status_code == 200
    assert (answer.json()["has_common_room"], answer.json()["version"], answer.json()["name"]) == (True, 2, "Les Pins")


@pytest.mark.parametrize("who", ["worker_of_owner", "staff_of_other", "coordinator_elsewhere", "nobody"])
def test_others_may_not_change_a_building(client, person, bearer, stock, omh, coop, who):
    user = {
        "worker_of_owner": lambda: person("worker", organization=omh),
        "staff_of_other": lambda: person("organization_staff", organization=coop),
        "coordinator_elsewhere": lambda: person("regional_coordinator", territory_code="03"),
        "nobody": lambda: person(None),
    }[who]()

    answer = client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"version": 1, "name": "Renommé"},
                          content_type=JSON, headers=bearer(user))

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Vous ne pouvez pas modifier cet immeuble."}
    assert Building.objects.get(pk=stock.pins.pk).name == "Les Pins"


def test_stale_version_is_409_with_the_current_building(client, person, bearer, stock):
    headers = bearer(person("administrator"))
    client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"version": 1, "name": "Les Grands Pins"},
                 content_type=JSON, headers=headers)

    answer = client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"version": 1, "address": "2, rue des Pins"},
                          content_type=JSON, headers=headers)

    assert answer.status_code == 409
    body = answer.json()
    assert body["version"] == 2
    assert (body["current"]["name"], body["current"]["address"], body["current"]["version"]) == (
        "Les Grands Pins", "1, rue Les Pins", 2)
    assert body["detail"]
    assert Building.objects.get(pk=stock.pins.pk).address == "1, rue Les Pins"


def test_change_without_version_names_the_field(client, person, bearer, stock):
    answer = client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"name": "X"}, content_type=JSON,
                          headers=bearer(person("administrator")))

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == ["version"]


def test_changing_an_unknown_building_is_404(client, person, bearer):
    answer = client.patch("/api/v1/buildings/999999", {"version": 1, "name": "X"}, content_type=JSON,
                          headers=bearer(person("administrator")))

    assert answer.status_code == 404


# ---- reporting availability ----------------------------------------------------------------


def test_owner_worker_reports_vacancies(client, person, bearer, stock, omh):
    worker = person("worker", organization=omh)
    today = timezone.localdate().isoformat()

    answer = client.post(f"/api/v1/buildings/{stock.pins.pk}/availability",
                         {"clientele": "seniors", "as_of": today, "vacant_units": 2, "waiting_list": 9},
                         content_type=JSON, headers=bearer(worker))

    assert answer.status_code == 201
    assert answer.json() == {"building_id": stock.pins.pk, "clientele": "seniors", "as_of": today,
                             "vacant_units": 2, "waiting_list": 9, "is_stale": False}
    summary = client.get("/api/v1/housing/summary", {"territory": THETFORD}).json()
    assert summary["vacant_by_clientele"]["seniors"] == 2
    assert (summary["reported_units"], summary["stale_units"]) == (16, 6)  # families' report is from 2024


def test_worker_of_another_owner_may_not_report(client, person, bearer, stock, coop):
    answer = client.post(f"/api/v1/buildings/{stock.pins.pk}/availability",
                         {"clientele": "seniors", "as_of": "2024-07-01", "vacant_units": 2, "waiting_list": 9},
                         content_type=JSON, headers=bearer(person("worker", organization=coop)))

    assert answer.status_code == 403
    assert AvailabilitySnapshot.objects.filter(building=stock.pins).count() == 4


@pytest.mark.parametrize(("changes", "field"), [
    ({"vacant_units": 11}, "vacant_units"),        # only 10 units for seniors
    ({"clientele": "singles"}, "clientele"),       # none for singles here
    ({"clientele": "students"}, "clientele"),
    ({"as_of": "2999-01-01"}, "as_of"),
    ({"as_of": "01/07/2024"}, "as_of"),
    ({"waiting_list": -1}, "waiting_list"),
])
def test_bad_report_names_the_field(client, person, bearer, stock, changes, field):
    report = {"clientele": "seniors", "as_of": "2024-07-01", "vacant_units": 2, "waiting_list": 9} | changes

    answer = client.post(f"/api/v1/buildings/{stock.pins.pk}/availability", report, content_type=JSON,
                         headers=bearer(person("administrator")))

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == [field]
    assert AvailabilitySnapshot.objects.filter(building=stock.pins).count() == 4
