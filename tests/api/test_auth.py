"""Who may write through the API: tokens, the site's session, and the answers when nobody is."""

from __future__ import annotations

import pytest
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client

from toitcommun.access.models import ApiToken, AuditEvent
from toitcommun.organizations.models import Organization

from .conftest import PASSWORD

JSON = "application/json"


def test_good_credentials_get_a_token_that_authenticates_a_write(client, person, omh):
    person("administrator", username="ada")

    issued = client.post("/api/v1/auth/token", {"username": "ada", "password": PASSWORD}, content_type=JSON)

    assert issued.status_code == 200
    token = issued.json()["token"]
    assert ApiToken.objects.filter(user__username="ada", digest=ApiToken.digest_of(token)).exists()
    changed = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0101"},
                           content_type=JSON, headers={"Authorization": f"Bearer {token}"})
    assert changed.status_code == 200
    assert changed.json()["phone"] == "418 555-0101"


def test_bad_password_gets_401_and_no_token(client, person):
    person("administrator", username="ada")

    answer = client.post("/api/v1/auth/token", {"username": "ada", "password": "not-it"}, content_type=JSON)

    assert answer.status_code == 401
    assert answer.json() == {"detail": "Nom d'utilisateur ou mot de passe invalide."}
    assert not ApiToken.objects.exists()


def test_token_request_without_password_names_the_field(client):
    answer = client.post("/api/v1/auth/token", {"username": "ada"}, content_type=JSON)

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "password", "message": "Ce champ est obligatoire."}]}


def test_repeated_bad_passwords_lock_the_account_with_a_json_429(client, person, settings):
    person("administrator", username="ada")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token", {"username": "ada", "password": "guess"}, content_type=JSON)

    answer = client.post("/api/v1/auth/token", {"username": "ada", "password": PASSWORD}, content_type=JSON)

    assert answer.status_code == 429
    assert answer["Content-Type"].startswith("application/json")
    assert "verrouillé" in answer.json()["detail"]
    assert not ApiToken.objects.exists()


def test_write_without_token_gets_401_json_and_changes_nothing(client, omh):
    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "name": "Autre nom"},
                          content_type=JSON)

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    assert answer.json()["detail"].startswith("Authentification requise")
    assert Organization.objects.get(pk=omh.pk).name == omh.name


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "Basic YWRhOnB3", "Token abc"])
def test_write_with_a_bad_token_gets_401(client, header, stock):
    answer = client.post(f"/api/v1/buildings/{stock.pins.pk}/availability",
                         {"clientele": "seniors", "as_of": "2024-07-01", "vacant_units": 1, "waiting_list": 2},
                         content_type=JSON, headers={"Authorization": header})

    assert answer.status_code == 401
    assert "detail" in answer.json()
    assert stock.pins.snapshots.count() == 4


def test_token_of_a_deactivated_account_gets_401(client, person, bearer, omh):
    ada = person("administrator")
    headers = bearer(ada)
    ada.is_active = False
    ada.save()

    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "1"},
                          content_type=JSON, headers=headers)

    assert answer.status_code == 401


def test_session_write_needs_the_csrf_token(person, omh):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person("organization_staff", organization=omh))

    refused = browser.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0199"},
                            content_type=JSON)
    secret = "a" * CSRF_SECRET_LENGTH
    browser.cookies["csrftoken"] = secret
    accepted = browser.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0199"},
                             content_type=JSON, headers={"X-CSRFToken": secret})

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 200
    assert accepted.json()["version"] == 2


def test_writes_through_the_api_are_audited_under_the_token_holder(client, person, bearer, omh):
    ada = person("administrator", username="ada")

    client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1, "phone": "418 555-0123"},
                 content_type=JSON, headers=bearer(ada))

    event = AuditEvent.objects.get(action="organization.update")
    assert (event.actor, event.object_id) == (ada, str(omh.pk))


def test_reads_need_no_token(client, stock):
    assert client.get("/api/v1/buildings").status_code == 200
    assert client.get(f"/api/v1/organizations/{stock.pins.organization_id}").status_code == 200
    assert client.get("/api/v1/territories/12").status_code == 200


def test_every_api_answer_says_no_store(client, omh):
    for answer in (client.get("/api/v1/territories/QC"), client.get("/api/v1/organizations/999999"),
                   client.post("/api/v1/organizations", {}, content_type=JSON)):
        assert "no-store" in answer["Cache-Control"]


def test_openapi_document_is_served_with_every_path(client):
    answer = client.get("/api/v1/openapi.json")

    assert answer.status_code == 200
    paths = answer.json()["paths"]
    assert {
        "/api/v1/auth/token", "/api/v1/territories", "/api/v1/territories/{code}", "/api/v1/housing/summary",
        "/api/v1/organizations", "/api/v1/organizations/{organization_id}", "/api/v1/buildings",
        "/api/v1/buildings/{building_id}", "/api/v1/buildings/{building_id}/availability",
    } <= set(paths)
    assert set(paths["/api/v1/buildings/{building_id}"]["patch"]["responses"]) >= {"200", "401", "403", "404",
                                                                                   "409", "422"}
    assert answer.json()["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_swagger_page_is_not_published(client):
    # Its scripts come from a CDN that the site's Content-Security-Policy forbids.
    assert client.get("/api/v1/docs").status_code == 404
