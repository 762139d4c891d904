import io

import pytest
from openpyxl import load_workbook

from tests.factories import BuildingFactory, SnapshotFactory, UnitGroupFactory
from toitcommun.housing.models import AvailabilitySnapshot, Building


@pytest.fixture
def building(housing_office, thetford):
    b = BuildingFactory(organization=housing_office, municipality=thetford, name="Résidence test",
                        latitude="46.09", longitude="-71.30")
    UnitGroupFactory(building=b, clientele="seniors", bedrooms=1, units=20)
    return b


def test_available_page_of_the_mrc_shows_demo_figures(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get("/logement/disponibles/310/", {"date": "2016-01-01"})
    assert response.status_code == 200
    s = response.context["summary"]
    assert (s.units_total, s.sites, s.adapted_units) == (191, 11, 2)
    body = response.content.decode()
    assert 'data-figure="units_total"' in body and "191" in body
    assert len(client.get(response.context["map_points_url"]).json()) == 11


def test_available_page_query_count_does_not_grow_with_buildings(client, housing_office, thetford,
                                                                 django_assert_max_num_queries):
    for _ in range(30):
        b = BuildingFactory(organization=housing_office, municipality=thetford)
        UnitGroupFactory(building=b)
        SnapshotFactory(building=b)
    with django_assert_max_num_queries(14):
        assert client.get("/logement/disponibles/31084/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/logement/parc/31084/").status_code == 200


def test_available_page_exports_what_is_shown(client, demo):
    response = client.get("/logement/disponibles/31084/", {"date": "2016-01-01", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.getvalue().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Municipalité,Site")
    assert len(lines) == 1 + 11  # one row per building and clientele: each Thetford site has one clientele
    response = client.get("/logement/disponibles/31084/", {"date": "2016-01-01", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 12
    assert sum(row[6] for row in sheet.iter_rows(min_row=2, values_only=True)) == 191


def test_stock_export_xlsx_totals(client, demo):
    response = client.get("/logement/parc/310/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sum(row[7] for row in sheet.iter_rows(min_row=2, values_only=True)) == 191


def test_unknown_territory_is_a_404(client, db):
    assert client.get("/logement/disponibles/00000/").status_code == 404
    assert client.get("/logement/parc/zz/").status_code == 404


def test_bad_date_shows_an_error_and_uses_today(client, building):
    response = client.get("/logement/disponibles/31084/", {"date": "2015-13-45"})
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def test_building_page_and_edit_conflict(client, coordinator, office_staff, building):
    assert client.get(f"/logement/immeubles/{building.pk}/").status_code == 200
    assert client.get("/logement/immeubles/999999/").status_code == 404
    client.force_login(coordinator)
    data = {"name": building.name, "organization": building.organization_id, "municipality": building.municipality_id,
            "address": "1, rue Neuve", "tenure": "hlm", "form": "multi_unit", "version": "1"}
    assert client.post(f"/logement/immeubles/{building.pk}/modifier/", data).status_code == 302
    client.force_login(office_staff)
    response = client.post(f"/logement/immeubles/{building.pk}/modifier/", {**data, "address": "2, rue Autre"})
    assert response.status_code == 200
    assert response.context["conflict"][0]["stored"] == "1, rue Neuve"
    assert 'value="2, rue Autre"' in response.content.decode()
    assert Building.objects.get(pk=building.pk).address == "1, rue Neuve"


def test_edit_page_is_refused_to_other_staff(client, other_staff, building):
    client.force_login(other_staff)
    assert client.get(f"/logement/immeubles/{building.pk}/modifier/").status_code == 403
    assert client.get(f"/logement/immeubles/{building.pk}/disponibilites/").status_code == 403


def test_edit_page_needs_login(client, building):
    response = client.get(f"/logement/immeubles/{building.pk}/modifier/")
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_report_vacancies_page_keeps_input_on_error(client, office_worker, building):
    client.force_login(office_worker)
    response = client.post(f"/logement/immeubles/{building.pk}/disponibilites/",
                           {"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": "50", "waiting_list": "7"})
    assert response.status_code == 200
    assert "pas plus de vacants" in response.content.decode()
    assert 'value="50"' in response.content.decode()
    response = client.post(f"/logement/immeubles/{building.pk}/disponibilites/",
                           {"clientele": "seniors", "as_of": "2015-06-30", "vacant_units": "2", "waiting_list": "7"})
    assert response.status_code == 302
    assert AvailabilitySnapshot.objects.get().vacant_units == 2


def test_create_building_page(client, office_staff, housing_office, thetford):
    client.force_login(office_staff)
    data = {"name": "Nouveau site", "organization": housing_office.pk, "municipality": thetford.pk,
            "address": "3, rue X", "tenure": "hlm", "form": "duplex"}
    response = client.post("/logement/immeubles/nouveau/", data)
    assert response.status_code == 302
    assert Building.objects.get(name="Nouveau site").form == "duplex"


def test_import_page_is_for_staff_only(client, office_worker, office_staff):
    client.force_login(office_worker)
    assert client.get("/logement/importer/").status_code == 403
    client.force_login(office_staff)
    assert client.get("/logement/importer/").status_code == 200


def test_text_is_escaped_on_the_pages(client, admin_user, housing_office, thetford):
    BuildingFactory(organization=housing_office, municipality=thetford, name="<script>alert(1)</script>")
    body = client.get("/logement/parc/31084/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_english_on_request(client, demo):
    response = client.get("/logement/disponibles/310/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_region_page_shows_subdivisions_not_every_building(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/logement/disponibles/12/", {"date": "2016-01-01"})
    assert response.context["rows"] == []
    assert {c["code"] for c in response.context["children"]} == {"310", "270", "TE25"}
    assert 'id="pick-subdivision"' in response.content.decode()
    response = client.get("/logement/disponibles/12/", {"date": "2016-01-01", "format": "csv"})
    # 18 sites; the Lévis non-profit has two clienteles.
    assert len(response.getvalue().decode("utf-8-sig").strip().splitlines()) == 1 + 19
