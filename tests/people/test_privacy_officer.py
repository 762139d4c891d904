"""The privacy officer reads the access log of her organization's data, and her reading is logged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import RoleFactory, UserFactory, api_token_for
from tests.people.world import consent
from toitcommun.access.models import Role
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.people import selectors
from toitcommun.people.models import AccessLogEntry
from toitcommun.people.privacy import access_log_page, access_log_slice

pytestmark = pytest.mark.django_db


def officer_of(organization: Any, username: str = "rprp-test") -> Any:
    return RoleFactory(user=UserFactory(username=username), role=Role.PRIVACY_OFFICER,
                       organization=organization).user


def test_the_officer_sees_who_read_her_organizations_file_and_her_reading_is_logged(world):
    officer = officer_of(world.office)
    given = consent(world)
    selectors.person_get(world.entraide_worker, world.person.pk)  # a partner reads under the consent
    selectors.person_get(world.office_worker, world.person.pk)    # a colleague reads the own file
    before = AccessLogEntry.objects.count()
    page = access_log_page(officer, person_id=world.person.pk)
    readers = {(e.user_id, e.basis, e.consent_id) for e in page.object_list}
    assert (world.entraide_worker.pk, "consent", given.pk) in readers
    assert (world.office_worker.pk, "own_organization", None) in readers
    assert AccessLogEntry.objects.count() == before + 1
    reading = AccessLogEntry.objects.order_by("-id").first()
    assert (reading.user_id, reading.record_type, reading.action, reading.outcome) == (
        officer.pk, "access_log", "list", "allowed")
    # Her own reading is not shown back to her as a read of the tenant's file.
    assert all(e.record_type != "access_log" for e in access_log_page(officer).object_list)


@pytest.mark.parametrize("who", ["office_worker", "office_staff", "admin_without_org", "admin_of_office",
                                 "researcher", "coordinator", "entraide_worker", "nobody"])
def test_nobody_else_reads_the_access_log(world, who):
    with pytest.raises(PermissionRefused):
        access_log_page(getattr(world, who))
    with pytest.raises(NotFound):
        access_log_slice(getattr(world, who), person_id=world.person.pk)


def test_another_organizations_officer_gets_not_found_for_a_person_it_holds_no_file_on(world):
    officer = officer_of(world.outsider)
    before = AccessLogEntry.objects.count()
    with pytest.raises(NotFound):
        access_log_page(officer, person_id=world.person.pk)
    with pytest.raises(NotFound):
        access_log_page(officer, person_id=987654)
    assert set(AccessLogEntry.objects.order_by("-id")[:2].values_list("outcome", flat=True)) == {"not_found"}
    assert AccessLogEntry.objects.count() == before + 2
    assert access_log_page(officer).paginator.count == 0


def test_a_period_ending_before_it_starts_is_refused(world):
    import datetime

    with pytest.raises(ValidationFailed):
        access_log_page(officer_of(world.office), since=datetime.date(2026, 5, 1), until=datetime.date(2026, 4, 1))


def test_the_page_lists_filters_and_refuses_bad_input_in_french(world, client, django_assert_max_num_queries):
    officer = officer_of(world.office)
    selectors.person_get(world.office_worker, world.person.pk)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        answer = client.get("/personnes/journal-des-acces/", {"personne": world.person.pk})
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Journal des accès" in text and f"#{world.person.pk}" in text
    assert "Tremblay-Test" not in text and "555-0101" not in text  # ids, never names
    bad = client.get("/personnes/journal-des-acces/", {"personne": "abc", "du": "2026-13-45"})
    assert bad.status_code == 400
    assert "date illisible" in bad.content.decode() and "numéro de dossier" in bad.content.decode()
    assert client.get("/personnes/journal-des-acces/", {"personne": 987654}).status_code == 404
    client.force_login(world.office_worker)
    assert client.get("/personnes/journal-des-acces/").status_code == 403


def test_the_page_of_twenty_lines_answers_in_constant_queries(world, client, django_assert_max_num_queries):
    officer = officer_of(world.office)
    for _ in range(30):
        selectors.person_get(world.office_worker, world.person.pk)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get("/personnes/journal-des-acces/").status_code == 200


def test_the_api_answers_the_officer_and_404_to_everyone_else(world, client):
    officer = officer_of(world.office)
    selectors.person_get(world.office_worker, world.person.pk)
    answer = client.get(f"/api/v1/access-log?person={world.person.pk}",
                        HTTP_AUTHORIZATION=f"Bearer {api_token_for(officer)}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] >= 1 and body["items"][0]["person_id"] == world.person.pk
    assert all(set(item) >= {"at", "user_id", "action", "basis", "outcome", "categories"} for item in body["items"])
    assert "Tremblay-Test" not in answer.content.decode()
    for other in (world.office_worker, world.admin_without_org, officer_of(world.outsider, "rprp-ailleurs")):
        refused = client.get(f"/api/v1/access-log?person={world.person.pk}",
                             HTTP_AUTHORIZATION=f"Bearer {api_token_for(other)}")
        assert refused.status_code == 404
    assert client.get("/api/v1/access-log?person=0",
                      HTTP_AUTHORIZATION=f"Bearer {api_token_for(officer)}").status_code == 422
    assert client.get(f"/api/v1/access-log?person={world.person.pk}").status_code == 401
