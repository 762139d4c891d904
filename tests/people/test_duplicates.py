"""Suspected duplicates and their merge: who sees which suspicion, the side-by-side page, the confirmation
step, a merge that keeps every record (files, consents, interventions, referrals, case reviews, the access
log read with the kept person), dismissal, refusals, and the API route."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import RoleFactory, UserFactory, api_token_for
from tests.people.world import consent, intervention, today
from toitcommun.access.models import AuditEvent, Role
from toitcommun.errors import NotFound, PermissionRefused
from toitcommun.people import privacy, selectors
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry, Consent, DuplicateSuspect, Person, PersonFile
from toitcommun.support import services as support
from toitcommun.support.models import CaseReviewItem, Intervention, Referral


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twin(world, actor=None):
    """The same tenant registered again (same name, same building)."""
    person, count = people.person_register(actor=actor or world.office_worker, first_name="Fictive",
                                           last_name="Tremblay-Test", building_id=world.building.pk)
    return person, count


def test_registering_the_same_tenant_twice_is_suspected_and_listed_for_the_organization(world):
    second, count = twin(world)
    assert count == 1
    page, accesses = selectors.duplicate_page(world.office_worker)
    assert [(d.person_id, d.other_id, d.reason) for d in page] == [(second.pk, world.person.pk, "name_building")]
    assert accesses[second.pk].own and accesses[world.person.pk].own


def test_another_organization_is_not_told_of_a_look_alike_it_may_not_see(world):
    theirs, count = twin(world, actor=world.outsider_worker)
    assert count == 0  # the office's tenant stays unknown to the outsider
    assert DuplicateSuspect.objects.filter(person=theirs, other=world.person).exists()  # kept for later
    assert list(selectors.duplicate_page(world.outsider_worker)[0]) == []
    assert list(selectors.duplicate_page(world.office_worker)[0]) == []  # the office may not name theirs either
    suspect = DuplicateSuspect.objects.get()
    client = signed_in(world.outsider_worker)
    assert client.get(reverse("people:duplicate", args=[suspect.pk])).status_code == 404
    assert client.get(reverse("people:duplicate_merge", args=[suspect.pk]),
                      {"garder": theirs.pk}).status_code == 404
    assert client.post(reverse("people:duplicate_dismiss", args=[suspect.pk])).status_code == 404
    with pytest.raises(NotFound):
        people.person_merge(actor=world.outsider_worker, keep_id=theirs.pk, merge_id=world.person.pk)
    assert DuplicateSuspect.objects.get().resolved_at is None


def test_a_partner_who_may_name_both_but_holds_neither_file_may_not_merge(world):
    second, _count = twin(world)
    consent(world)
    consent(world, person=second)
    with pytest.raises(PermissionRefused):
        people.person_merge(actor=world.entraide_worker, keep_id=world.person.pk, merge_id=second.pk)
    assert list(selectors.duplicate_page(world.entraide_worker)[0]) == []


def test_the_merge_keeps_every_record_and_the_access_log(world):
    second, _count = twin(world)
    given = consent(world, person=second)
    intervention(world, person=second, summary="Résumé du doublon")
    referral = support.referral_create(actor=world.office_worker, person_id=second.pk,
                                       service_id=world.entraide_service.pk, reason="Aide")
    review = support.case_review_create(actor=world.office_worker, held_on=today(), title="Comité",
                                        organization_ids=[world.entraide.pk], categories=[])
    support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=second.pk)
    selectors.person_get(world.entraide_worker, second.pk)  # a read of the duplicate, in the log
    officer = RoleFactory(user=UserFactory(username="rprp-test"), role=Role.PRIVACY_OFFICER,
                          organization=world.office).user

    kept = people.person_merge(actor=world.office_worker, keep_id=world.person.pk, merge_id=second.pk)

    assert kept.pk == world.person.pk
    assert Consent.objects.get(pk=given.pk).person_id == kept.pk
    assert Referral.objects.get(pk=referral.pk).person_id == kept.pk
    assert list(Intervention.objects.filter(persons=kept).values_list("summary", flat=True)) == ["Résumé du doublon"]
    assert CaseReviewItem.objects.get().person_id == kept.pk
    assert list(PersonFile.objects.filter(person=second)) == []
    assert Person.objects.get(pk=second.pk).merged_into_id == kept.pk
    with pytest.raises(NotFound):
        selectors.person_get(world.office_worker, second.pk)
    log = privacy.access_log_page(officer, person_id=kept.pk)
    assert any(e.person_id == second.pk and e.record_type == "person" for e in log)
    event = AuditEvent.objects.get(action="person.merge")
    assert event.after["merged_person_id"] == second.pk and event.after["consents"] == 1
    assert DuplicateSuspect.objects.get().resolved_at is not None


def test_the_merge_page_flow_side_by_side_confirm_merge(world):
    second, _count = twin(world)
    suspect = DuplicateSuspect.objects.get()
    client = signed_in(world.office_worker)
    text = client.get(reverse("people:duplicates")).content.decode()
    assert "Tremblay-Test" in text and "même nom et même immeuble" in text
    before = AccessLogEntry.objects.count()
    text = client.get(reverse("people:duplicate", args=[suspect.pk])).content.decode()
    assert f"#{second.pk}" in text and f"#{world.person.pk}" in text and "418 555-0101" in text
    assert AccessLogEntry.objects.count() - before == 2
    confirm = client.get(reverse("people:duplicate_merge", args=[suspect.pk]), {"garder": world.person.pk})
    assert confirm.status_code == 200 and "sera fusionnée" in confirm.content.decode()
    assert Person.objects.get(pk=second.pk).merged_into_id is None  # nothing yet: a confirmation step
    answer = client.post(reverse("people:duplicate_merge", args=[suspect.pk]), {"garder": world.person.pk})
    assert answer.status_code == 302 and answer["Location"] == reverse("people:detail", args=[world.person.pk])
    assert Person.objects.get(pk=second.pk).merged_into_id == world.person.pk


def test_a_kept_person_outside_the_pair_is_not_found(world):
    twin(world)
    suspect = DuplicateSuspect.objects.get()
    client = signed_in(world.office_worker)
    assert client.get(reverse("people:duplicate_merge", args=[suspect.pk]), {"garder": "abc"}).status_code == 404
    assert client.post(reverse("people:duplicate_merge", args=[suspect.pk]), {"garder": 10**9}).status_code == 404


def test_dismissing_closes_the_suspicion(world):
    twin(world)
    suspect = DuplicateSuspect.objects.get()
    answer = signed_in(world.office_worker).post(reverse("people:duplicate_dismiss", args=[suspect.pk]))
    assert answer.status_code == 302
    assert DuplicateSuspect.objects.get().resolved_at is not None
    assert list(selectors.duplicate_page(world.office_worker)[0]) == []
    assert AuditEvent.objects.filter(action="duplicate.dismiss").count() == 1


def test_the_duplicates_page_answers_in_constant_queries(world, django_assert_num_queries):
    client = signed_in(world.office_worker)
    twin(world)
    with django_assert_num_queries(8) as first:
        client.get(reverse("people:duplicates"))
    for i in range(6):
        people.person_register(actor=world.office_worker, first_name=f"Autre{i}", last_name="Double-Test",
                               phone="418 555-0177")
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("people:duplicates")).status_code == 200


def test_the_api_merges_and_refuses(world):
    second, _count = twin(world)
    theirs, _count = twin(world, actor=world.outsider_worker)

    def post(user, path, body):
        return Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json",
                             headers={"Authorization": f"Bearer {api_token_for(user)}"})

    assert post(world.office_worker, f"/people/{world.person.pk}/merge", {"merge_id": theirs.pk}).status_code == 404
    assert post(world.office_worker, f"/people/{world.person.pk}/merge",
                {"merge_id": world.person.pk}).status_code == 422
    answer = post(world.office_worker, f"/people/{world.person.pk}/merge", {"merge_id": second.pk})
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == world.person.pk
    assert Person.objects.get(pk=second.pk).merged_into_id == world.person.pk
    assert post(world.office_worker, f"/people/{world.person.pk}/merge", {"merge_id": second.pk}).status_code == 404
