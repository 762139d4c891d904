"""A service area we cannot place (the official HSDS example's, whose URI is not ours) never breaks a page.

It is kept as text (its name and description, no territory code) and shown as such;
the staff list, the edit page and every act on the service work for every role.
"""

from __future__ import annotations

import pytest

from toitcommun.directory import hsds
from toitcommun.directory.models import Service, ServiceArea, ServiceStatus

EXAMPLE = hsds.HSDS_DIR / "examples" / "service_full.json"
LIST = "/repertoire/gestion/"
AREA_NAME = "The service is available to all residents of the MyCity area."


@pytest.fixture
def example(db):
    """The specification's own service_full.json, imported as the command does."""
    hsds.import_documents([EXAMPLE], as_system=True)
    service = Service.objects.get()
    area = ServiceArea.objects.get()
    assert (area.territory_code, area.name[:len(AREA_NAME)]) == ("", AREA_NAME)
    return service


# The example's place is in "MyCity" with a British postal code and phone: our form asks for Québec's.
QUEBEC_PLACE = {"postal_code": "G6G 1B2", "phone": "418 555-0101"}


def edit_url(service):
    return f"/repertoire/gestion/services/{service.pk}/modifier/"


@pytest.mark.parametrize("who", ["admin_user", "coordinator", "office_staff", "office_worker"])
def test_the_staff_list_shows_a_service_with_an_area_we_cannot_place(client, request, example, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(LIST)

    assert response.status_code == 200
    assert example.name in response.content.decode()


@pytest.mark.parametrize("who", ["admin_user", "coordinator"])
def test_the_edit_page_shows_the_area_we_cannot_place_as_text(client, request, example, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(edit_url(example))

    assert response.status_code == 200
    page = response.content.decode()
    assert AREA_NAME in page
    assert "Territoire que nous ne pouvons situer" in page


def test_the_public_pages_show_the_area_as_text(client, example):
    response = client.get(f"/repertoire/services/{example.pk}/")

    assert response.status_code == 200
    assert AREA_NAME in response.content.decode()
    assert client.get(f"/repertoire/services/{example.pk}/fiche/").status_code == 200


def test_saving_the_edit_page_keeps_the_area_we_cannot_place(client, coordinator, example, thetford):
    client.force_login(coordinator)
    form = client.get(edit_url(example)).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if name not in ("categories", "clienteles")}
    data |= {"version": example.version, "directory_organization": str(example.directory_organization_id),
             "description": "Nouvelle description.", "service_area_codes": "12",
             "latitude": "", "longitude": "", "minimum_age": "", "maximum_age": "",
             "municipality": str(thetford.pk)} | QUEBEC_PLACE

    response = client.post(edit_url(example), data)

    assert response.status_code == 302, response.context["form"].errors
    assert sorted((code, name[:len(AREA_NAME)]) for code, name in ServiceArea.objects.values_list(
        "territory_code", "name")) == [("", AREA_NAME), ("12", "Chaudière-Appalaches")]


def test_the_api_changes_a_service_with_an_area_we_cannot_place_and_keeps_it(client, coordinator, example):
    client.force_login(coordinator)

    response = client.patch(f"/api/v1/directory/services/{example.pk}",
                            {"version": example.version, "alert": "Fermé le 24 juin.", **QUEBEC_PLACE,
                             "municipality_code": "31084", "latitude": "46.09", "longitude": "-71.3"},
                            content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["alert"] == "Fermé le 24 juin."
    assert ServiceArea.objects.get().territory_code == ""


def test_the_api_reads_a_service_with_an_area_we_cannot_place(client, example):
    response = client.get(f"/api/v1/directory/services/{example.pk}")

    assert response.status_code == 200
    assert response.json()["service_area_codes"] == []


def test_verify_retire_and_restore_a_service_with_an_area_we_cannot_place_on_the_pages(client, coordinator,
                                                                                     example):
    client.force_login(coordinator)
    base = f"/repertoire/gestion/services/{example.pk}"

    assert client.post(f"{base}/verifier/", {"next": LIST}, headers={"HX-Request": "true"}).status_code == 200
    assert client.post(f"{base}/verifier/").status_code == 302
    assert client.post(f"{base}/retirer/", {"reason": "Exemple de la spécification."}).status_code == 302
    assert Service.objects.get().status == ServiceStatus.DEFUNCT
    assert client.get(edit_url(example)).status_code == 200
    assert client.post(f"{base}/retablir/").status_code == 302
    assert Service.objects.get().status == ServiceStatus.ACTIVE


def test_verify_retire_and_restore_a_service_with_an_area_we_cannot_place_through_the_api(client, coordinator,
                                                                                        example):
    client.force_login(coordinator)
    base = f"/api/v1/directory/services/{example.pk}"

    assert client.post(f"{base}/verify").status_code == 200
    assert client.post(f"{base}/retire", {"reason": "Exemple."}, content_type="application/json").status_code == 200
    assert client.post(f"{base}/restore").status_code == 200
    assert Service.objects.get().status == ServiceStatus.ACTIVE
    assert ServiceArea.objects.get().territory_code == ""
