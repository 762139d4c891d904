"""The directory through the API: search, one service, adding, changing, verifying, retiring; who may."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, place, serve
from tests.factories import api_token_for
from toitcommun.access.models import AuditEvent
from toitcommun.directory.models import Schedule, Service, ServiceStatus
from toitcommun.directory.search import index_services
from toitcommun.directory.taxonomy_seed import CATEGORIES
from toitcommun.directory.taxonomy_seed import term_id as term

JSON = "application/json"
API = "/api/v1/directory"


@pytest.fixture
def bearer():
    """The request headers that authenticate as ``user`` with a fresh API token."""
    def headers(user):
        return {"Authorization": f"Bearer {api_token_for(user)}"}
    return headers


@pytest.fixture
def provider(housing_office):
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


@pytest.fixture
def other_provider(other_office):
    return DirectoryOrganizationFactory(name="OMH de Lévis (répertoire)", organization=other_office)


@pytest.fixture
def service(provider):
    """Food aid of the housing office, serving the MRC des Appalaches, open every day."""
    s = ServiceFactory(directory_organization=provider, name="Épicerie solidaire",
                       description="Aide alimentaire à prix réduit.", clienteles=["families"])
    s.categories.add(term("category", "food"))
    serve(s, "310", "MRC des Appalaches")
    place(s, "31084", "Sous-sol de l'église")
    Schedule.objects.create(service=s, byday="MO,TU,WE,TH,FR,SA,SU", opens_at=datetime.time(0),
                            closes_at=datetime.time(23, 59, 59))
    index_services([s])
    return s


@pytest.fixture
def levis_service(other_provider):
    s = ServiceFactory(directory_organization=other_provider, name="Consultation budgétaire",
                       description="Aide pour le budget.", clienteles=["seniors"])
    s.categories.add(term("category", "budget_debt"))
    serve(s, "25213", "Lévis")
    index_services([s])
    return s


def new_service(provider, **changes):
    return {
        "directory_organization_id": str(provider.pk), "name": "Popote roulante",
        "description": "Repas livrés à domicile.", "categories": ["food", "seniors"],
        "clienteles": ["seniors"], "languages": ["français", "anglais"], "service_area_codes": ["310"],
        "location_name": "Cuisine", "address_1": "12, rue Principale", "municipality_code": "31084",
        "postal_code": "g6g1j1", "phone": "418 555-0101", "hours": "LU-VE 11:00-13:00",
    } | changes


def fields_of(answer):
    return [e["field"] for e in answer.json()["detail"]]


# ---- reading -------------------------------------------------------------------------------

def test_search_gives_services_with_their_places(client, service, levis_service):
    answer = client.get(f"{API}/services", {"q": "epicerie"})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 20, 0)
    item = body["items"][0]
    assert item["id"] == str(service.pk)
    assert item["organization"] == {"id": str(service.directory_organization_id),
                                    "name": "OMH de Thetford Mines (répertoire)",
                                    "organization_id": service.directory_organization.organization_id}
    assert (item["categories"], item["clienteles"], item["status"], item["version"]) == (
        ["food"], ["families"], "active", 1)
    assert item["places"] == [{"name": "Sous-sol de l'église", "address_1": "", "city": "", "postal_code": "",
                               "municipality_code": "31084", "latitude": None, "longitude": None,
                               "position_is_approximate": False}]


@pytest.mark.parametrize("params, names", [
    ({"territory": "31056"}, ["Épicerie solidaire"]),  # Adstock, in the MRC the service serves
    ({"territory": "25213"}, ["Consultation budgétaire"]),
    ({"territory": "12"}, ["Consultation budgétaire", "Épicerie solidaire"]),
    ({"category": "budget_debt"}, ["Consultation budgétaire"]),
    ({"clientele": "families"}, ["Épicerie solidaire"]),
    ({"open_now": "true"}, ["Épicerie solidaire"]),
    ({"q": "aide", "limit": 1, "offset": 1}, ["Épicerie solidaire"]),
])
def test_search_filters_as_the_public_page(client, service, levis_service, params, names):
    body = client.get(f"{API}/services", params).json()
    assert [item["name"] for item in body["items"]] == names


def test_retired_services_are_not_listed(client, service):
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
    assert client.get(f"{API}/services").json()["count"] == 0


@pytest.mark.parametrize("params, field", [
    ({"territory": "99999"}, "territory"), ({"category": "weapons"}, "category"),
    ({"clientele": "pets"}, "clientele"), ({"q": "x" * 201}, "q"), ({"limit": 101}, "limit"),
    ({"limit": 0}, "limit"), ({"offset": -1}, "offset"), ({"open_now": "perhaps"}, "open_now"),
])
def test_bad_search_parameters_name_the_field(client, service, params, field):
    answer = client.get(f"{API}/services", params)
    assert answer.status_code == 422
    assert fields_of(answer) == [field]


def test_the_list_costs_the_same_queries_for_many_services(client, provider, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            s = ServiceFactory(directory_organization=provider)
            s.categories.add(term("category", "food"))
            place(s, "31084", f"Lieu {i}")

    add(3)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/services").json()["count"] == 3
    add(30)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/services", {"limit": 100}).json()
    assert len(body["items"]) == 33 and all(item["categories"] == ["food"] for item in body["items"])


def test_one_service_with_everything(client, service):
    answer = client.get(f"{API}/services/{service.pk}")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["name"], body["service_area_codes"], body["hours_text"]) == (
        "Épicerie solidaire", ["310"], "MO-SU 00:00-24:00")
    assert body["hours"] == [{"byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00:00", "closes_at": "23:59:59"}]


@pytest.mark.parametrize("pk", ["00000000-0000-0000-0000-000000000000", "nope", "1", "retired"])
def test_unknown_malformed_or_retired_services_are_404(client, service, pk):
    if pk == "retired":
        Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
        pk = str(service.pk)
    answer = client.get(f"{API}/services/{pk}")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Service introuvable."}


def test_categories(client, db):
    body = client.get(f"{API}/categories").json()
    assert sorted(c["code"] for c in body) == sorted(code for code, *_rest in CATEGORIES)
    assert {"code": "food", "name": "Alimentation", "name_en": "Food",
            "description": CATEGORIES[0][3]} in body


# ---- adding --------------------------------------------------------------------------------

def test_staff_add_a_service(client, bearer, office_staff, provider):
    answer = client.post(f"{API}/services", new_service(provider), content_type=JSON, headers=bearer(office_staff))

    assert answer.status_code == 201
    body = answer.json()
    assert (body["name"], body["categories"], body["languages"], body["hours_text"]) == (
        "Popote roulante", ["food", "seniors"], ["anglais", "français"], "MO-FR 11:00-13:00")
    # Sent without coordinates, the place stands at its municipality's point, marked approximate.
    assert body["places"][0] == {
        "name": "Cuisine", "address_1": "12, rue Principale", "city": "Thetford Mines", "postal_code": "G6G 1J1",
        "municipality_code": "31084", "latitude": 46.1065, "longitude": -71.2873, "position_is_approximate": True}
    assert body["phones"] == [{"number": "418 555-0101", "extension": None}]
    assert AuditEvent.objects.get(action="service.create").actor == office_staff
    assert client.get(f"{API}/services", {"q": "popote"}).json()["count"] == 1


def test_writing_without_a_token_is_401_and_changes_nothing(client, provider, service):
    assert client.post(f"{API}/services", new_service(provider), content_type=JSON).status_code == 401
    assert client.patch(f"{API}/services/{service.pk}", {"version": 1, "name": "x"},
                        content_type=JSON).status_code == 401
    answer = client.post(f"{API}/services/{service.pk}/verify")
    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Bearer"
    assert Service.objects.count() == 1 and Service.objects.get().last_verified_on is None


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_add_a_service(client, bearer, request, who, provider):
    answer = client.post(f"{API}/services", new_service(provider), content_type=JSON,
                         headers=bearer(request.getfixturevalue(who)))
    assert answer.status_code == 403
    assert "detail" in answer.json()
    assert not Service.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"directory_organization_id": str(uuid.UUID(int=1))}, "directory_organization_id"),
    ({"directory_organization_id": "not-a-uuid"}, "directory_organization_id"),
    ({"municipality_code": "99999"}, "municipality_code"),
    ({"categories": ["food", "weapons"]}, "categories"),
    ({"clienteles": ["pets"]}, "clienteles"),
    ({"service_area_codes": ["310", "ZZZ"]}, "service_area_codes"),
    ({"postal_code": "12345"}, "postal_code"),
    ({"phone": "555"}, "phone"),
    ({"hours": "tous les jours"}, "hours"),
    ({"minimum_age": 70, "maximum_age": 18}, "maximum_age"),
    ({"minimum_age": "old"}, "minimum_age"),
    ({"name": "x" * 201}, "name"),
    ({"status": "defunct"}, "status"),
    ({"latitude": "north"}, "latitude"),
    ({"languages": "français"}, "languages"),
])
def test_bad_input_names_the_field_and_stores_nothing(client, bearer, admin_user, provider, changes, field):
    answer = client.post(f"{API}/services", new_service(provider, **changes), content_type=JSON,
                         headers=bearer(admin_user))
    assert answer.status_code == 422
    assert field in fields_of(answer)
    assert not Service.objects.exists()


def test_a_missing_name_says_the_field_is_required(client, bearer, admin_user, provider):
    data = new_service(provider)
    del data["name"]
    answer = client.post(f"{API}/services", data, content_type=JSON, headers=bearer(admin_user))
    assert answer.json() == {"detail": [{"field": "name", "message": "Ce champ est obligatoire."}]}


def test_html_is_stored_as_typed(client, bearer, office_staff, provider):
    typed = "<script>alert(1)</script>"
    answer = client.post(f"{API}/services", new_service(provider, description=typed), content_type=JSON,
                         headers=bearer(office_staff))
    assert answer.json()["description"] == typed


# ---- changing ------------------------------------------------------------------------------

def test_a_coordinator_changes_a_service_and_the_rest_is_kept(client, bearer, coordinator, service):
    answer = client.patch(f"{API}/services/{service.pk}", {"version": 1, "alert": "Fermé le 24 juin.",
                                                            "categories": ["food", "family"]},
                          content_type=JSON, headers=bearer(coordinator))

    assert answer.status_code == 200
    body = answer.json()
    assert (body["alert"], body["categories"], body["version"], body["name"]) == (
        "Fermé le 24 juin.", ["family", "food"], 2, "Épicerie solidaire")
    assert (body["service_area_codes"], body["hours_text"]) == (["310"], "MO-SU 00:00-24:00")
    assert [(p["name"], p["municipality_code"]) for p in body["places"]] == [("Sous-sol de l'église", "31084")]


def test_a_stale_change_is_409_with_the_current_record(client, bearer, coordinator, office_staff, service):
    client.patch(f"{API}/services/{service.pk}", {"version": 1, "name": "Épicerie communautaire"},
                 content_type=JSON, headers=bearer(coordinator))

    answer = client.patch(f"{API}/services/{service.pk}", {"version": 1, "name": "Autre nom"},
                          content_type=JSON, headers=bearer(office_staff))

    assert answer.status_code == 409
    body = answer.json()
    assert (body["version"], body["current"]["name"], body["current"]["version"]) == (2, "Épicerie communautaire", 2)
    assert Service.objects.get(pk=service.pk).name == "Épicerie communautaire"


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_change_a_service(client, bearer, request, who, service):
    answer = client.patch(f"{API}/services/{service.pk}", {"version": 1, "name": "x"}, content_type=JSON,
                          headers=bearer(request.getfixturevalue(who)))
    assert answer.status_code == 403
    assert Service.objects.get(pk=service.pk).name == "Épicerie solidaire"


def test_a_change_without_version_or_of_an_unknown_service(client, bearer, admin_user, service):
    headers = bearer(admin_user)
    missing = client.patch(f"{API}/services/{service.pk}", {"name": "x"}, content_type=JSON, headers=headers)
    assert (missing.status_code, fields_of(missing)) == (422, ["version"])
    for pk in (uuid.UUID(int=1), "nope"):
        unknown = client.patch(f"{API}/services/{pk}", {"version": 1}, content_type=JSON, headers=headers)
        assert unknown.status_code == 404


# ---- verifying, retiring -------------------------------------------------------------------

def test_a_worker_of_the_provider_verifies(client, bearer, office_worker, service):
    answer = client.post(f"{API}/services/{service.pk}/verify", headers=bearer(office_worker))
    assert answer.status_code == 200
    assert answer.json()["last_verified_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("who", ["other_staff", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_verify(client, bearer, request, who, service):
    answer = client.post(f"{API}/services/{service.pk}/verify", headers=bearer(request.getfixturevalue(who)))
    assert answer.status_code == 403
    assert Service.objects.get(pk=service.pk).last_verified_on is None


def test_retire_then_restore(client, bearer, office_staff, service):
    headers = bearer(office_staff)
    missing = client.post(f"{API}/services/{service.pk}/retire", {}, content_type=JSON, headers=headers)
    assert (missing.status_code, fields_of(missing)) == (422, ["reason"])
    blank = client.post(f"{API}/services/{service.pk}/retire", {"reason": " "}, content_type=JSON, headers=headers)
    assert blank.json() == {"detail": [{"field": "reason", "message": "Indiquez pourquoi ce service est retiré."}]}

    retired = client.post(f"{API}/services/{service.pk}/retire", {"reason": "Fermé."}, content_type=JSON,
                          headers=headers)

    assert (retired.status_code, retired.json()["status"]) == (200, "defunct")
    assert client.get(f"{API}/services/{service.pk}").status_code == 404
    again = client.post(f"{API}/services/{service.pk}/retire", {"reason": "Fermé."}, content_type=JSON,
                        headers=headers)
    assert (again.status_code, fields_of(again)) == (422, ["status"])
    restored = client.post(f"{API}/services/{service.pk}/restore", headers=headers)
    assert (restored.status_code, restored.json()["status"]) == (200, "active")


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher"])
def test_others_may_not_retire(client, bearer, request, who, service):
    answer = client.post(f"{API}/services/{service.pk}/retire", {"reason": "x"}, content_type=JSON,
                         headers=bearer(request.getfixturevalue(who)))
    assert answer.status_code == 403
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.ACTIVE

