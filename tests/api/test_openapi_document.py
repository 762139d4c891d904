"""The OpenAPI document tells the truth: every answer a route gives, and the rules a body must follow."""

from __future__ import annotations

import datetime
from typing import Any

import jsonschema_rs
import pytest

from tests.directory.factories import ServiceFactory
from toitcommun.directory.models import Schedule

JSON = "application/json"


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def body_schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def validator(document: dict[str, Any], ref: str) -> Any:
    """A JSON Schema validator for one of the document's schemas, formats checked."""
    return jsonschema_rs.Draft202012Validator({"$ref": ref, "components": document["components"]},
                                              validate_formats=True)


def test_every_route_documents_400_413_and_422(document):
    for method, path, op in operations(document):
        assert {"400", "413", "422"} <= set(op["responses"]), (method, path)


def test_every_route_behind_a_token_documents_401_and_every_write_403(document):
    for method, path, op in operations(document):
        if op.get("security"):
            assert "401" in op["responses"], (method, path)
        if op.get("security") and method in ("POST", "PATCH") and not path.startswith("/api/v1/auth/"):
            assert "403" in op["responses"], (method, path)


def test_the_token_route_documents_its_lockout(document):
    assert "429" in document["paths"]["/api/v1/auth/token"]["post"]["responses"]


def test_a_refused_nul_matches_the_documented_400(client, document):
    answer = client.get("/api/v1/territories", {"q": "\x00"})

    assert answer.status_code == 400
    validator(document, "#/components/schemas/Error").validate(answer.json())


def test_times_of_day_in_answers_match_the_document(client, document):
    service = ServiceFactory()
    Schedule.objects.create(service=service, byday="MO,TU", opens_at=datetime.time(8, 30),
                            closes_at=datetime.time(16, 30))
    schema = (document["paths"]["/api/v1/directory/services/{service_id}"]["get"]["responses"]["200"]
              ["content"][JSON]["schema"])

    answer = client.get(f"/api/v1/directory/services/{service.pk}")

    assert answer.json()["hours"] == [{"byday": "MO,TU", "opens_at": "08:30:00", "closes_at": "16:30:00"}]
    jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]},
                                       validate_formats=True).validate(answer.json())
    assert "format" not in str(body_schema(document, "HoursOut"))


@pytest.mark.parametrize("schema, field, rule", [
    ("BuildingIn", "name", {"minLength": 1, "maxLength": 200}),
    ("BuildingIn", "address", {"minLength": 1, "maxLength": 300}),
    ("BuildingIn", "municipality_code", {"pattern": "^[0-9]{5}$"}),
    ("BuildingIn", "organization_id", {"minimum": 1, "maximum": 2**63 - 1}),
    ("OrganizationIn", "postal_code", {"maxLength": 7}),
    ("OrganizationIn", "description", {"maxLength": 4000}),
    ("ServiceIn", "status", {"enum": ["active", "inactive", "temporarily closed"]}),
    ("ServiceIn", "alert", {"maxLength": 500}),
    ("RetireIn", "reason", {"minLength": 1, "maxLength": 500}),
])
def test_write_bodies_state_the_forms_simple_rules(document, schema, field, rule):
    stated = body_schema(document, schema)["properties"][field]

    assert rule.items() <= stated.items(), stated


def test_coordinates_state_their_range(document):
    latitude = body_schema(document, "BuildingIn")["properties"]["latitude"]["anyOf"][0]
    longitude = body_schema(document, "ServiceIn")["properties"]["longitude"]["anyOf"][0]

    assert (latitude["type"], latitude["minimum"], latitude["maximum"]) == ("number", -90, 90)
    assert (longitude["type"], longitude["minimum"], longitude["maximum"]) == ("number", -180, 180)


def test_service_lists_state_their_items_and_sizes(document):
    properties = body_schema(document, "ServiceIn")["properties"]

    assert properties["languages"]["maxItems"] == 20
    assert properties["service_area_codes"]["maxItems"] == 50
    assert properties["clienteles"]["items"] == {"$ref": "#/components/schemas/Clientele"}
    assert body_schema(document, "Clientele")["enum"] == ["seniors", "families", "singles", "youth", "disabilities"]


def test_coordinates_finer_than_a_millionth_of_a_degree_are_rounded(client, person, bearer, omh):
    answer = client.post("/api/v1/buildings", {
        "name": "Les Érables", "organization_id": omh.pk, "municipality_code": "31084", "address": "1, rue A",
        "tenure": "hlm", "form": "duplex", "latitude": 46.0912345678, "longitude": -71.3012345678,
    }, content_type=JSON, headers=bearer(person("administrator")))

    assert answer.status_code == 201
    assert (answer.json()["latitude"], answer.json()["longitude"]) == (46.091235, -71.301235)


def test_a_patch_may_leave_out_a_needed_field_but_not_send_it_as_null(client, document, person, bearer, stock):
    stated = body_schema(document, "BuildingPatch")

    answer = client.patch(f"/api/v1/buildings/{stock.pins.pk}", {"version": stock.pins.version, "tenure": None},
                          content_type=JSON, headers=bearer(person("administrator")))

    assert stated["properties"]["tenure"] == {"allOf": [{"$ref": "#/components/schemas/Tenure"}]}
    assert stated["required"] == ["version"]
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == ["tenure"]
