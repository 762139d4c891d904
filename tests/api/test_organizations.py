"""Organizations through the API: the directory, registering one, changing one."""

from __future__ import annotations

import pytest

from toitcommun.organizations.models import Organization

from .conftest import BEAUCEVILLE, THETFORD, _organization

JSON = "application/json"


def test_organizations_filtered_by_territory_kind_and_name(client, omh, coop, obnl):
    in_region = client.get("/api/v1/organizations", {"territory": "12"}).json()
    coops = client.get("/api/v1/organizations", {"kind": "housing_coop"}).json()
    by_name = client.get("/api/v1/organizations", {"q": "vieux port"}).json()

    assert [o["name"] for o in in_region["items"]] == [coop.name, omh.name]
    assert in_region["count"] == 2
    assert [o["id"] for o in coops["items"]] == [coop.pk]
    assert [o["id"] for o in by_name["items"]] == [obnl.pk]


def test_one_organization(client, omh):
    answer = client.get(f"/api/v1/organizations/{omh.pk}")

    assert answer.status_code == 200
    assert answer.json() == {
        "id": omh.pk, "name": "Office municipal d'habitation de Thetford Mines", "kind": "housing_office",
        "municipality_code": THETFORD, "address": "", "postal_code": "", "phone": "", "email": "",
        "website": "", "description": "", "version": 1,
    }


def test_unknown_organization_is_404(client):
    answer = client.get("/api/v1/organizations/999999")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Organisation introuvable."}


def test_organizations_are_paginated_within_bounds(client, omh, coop, obnl):
    page = client.get("/api/v1/organizations", {"limit": 1, "offset": 2}).json()
    too_many = client.get("/api/v1/organizations", {"limit": 501})

    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 1, 2, 1)
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["field"] == "limit"


def test_organization_list_does_not_query_per_row(client, django_assert_max_num_queries):
    for n in range(40):
        _organization(f"Organisme {n:02}", "community_organization", BEAUCEVILLE if n % 2 else THETFORD)

    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/organizations", {"territory": "12", "limit": 500}).json()

    assert body["count"] == 40
    assert {o["municipality_code"] for o in body["items"]} == {BEAUCEVILLE, THETFORD}


def test_unknown_kind_or_territory_in_the_list(client):
    bad_kind = client.get("/api/v1/organizations", {"kind": "bank"})
    bad_territory = client.get("/api/v1/organizations", {"territory": "777"})

    assert (bad_kind.status_code, bad_kind.json()["detail"][0]["field"]) == (422, "kind")
    assert bad_territory.status_code == 404


def test_coordinator_registers_an_organization_in_their_region(client, person, bearer):
    coordinator = person("regional_coordinator", territory_code="12")

    answer = client.post("/api/v1/organizations", {
        "name": "Association des locataires du Rucher", "kind": "tenant_association",
        "municipality_code": THETFORD, "email": "rucher@example.org",
    }, content_type=JSON, headers=bearer(coordinator))

    assert answer.status_code == 201
    body = answer.json()
    assert (body["name"], body["kind"], body["municipality_code"], body["email"], body["version"]) == (
        "Association des locataires du Rucher", "tenant_association", THETFORD, "rucher@example.org", 1)
    assert Organization.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize("who", ["coordinator_elsewhere", "organization_staff", "worker"])
def test_others_may_not_register_an_organization(client, person, bearer, omh, who):
    user = {
        "coordinator_elsewhere": lambda: person("regional_coordinator", territory_code="03"),
        "organization_staff": lambda: person("organization_staff", organization=omh),
        "worker": lambda: person("worker", organization=omh),
    }[who]()

    answer = client.post("/api/v1/organizations", {
        "name": "Nouvel organisme", "kind": "community_organization", "municipality_code": THETFORD,
    }, content_type=JSON, headers=bearer(user))

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Vous ne pouvez pas créer une organisation dans ce territoire."}
    assert not Organization.objects.filter(name="Nouvel organisme").exists()


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({"municipality_code": "99999"}, "municipality_code", "Municipalité inconnue : 99999."),
    ({"email": "pas-un-courriel"}, "email", "Saisissez une adresse de courriel valide."),
    ({"kind": "bank"}, "kind", None),
    ({"name": "OFFICE MUNICIPAL D’HABITATION DE THETFORD-MINES"}, "name", "Une organisation porte déjà ce nom."),
])
def test_bad_organization_names_the_field_and_the_reason(client, person, bearer, omh, payload, field, message):
    data = {"name": "Nouvel organisme", "kind": "community_organization", "municipality_code": THETFORD} | payload

    answer = client.post("/api/v1/organizations", data, content_type=JSON, headers=bearer(person("administrator")))

    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["field"] == field
    assert error["message"] == message if message else error["message"].startswith("Valeur inconnue")
    assert Organization.objects.count() == 1


def test_staff_changes_part_of_their_organization(client, person, bearer, omh):
    staff = person("organization_staff", organization=omh)

    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "website": "https://omh.example.org"},
                          content_type=JSON, headers=bearer(staff))

    assert answer.status_code == 200
    body = answer.json()
    assert (body["website"], body["name"], body["municipality_code"], body["version"]) == (
        "https://omh.example.org", omh.name, THETFORD, 2)


@pytest.mark.parametrize("who", ["staff_of_other", "worker", "coordinator_elsewhere"])
def test_others_may_not_change_an_organization(client, person, bearer, omh, coop, who):
    user = {
        "staff_of_other": lambda: person("organization_staff", organization=coop),
        "worker": lambda: person("worker", organization=omh),
        "coordinator_elsewhere": lambda: person("regional_coordinator", territory_code="03"),
    }[who]()

    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "name": "Détourné"},
                          content_type=JSON, headers=bearer(user))

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Vous ne pouvez pas modifier cette organisation."}
    assert Organization.objects.get(pk=omh.pk).name == omh.name


def test_stale_version_is_409_with_the_current_organization(client, person, bearer, omh):
    headers = bearer(person("administrator"))
    client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0100"},
                 content_type=JSON, headers=headers)

    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0199"},
                          content_type=JSON, headers=headers)

    assert answer.status_code == 409
    body = answer.json()
    assert body["version"] == 2
    assert body["current"] == {
        "id": omh.pk, "name": omh.name, "kind": "housing_office", "municipality_code": THETFORD, "address": "",
        "postal_code": "", "phone": "418 555-0100", "email": "", "website": "", "description": "", "version": 2,
    }
    assert Organization.objects.get(pk=omh.pk).phone == "418 555-0100"


def test_moving_an_organization_to_an_unknown_municipality_names_the_field(client, person, bearer, omh):
    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "municipality_code": "00000"},
                          content_type=JSON, headers=bearer(person("administrator")))

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "municipality_code", "message": "Municipalité inconnue : 00000."}]}


def test_changing_an_unknown_organization_is_404(client, person, bearer):
    answer = client.patch("/api/v1/organizations/999999", {"version": 1, "name": "X"}, content_type=JSON,
                          headers=bearer(person("administrator")))

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Organisation introuvable."}
