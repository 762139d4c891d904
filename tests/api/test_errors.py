"""One shape for every error, in the request's language; bad input never becomes a 500."""

from __future__ import annotations

import logging

from .conftest import THETFORD

JSON = "application/json"
EN = {"Accept-Language": "en"}


def test_refusals_are_french_by_default(client, stock):
    answer = client.get("/api/v1/buildings/999999")

    assert answer["Content-Language"] == "fr"
    assert answer.json() == {"detail": "Immeuble introuvable."}


def test_english_request_gets_the_same_shape_and_fields(client, person, bearer, omh):
    headers = bearer(person("administrator")) | EN

    answer = client.post("/api/v1/organizations", {
        "name": "New group", "kind": "community_organization", "municipality_code": "99999",
    }, content_type=JSON, headers=headers)

    assert answer.status_code == 422
    assert answer["Content-Language"] == "en"
    [error] = answer.json()["detail"]
    assert error["field"] == "municipality_code"
    assert error["message"]


def test_english_form_errors_come_in_english(client, person, bearer, omh):
    # The e-mail's shape is checked at the boundary, with the same words as the form.
    answer = client.post("/api/v1/organizations", {
        "name": "New group", "kind": "community_organization", "municipality_code": THETFORD, "email": "nope",
    }, content_type=JSON, headers=bearer(person("administrator")) | EN)

    assert answer.json() == {"detail": [{"field": "email", "message": "Enter a valid email address."}]}


def test_english_401_keeps_its_shape(client, omh):
    answer = client.patch(f"/api/v1/organizations/{omh.pk}", {"version": 1}, content_type=JSON, headers=EN)

    assert answer.status_code == 401
    assert answer["Content-Language"] == "en"
    assert list(answer.json()) == ["detail"]


def test_unreadable_json_body_is_400_json(client, person, bearer):
    answer = client.post("/api/v1/organizations", "{name: ", content_type=JSON, headers=bearer(person("administrator")))

    assert answer.status_code == 400
    assert answer.json() == {"detail": "Requête mal formée : le corps doit être du JSON valide."}


def test_body_that_is_not_an_object_is_422_naming_the_required_fields(client, person, bearer):
    answer = client.post("/api/v1/organizations", ["a", "list"], content_type=JSON,
                         headers=bearer(person("administrator")))

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "name", "message": "Ce champ est obligatoire."},
                                        {"field": "kind", "message": "Ce champ est obligatoire."}]}


def test_wrong_type_in_the_path_is_422(client):
    answer = client.get("/api/v1/buildings/les-pins")

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "building_id"


def test_a_value_no_validation_caught_is_a_500_and_logged(client, monkeypatch, caplog):
    # Bad input is parsed at the boundary (422, 400); a ValueError past it is a bug, counted and logged.
    def unreadable(*args, **kwargs):
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr("toitcommun.housing.api.housing_summary", unreadable)

    with caplog.at_level(logging.ERROR, logger="toitcommun.api"):
        answer = client.get("/api/v1/housing/summary", {"territory": "QC"})

    assert answer.status_code == 500
    assert answer.json() == {"detail": "Erreur interne : l'équipe technique en est avisée."}
    [record] = [r for r in caplog.records if r.name == "toitcommun.api"]
    assert record.getMessage() == "API request GET /api/v1/housing/summary failed"
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_an_unexpected_failure_still_answers_json(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("toitcommun.housing.api.housing_summary", broken)

    answer = client.get("/api/v1/housing/summary", {"territory": "QC"})

    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    assert "database" not in answer.json()["detail"]
