"""Households: formed around a person whose file the organization holds, members added and removed by that
organization, seen (with the members one may see) by whoever may see a member's housing; pages and API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import api_token_for
from tests.people.world import consent
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.people import selectors
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry, Household, Person


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def relative(world, first="Fiston"):
    return people.person_register(actor=world.office_worker, first_name=first, last_name="Tremblay-Test",
                                  building_id=world.building.pk)[0]


def test_a_household_is_formed_and_a_member_added_and_removed(world):
    son = relative(world)
    household = people.household_create(actor=world.office_worker, person_id=world.person.pk)
    assert (household.building_id, household.unit) == (world.building.pk, "101")
    people.household_add_member(actor=world.office_worker, household_id=household.pk, person_id=son.pk)
    found, _accesses = selectors.household_get(world.office_worker, household.pk)
    assert [p.pk for p in found.shown_members] == sorted([world.person.pk, son.pk],
                                                          key=lambda pk: Person.objects.get(pk=pk).first_name)
    people.household_remove_member(actor=world.office_worker, household_id=household.pk, person_id=son.pk)
    assert Person.objects.get(pk=son.pk).household_id is None
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="household.").order_by("id")] == [
        "household.create", "household.add_member", "household.remove_member"]


def test_a_partner_sees_the_members_whose_housing_a_consent_shares_and_no_others(world):
    son = relative(world)
    household = people.household_create(actor=world.office_worker, person_id=world.person.pk)
    people.household_add_member(actor=world.office_worker, household_id=household.pk, person_id=son.pk)
    with pytest.raises(NotFound):
        selectors.household_get(world.entraide_worker, household.pk)
    consent(world, receivers=[world.entraide], categories=["identity"])
    with pytest.raises(NotFound):  # identity alone does not share housing
        selectors.household_get(world.entraide_worker, household.pk)
    consent(world, receivers=[world.entraide], categories=["identity", "housing"])
    before = AccessLogEntry.objects.count()
    found, _a = selectors.household_get(world.entraide_worker, household.pk)
    assert [p.pk for p in found.shown_members] == [world.person.pk]  # not the son: no consent of his
    assert AccessLogEntry.objects.count() - before == 1
    with pytest.raises(PermissionRefused):  # only the file's holder changes a household
        people.household_remove_member(actor=world.entraide_worker, household_id=household.pk,
                                       person_id=world.person.pk)


@pytest.mark.parametrize("role", ["outsider_worker", "researcher", "coordinator", "admin_without_org"])
def test_others_get_not_found(world, role):
    household = people.household_create(actor=world.office_worker, person_id=world.person.pk)
    user = getattr(world, role)
    with pytest.raises(NotFound):
        selectors.household_get(user, household.pk)
    with pytest.raises(NotFound):
        people.household_add_member(actor=user, household_id=household.pk, person_id=world.person.pk)
    assert signed_in(world.outsider_worker).get(reverse("people:household", args=[household.pk])).status_code == 404


def test_bad_input_changes_nothing(world):
    household = people.household_create(actor=world.office_worker, person_id=world.person.pk)
    with pytest.raises(ValidationFailed):
        people.household_add_member(actor=world.office_worker, household_id=household.pk, person_id=world.person.pk)
    with pytest.raises(ValidationFailed):
        people.household_create(actor=world.office_worker, person_id=world.person.pk, unit="x" * 30)
    with pytest.raises(ValidationFailed):
        people.household_create(actor=world.office_worker, person_id=world.person.pk, building_id=10**9)
    assert Household.objects.count() == 1


def test_the_pages_create_add_and_show_it_from_the_persons_page(world):
    son = relative(world)
    client = signed_in(world.office_worker)
    answer = client.post(reverse("people:household_new") + f"?personne={world.person.pk}", {"unit": "101"})
    household = Household.objects.get()
    assert answer.status_code == 302
    assert client.get(reverse("people:household", args=[household.pk]), {"q": "Fiston"}).content.decode().count(
        "Fiston") >= 1
    assert client.post(reverse("people:household", args=[household.pk]), {"person": son.pk}).status_code == 302
    text = client.get(reverse("people:detail", args=[son.pk])).content.decode()
    assert f"Ménage #{household.pk}" in text
    text = client.get(reverse("people:households")).content.decode()
    assert "Fiston Tremblay-Test" in text and "Fictive Tremblay-Test" in text
    answer = client.post(reverse("people:household_remove", args=[household.pk]), {"person": son.pk})
    assert answer.status_code == 302 and Person.objects.get(pk=son.pk).household_id is None
    assert client.post(reverse("people:household", args=[household.pk]), {"person": "abc"}).status_code == 422


def test_the_households_list_answers_in_constant_queries(world, django_assert_num_queries):
    client = signed_in(world.office_worker)
    people.household_create(actor=world.office_worker, person_id=world.person.pk)
    with django_assert_num_queries(9) as first:
        client.get(reverse("people:households"))
    for i in range(5):
        people.household_create(actor=world.office_worker, person_id=relative(world, f"Autre{i}").pk)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("people:households")).status_code == 200


def test_the_api(world):
    son = relative(world)
    headers = {"Authorization": f"Bearer {api_token_for(world.office_worker)}"}
    outsider = {"Authorization": f"Bearer {api_token_for(world.outsider_worker)}"}
    client = Client()

    def post(path, body, h=headers):
        return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=h)

    answer = post("/households", {"person_id": world.person.pk})
    assert answer.status_code == 201, answer.content
    household_id = answer.json()["id"]
    answer = post(f"/households/{household_id}/members", {"person_id": son.pk})
    assert sorted(m["id"] for m in answer.json()["members"]) == sorted([world.person.pk, son.pk])
    listed = client.get("/api/v1/households?limit=5&offset=0", headers=headers).json()
    assert (listed["count"], listed["limit"], listed["offset"], [h["id"] for h in listed["items"]]) == (
        1, 5, 0, [household_id])
    assert client.get("/api/v1/households?offset=1", headers=headers).json()["items"] == []
    assert client.get("/api/v1/households?limit=0", headers=headers).status_code == 422
    assert client.get("/api/v1/households", headers=outsider).json()["count"] == 0
    assert client.get(f"/api/v1/households/{household_id}", headers=outsider).status_code == 404
    assert post(f"/households/{household_id}/members", {"person_id": son.pk}, outsider).status_code == 404
    assert post(f"/households/{household_id}/members", {"person_id": son.pk}).status_code == 422
    answer = post(f"/households/{household_id}/members/{son.pk}/remove", {})
    assert [m["id"] for m in answer.json()["members"]] == [world.person.pk]
