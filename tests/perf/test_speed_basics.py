"""The constant endpoint, the OpenAPI document built once, persistent database connections."""

from __future__ import annotations

import pytest
from django.conf import settings

from toitcommun.api import api


@pytest.mark.django_db
def test_ping_is_a_constant_answer(client):
    answer = client.get("/api/v1/ping")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


@pytest.mark.django_db
def test_openapi_document_is_built_once_and_served_from_memory(client, monkeypatch):
    first = client.get("/api/v1/openapi.json").json()
    built = []
    parent = type(api).__mro__[1]
    original = parent.get_openapi_schema

    def counting(self, **kwargs):
        built.append(kwargs)
        return original(self, **kwargs)

    monkeypatch.setattr(parent, "get_openapi_schema", counting)
    second = client.get("/api/v1/openapi.json").json()
    assert second == first
    assert built == []  # the second answer did not rebuild it
    assert "/api/v1/ping" in first["paths"]


def test_database_connections_are_kept_and_checked():
    db = settings.DATABASES["default"]
    assert db["CONN_HEALTH_CHECKS"] is True
    assert isinstance(db["CONN_MAX_AGE"], int)
