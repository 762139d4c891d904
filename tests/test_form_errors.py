"""Each field error is shown once on the pages whose form a service validates again (views_common.attach_errors)."""

from __future__ import annotations

import re

import pytest

from tests.factories import BuildingFactory, UnitGroupFactory
from toitcommun.directory.taxonomy_seed import term_id


def errors_shown(response) -> dict[str, list[str]]:
    """Each field's error list as the page shows it: {field id: [message, ...]}."""
    body = response.content.decode()
    lists = re.findall(r'<ul class="errorlist"[^>]*id="id_(\w+)_error"[^>]*>(.*?)</ul>', body, re.S)
    return {name: re.findall(r"<li>(.*?)</li>", items) for name, items in lists}


@pytest.fixture
def building(housing_office, thetford):
    b = BuildingFactory(organization=housing_office, municipality=thetford, name="Résidence test")
    UnitGroupFactory(building=b, clientele="seniors", bedrooms=1, units=20)
    return b


def test_building_form_shows_each_error_once(client, office_staff, housing_office, thetford):
    client.force_login(office_staff)
    response = client.post("/logement/immeubles/nouveau/", {
        "name": "", "organization": housing_office.pk, "municipality": thetford.pk, "address": "",
        "tenure": "hlm", "form": "duplex", "latitude": "abc"})
    assert response.status_code == 200
    assert errors_shown(response) == {
        "name": ["Ce champ est obligatoire."],
        "address": ["Ce champ est obligatoire."],
        "latitude": ["Saisissez un nombre."],
    }


def test_building_edit_form_shows_each_error_once(client, office_staff, building):
    client.force_login(office_staff)
    response = client.post(f"/logement/immeubles/{building.pk}/modifier/", {
        "name": "", "organization": building.organization_id, "municipality": building.municipality_id,
        "address": building.address, "tenure": "hlm", "form": "duplex", "version": str(building.version)})
    assert response.status_code == 200
    assert errors_shown(response) == {"name": ["Ce champ est obligatoire."]}


def test_availability_report_form_shows_each_error_once(client, office_worker, building):
    client.force_login(office_worker)
    response = client.post(f"/logement/immeubles/{building.pk}/disponibilites/",
                           {"clientele": "seniors", "as_of": "", "vacant_units": "-1", "waiting_list": "7"})
    assert response.status_code == 200
    shown = errors_shown(response)
    assert shown["as_of"] == ["Ce champ est obligatoire."]
    assert len(shown["vacant_units"]) == 1


def test_organization_form_shows_each_error_once(client, admin_user, thetford):
    client.force_login(admin_user)
    response = client.post("/organisations/nouvelle/", {"name": "", "kind": "", "municipality": thetford.pk})
    assert response.status_code == 200
    assert errors_shown(response) == {"name": ["Ce champ est obligatoire."], "kind": ["Ce champ est obligatoire."]}


def test_membership_form_shows_each_error_once(client, office_staff, housing_office):
    client.force_login(office_staff)
    response = client.post(f"/organisations/{housing_office.pk}/membres/",
                           {"full_name": "", "title": "", "email": "pas-un-courriel"})
    assert response.status_code == 200
    assert errors_shown(response) == {
        "full_name": ["Ce champ est obligatoire."],
        "title": ["Ce champ est obligatoire."],
        "email": ["Saisissez une adresse de courriel valide."],
    }


def test_category_form_shows_each_error_once(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/repertoire/gestion/categories/", {"code": "", "name": "", "description": "v"})
    assert response.status_code == 200
    assert errors_shown(response) == {"code": ["Ce champ est obligatoire."], "name": ["Ce champ est obligatoire."]}


def test_category_edit_form_shows_each_error_once_and_none_on_the_fixed_code(client, coordinator):
    client.force_login(coordinator)
    response = client.post(f"/repertoire/gestion/categories/{term_id('category', 'food')}/", {"name": "", "description": "d"})
    assert response.status_code == 200
    assert errors_shown(response) == {"name": ["Ce champ est obligatoire."]}
