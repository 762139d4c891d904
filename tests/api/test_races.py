"""Simultaneous writes end in a replacement or a conflict, never in a server error.

The threaded tests need PostgreSQL: SQLite lets one writer at a time and its in-memory
test database cannot be shared by threads, so nothing can race there.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from toitcommun.access.models import AuditEvent
from toitcommun.housing.models import AvailabilitySnapshot
from toitcommun.organizations import services as organization_services
from toitcommun.organizations.models import Organization

SIMULTANEOUS = 12


@pytest.fixture
def postgres_only(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Race tests need PostgreSQL: SQLite runs one writer at a time, nothing can race there.")


def all_at_once(act: Callable[[int], Any], n: int = SIMULTANEOUS) -> list[Any]:
    """Run ``act(0)`` … ``act(n-1)`` in n threads released together; each thread has its own connection."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = act(i)
        except Exception as error:  # the test reads it as a result
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_twelve_simultaneous_reports_for_one_building_clientele_and_date_all_succeed(
    postgres_only, stock, omh, person, bearer
):
    users = [person("worker", organization=omh, username=f"technicien-{i}") for i in range(SIMULTANEOUS)]
    headers = [bearer(u) for u in users]
    url = f"/api/v1/buildings/{stock.pins.pk}/availability"

    def report(i: int) -> tuple[int, Any]:
        answer = Client().post(url, {"clientele": "seniors", "as_of": "2024-07-01", "vacant_units": i % 5,
                                     "waiting_list": 20 + i}, content_type="application/json", headers=headers[i])
        return answer.status_code, answer.json()

    results = all_at_once(report)

    assert [r[0] for r in results] == [201] * SIMULTANEOUS
    [stored] = AvailabilitySnapshot.objects.filter(building=stock.pins, clientele="seniors", as_of="2024-07-01")
    assert AuditEvent.objects.filter(action="availability.report").count() == SIMULTANEOUS
    # The last report to take the lock is the one kept, and every answer said what it stored.
    assert (stored.vacant_units, stored.waiting_list) in {(r[1]["vacant_units"], r[1]["waiting_list"]) for r in results}


def test_twelve_simultaneous_renames_to_one_name_leave_one_winner_and_no_server_error(
    postgres_only, omh, person, bearer
):
    admin = person("administrator", username="admin-race")
    header = bearer(admin)
    organizations = [
        Organization.objects.create(name=f"Organisme {i}", name_key=Organization.key_for(f"Organisme {i}"),
                                    kind="community_organization", municipality=omh.municipality)
        for i in range(SIMULTANEOUS)
    ]

    def rename(i: int) -> tuple[int, Any]:
        answer = Client().patch(f"/api/v1/organizations/{organizations[i].pk}",
                                {"version": 1, "name": "Entraide des Appalaches"},
                                content_type="application/json", headers=header)
        return answer.status_code, answer.json()

    results = all_at_once(rename)

    statuses = Counter(r[0] for r in results)
    assert statuses[200] == 1
    assert set(statuses) <= {200, 409, 422}  # 422 when the winner had committed before the check
    assert Organization.objects.filter(name="Entraide des Appalaches").count() == 1
    for status, body in results:
        if status == 409:
            assert body["detail"] == "Une organisation porte déjà ce nom."
            assert body["errors"] == [{"field": "name", "message": "Une organisation porte déjà ce nom."}]
            assert body["version"] == 1


def test_a_rename_that_loses_the_race_after_the_check_is_409_with_the_stored_record(
    client, omh, coop, person, bearer, monkeypatch
):
    # The check said the name was free; the other organization took it before the write.
    monkeypatch.setattr(organization_services, "_name_taken", lambda *args, **kwargs: False)

    answer = client.patch(f"/api/v1/organizations/{coop.pk}", {"version": 1, "name": omh.name},
                          content_type="application/json", headers=bearer(person("administrator")))

    assert answer.status_code == 409
    body = answer.json()
    assert body["detail"] == "Une organisation porte déjà ce nom."
    assert body["errors"] == [{"field": "name", "message": "Une organisation porte déjà ce nom."}]
    assert (body["current"]["name"], body["version"]) == ("Coopérative d'habitation des Deux Rives", 1)
    coop.refresh_from_db()
    assert (coop.name, coop.version) == ("Coopérative d'habitation des Deux Rives", 1)


def test_a_creation_that_loses_the_race_after_the_check_is_409(client, omh, person, bearer, monkeypatch):
    monkeypatch.setattr(organization_services, "_name_taken", lambda *args, **kwargs: False)

    answer = client.post("/api/v1/organizations", {"name": omh.name.upper(), "kind": "housing_office",
                                                   "municipality_code": "31084"},
                         content_type="application/json", headers=bearer(person("administrator")))

    assert answer.status_code == 409
    assert answer.json() == {"detail": "Une organisation porte déjà ce nom.",
                             "errors": [{"field": "name", "message": "Une organisation porte déjà ce nom."}]}
    assert Organization.objects.count() == 1


def test_the_openapi_document_names_the_conflict_of_reports_and_creations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path, method in [("/api/v1/buildings/{building_id}/availability", "post"),
                         ("/api/v1/organizations", "post")]:
        assert "409" in paths[path][method]["responses"], path
