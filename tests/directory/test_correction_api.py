"""Corrections through the API: propose, list, accept, refuse, withdraw; the same services as the pages."""

from __future__ import annotations

import pytest

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import api_token_for
from toitcommun.directory.models import Correction, CorrectionState, Phone, Service

JSON = "application/json"
BASE = "/api/v1/directory"


def auth(user):
    return {"Authorization": f"Bearer {api_token_for(user)}"}


@pytest.fixture
def service(housing_office):
    provider = DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(s, "31084", "Thetford Mines")
    Phone.objects.create(service=s, number="418 555-0101", type="voice")
    return s


def test_a_worker_proposes_and_the_staff_accept_through_the_api(client, office_worker, office_staff, service):
    response = client.post(f"{BASE}/services/{service.pk}/corrections", {
        "version": 1, "phone": "418 555-0199", "languages": ["français"], "note": "Le numéro a changé."},
        content_type=JSON, headers=auth(office_worker))
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["values"], body["base"], body["mine"]) == (
        "pending", {"phone": "418 555-0199", "languages": "français"}, {"phone": "418 555-0101", "languages": ""},
        True)

    listed = client.get(f"{BASE}/corrections", headers=auth(office_staff)).json()
    assert ([c["id"] for c in listed["to_decide"]], listed["mine"]) == ([body["id"]], [])
    assert listed["to_decide"][0]["mine"] is False

    accepted = client.post(f"{BASE}/corrections/{body['id']}/accept", {"version": 1, "fields": ["phone"]},
                           content_type=JSON, headers=auth(office_staff))
    assert accepted.status_code == 200
    assert (accepted.json()["state"], accepted.json()["applied_fields"]) == ("accepted", ["phone"])
    stored = Service.objects.get(pk=service.pk)
    assert (stored.phones.get().number, stored.languages.count()) == ("418 555-0199", 0)


def test_the_api_refuses_an_unknown_field_a_stale_version_and_strangers(
        client, office_worker, office_staff, other_staff, service):
    url = f"{BASE}/services/{service.pk}/corrections"
    unknown = client.post(url, {"version": 1, "colour": "rouge"}, content_type=JSON, headers=auth(office_worker))
    assert unknown.status_code == 422  # the schema forbids nothing extra: ninja ignores it, nothing left to propose
    stale = client.post(url, {"version": 7, "name": "X"}, content_type=JSON, headers=auth(office_worker))
    assert stale.status_code == 409 and stale.json()["version"] == 1
    assert client.post(url, {"version": 1, "name": "X"}, content_type=JSON,
                       headers=auth(office_staff)).status_code == 403
    assert client.post(url, {"version": 1, "name": "X"}, content_type=JSON).status_code == 401
    assert Correction.objects.count() == 0

    made = client.post(url, {"version": 1, "name": "X"}, content_type=JSON, headers=auth(office_worker)).json()
    hidden = client.post(f"{BASE}/corrections/{made['id']}/refuse", {"reason": "Non."}, content_type=JSON,
                         headers=auth(other_staff))
    assert hidden.status_code == 404
    refused = client.post(f"{BASE}/corrections/{made['id']}/refuse", {"reason": "Le nom est exact."},
                          content_type=JSON, headers=auth(office_staff))
    assert (refused.status_code, refused.json()["reason"]) == (200, "Le nom est exact.")
    again = client.post(f"{BASE}/corrections/{made['id']}/withdraw", headers=auth(office_worker))
    assert again.status_code == 422
    assert Correction.objects.get().state == CorrectionState.REFUSED


def test_the_openapi_document_states_every_correction_answer(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[f"{BASE}/services/{{service_id}}/corrections"]["post"]["responses"]) >= {
        "201", "401", "403", "404", "409", "422"}
    assert set(paths[f"{BASE}/corrections"]["get"]["responses"]) >= {"200", "401"}
    assert set(paths[f"{BASE}/corrections/{{correction_id}}/accept"]["post"]["responses"]) >= {
        "200", "401", "403", "404", "409", "422"}


@pytest.mark.parametrize("pk", ["99999999999999999999", "-1", "abc", "1e3"])
def test_an_unreachable_correction_id_is_not_found(client, office_staff, pk):
    assert client.get(f"{BASE}/corrections/{pk}", headers=auth(office_staff)).status_code == 404
    assert client.post(f"{BASE}/corrections/{pk}/refuse", {"reason": "Non."}, content_type=JSON,
                       headers=auth(office_staff)).status_code == 404
    client.force_login(office_staff)
    assert client.post(f"/repertoire/gestion/corrections/{pk}/accepter/", {"version": "1"}).status_code == 404
