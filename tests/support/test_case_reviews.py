"""The working committee's case review: who sees it, the consent rule when a person is added and again at
each read, the notes, the access log (one row per person shown), pages and API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import api_token_for
from tests.people.world import consent, today
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry
from toitcommun.support import selectors
from toitcommun.support import services as support
from toitcommun.support.models import CaseReview, CaseReviewItem, CaseReviewNote


def convene(world, *, categories=("interventions",), organizations=None, actor=None):
    return support.case_review_create(
        actor=actor or world.office_worker, held_on=today(), title="Comité de travail fictif",
        organization_ids=[o.pk for o in (organizations or [world.entraide, world.cisss])], categories=list(categories))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(world, n: int):
    return [people.person_register(actor=world.office_worker, first_name=f"Fictif{i}", last_name="Revue-Test")[0]
            for i in range(n)]


def review_log_rows(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=before, record_type="case_review_item"))


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# ---- the service and the selector ----------------------------------------------------------------


def test_a_review_always_discusses_identity_and_names_its_convener(world):
    review = convene(world)
    assert review.categories == ["identity", "interventions"]
    assert {o.pk for o in review.organizations.all()} == {world.office.pk, world.entraide.pk, world.cisss.pk}
    assert review.convening_organization_id == world.office.pk
    assert AuditEvent.objects.filter(action="case_review.create").count() == 1


def test_a_person_with_consent_is_added_and_every_organization_present_sees_them(world):
    consent(world)
    review = convene(world)
    support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    for user in (world.office_worker, world.entraide_worker, world.cisss_worker):
        _review, items = selectors.case_review_get(user, review.pk)
        assert [(v.named, v.in_force, v.person.last_name) for v in items] == [(True, True, "Tremblay-Test")]


@pytest.mark.parametrize("role", ["outsider_worker", "researcher", "coordinator", "admin_without_org", "nobody"])
def test_an_organization_not_present_gets_not_found(world, role):
    consent(world)
    review = convene(world)
    support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    user = getattr(world, role)
    with pytest.raises(NotFound):
        selectors.case_review_get(user, review.pk)
    assert selectors.case_reviews_visible_to(user).count() == 0
    with pytest.raises(NotFound):
        support.case_review_add_person(actor=user, review_id=review.pk, person_id=world.person.pk)


def test_consent_missing_a_category_is_refused_naming_the_organization_and_the_category(world):
    consent(world, categories=["identity", "interventions"])
    review = convene(world, categories=["interventions", "notes"])
    with pytest.raises(ValidationFailed) as refusal:
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    assert refusal.value.errors["person_id"] == [
        "Aucun consentement en vigueur de cette personne ne nomme Entraide Fictive (test) pour : notes.",
        "Aucun consentement en vigueur de cette personne ne nomme CISSS Imaginaire (test) pour : notes."]
    assert not CaseReviewItem.objects.exists()


def test_a_consent_naming_one_organization_present_is_not_enough(world):
    consent(world, receivers=[world.entraide])
    review = convene(world)
    with pytest.raises(ValidationFailed) as refusal:
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    assert refusal.value.errors["person_id"] == [
        "Aucun consentement en vigueur de cette personne ne nomme CISSS Imaginaire (test) pour : "
        "identité et coordonnées, résumés d'intervention."]


def test_without_any_consent_the_person_is_refused_and_another_organizations_person_is_not_found(world):
    review = convene(world)
    with pytest.raises(ValidationFailed):
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    with pytest.raises(NotFound):  # the partner may not name the office's tenant
        support.case_review_add_person(actor=world.entraide_worker, review_id=review.pk, person_id=world.person.pk)


def test_the_same_person_twice_is_refused(world):
    consent(world)
    review = convene(world)
    support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    with pytest.raises(ValidationFailed):
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)


def test_revocation_withdraws_the_person_from_what_others_see_at_the_next_request(world):
    given = consent(world)
    review = convene(world)
    item = support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    support.case_review_note_write(actor=world.entraide_worker, review_id=review.pk, item_id=item.pk,
                                   text="Note du partenaire")
    support.case_review_note_write(actor=world.office_worker, review_id=review.pk, item_id=item.pk,
                                   text="Note de l'office")
    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")
    _r, [partner] = selectors.case_review_get(world.cisss_worker, review.pk)
    assert (partner.named, partner.in_force, partner.person, partner.notes) == (False, False, None, [])
    _r, [writer] = selectors.case_review_get(world.entraide_worker, review.pk)
    assert (writer.named, writer.person, writer.notes) == (False, None, [])
    # The office holds the file: it still sees whom, marked withdrawn, with its own notes only.
    _r, [holder] = selectors.case_review_get(world.office_worker, review.pk)
    assert (holder.named, holder.in_force, [n.text for n in holder.notes]) == (True, False, ["Note de l'office"])
    with pytest.raises(ValidationFailed):
        support.case_review_note_write(actor=world.cisss_worker, review_id=review.pk, item_id=item.pk, text="Encore")


def test_expiry_withdraws_the_person_with_no_job_to_run(world):
    consent(world, starts_on=today() - datetime.timedelta(days=10), ends_on=today() + datetime.timedelta(days=5))
    review = convene(world)
    support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    later = timezone.now() + datetime.timedelta(days=6)
    _r, [view] = selectors.case_review_get(world.entraide_worker, review.pk, moment=later)
    assert (view.named, view.in_force) == (False, False)


def test_the_access_log_has_one_row_per_person_shown(world):
    persons = register(world, 3)
    consents = [consent(world, person=p) for p in persons]
    review = convene(world)
    for p in persons:
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=p.pk)
    before = last_log_id()
    selectors.case_review_get(world.entraide_worker, review.pk)
    rows = review_log_rows(before)
    assert sorted(r.person_id for r in rows) == sorted(p.pk for p in persons)
    assert {(r.basis, r.categories, r.organization_id) for r in rows} == {
        ("consent", "identity,interventions", world.entraide.pk)}
    assert {r.consent_id for r in rows} == {c.pk for c in consents}
    people.consent_revoke(actor=world.office_worker, consent_id=consents[0].pk, method="written")
    before = last_log_id()
    selectors.case_review_get(world.entraide_worker, review.pk)
    assert sorted(r.person_id for r in review_log_rows(before)) == sorted(p.pk for p in persons[1:])


def test_notes_are_seen_by_the_organizations_present_only(world):
    consent(world)
    review = convene(world, organizations=[world.entraide])
    item = support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    note = support.case_review_note_write(actor=world.entraide_worker, review_id=review.pk, item_id=item.pk,
                                          text="Suivi concerté fictif")
    assert note.organization_id == world.entraide.pk
    _r, [view] = selectors.case_review_get(world.office_worker, review.pk)
    assert [n.text for n in view.notes] == ["Suivi concerté fictif"]
    with pytest.raises(NotFound):  # the CISSS is named by the consent but not present
        selectors.case_review_get(world.cisss_worker, review.pk)
    with pytest.raises(NotFound):
        support.case_review_note_write(actor=world.cisss_worker, review_id=review.pk, item_id=item.pk, text="x")


@pytest.mark.parametrize(("fields", "error"), [
    ({"organization_ids": []}, "organization_ids"),
    ({"title": "  "}, "title"),
    ({"held_on": "hier"}, "held_on"),
    ({"categories": ["santé"]}, "categories"),
    ({"organization_ids": [10**9]}, "organization_ids"),
])
def test_bad_input_to_convene_changes_nothing(world, fields, error):
    data = {"held_on": today(), "title": "Comité", "organization_ids": [world.entraide.pk],
            "categories": ["interventions"]} | fields
    with pytest.raises(ValidationFailed) as refusal:
        support.case_review_create(actor=world.office_worker, **data)
    assert error in refusal.value.errors
    assert not CaseReview.objects.exists()


def test_an_empty_note_is_refused(world):
    consent(world)
    review = convene(world)
    item = support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    with pytest.raises(ValidationFailed):
        support.case_review_note_write(actor=world.office_worker, review_id=review.pk, item_id=item.pk, text=" ")
    assert not CaseReviewNote.objects.exists()


# ---- pages ---------------------------------------------------------------------------------------


def test_pages_convene_add_a_person_and_write_notes(world):
    consent(world)
    client = signed_in(world.office_worker)
    answer = client.post(reverse("support:review_create"), {
        "held_on": today().isoformat(), "title": "Comité de travail fictif",
        "organizations": [world.entraide.pk, world.cisss.pk], "categories": ["interventions"]})
    review = CaseReview.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("support:review", args=[review.pk])
    text = client.get(reverse("support:review_add_person", args=[review.pk]), {"q": "Tremblay"}).content.decode()
    assert "Tremblay-Test" in text
    answer = client.post(reverse("support:review_add_person", args=[review.pk]), {"person": world.person.pk})
    assert answer.status_code == 302
    item = CaseReviewItem.objects.get()
    answer = client.post(reverse("support:review_note", args=[review.pk, item.pk]), {"text": "Note fictive"})
    assert answer.status_code == 302
    text = signed_in(world.cisss_worker).get(reverse("support:review", args=[review.pk])).content.decode()
    assert "Tremblay-Test" in text and "Note fictive" in text
    assert "Comité de travail fictif" in signed_in(world.entraide_worker).get(reverse("support:reviews")).content.decode()


def test_the_add_page_says_in_plain_french_which_organization_lacks_consent(world):
    consent(world, receivers=[world.entraide])
    review = convene(world)
    answer = signed_in(world.office_worker).post(reverse("support:review_add_person", args=[review.pk]),
                                                 {"person": world.person.pk, "q": "Tremblay"})
    text = answer.content.decode()
    assert answer.status_code == 422
    assert "ne nomme CISSS Imaginaire (test) pour : identité et coordonnées, résumés d&#x27;intervention." in text
    assert 'value="Tremblay"' in text


def test_pages_answer_404_to_an_organization_not_present(world):
    consent(world)
    review = convene(world)
    item = support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=world.person.pk)
    client = signed_in(world.outsider_worker)
    assert client.get(reverse("support:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("support:review_add_person", args=[review.pk])).status_code == 404
    assert client.post(reverse("support:review_note", args=[review.pk, item.pk]), {"text": "x"}).status_code == 404
    assert "Comité de travail fictif" not in client.get(reverse("support:reviews")).content.decode()


def test_the_create_form_keeps_what_was_typed(world):
    answer = signed_in(world.office_worker).post(reverse("support:review_create"), {
        "held_on": "pas une date", "title": "Comité gardé", "categories": ["notes"]})
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Comité gardé" in text and "Nommez au moins une autre organisation présente." in text
    assert not CaseReview.objects.exists()


def test_the_review_list_answers_in_constant_queries(world, django_assert_num_queries):
    client = signed_in(world.entraide_worker)
    convene(world)
    with django_assert_num_queries(6) as first:
        client.get(reverse("support:reviews"))
    for _i in range(25):
        convene(world)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("support:reviews")).status_code == 200


def test_the_review_page_answers_in_constant_queries(world, django_assert_num_queries):
    review = convene(world)
    client = signed_in(world.entraide_worker)
    for p in register(world, 2):
        consent(world, person=p)
        support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=p.pk)
    with django_assert_num_queries(12) as first:
        client.get(reverse("support:review", args=[review.pk]))
    for p in register(world, 6):
        consent(world, person=p)
        item = support.case_review_add_person(actor=world.office_worker, review_id=review.pk, person_id=p.pk)
        support.case_review_note_write(actor=world.cisss_worker, review_id=review.pk, item_id=item.pk, text="N")
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("support:review", args=[review.pk])).status_code == 200


# ---- API ------------------------------------------------------------------------------------------


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {api_token_for(user)}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json",
                                headers=self.headers)


def test_the_api_story(world):
    given = consent(world)
    office, partner, outsider = Api(world.office_worker), Api(world.entraide_worker), Api(world.outsider_worker)
    answer = office.post("/case-reviews", {"held_on": today().isoformat(), "title": "Comité API",
                                           "organization_ids": [world.entraide.pk, world.cisss.pk],
                                           "categories": ["interventions"]})
    assert answer.status_code == 201, answer.content
    review_id = answer.json()["id"]
    assert answer.json()["categories"] == ["identity", "interventions"]
    answer = office.post(f"/case-reviews/{review_id}/items", {"person_id": world.person.pk})
    assert answer.status_code == 201, answer.content
    item_id = answer.json()["id"]
    assert answer.json()["last_name"] == "Tremblay-Test"
    assert partner.post(f"/case-reviews/{review_id}/items/{item_id}/notes", {"text": "Vu"}).status_code == 201
    listed = partner.get("/case-reviews").json()
    assert listed["count"] == 1 and listed["items"][0]["item_count"] == 1
    detail = partner.get(f"/case-reviews/{review_id}").json()
    assert [(i["person_id"], [n["text"] for n in i["notes"]]) for i in detail["items"]] == [
        (world.person.pk, ["Vu"])]
    assert outsider.get(f"/case-reviews/{review_id}").status_code == 404
    assert outsider.get("/case-reviews").json()["count"] == 0
    assert outsider.post(f"/case-reviews/{review_id}/items", {"person_id": world.person.pk}).status_code == 404

    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")
    detail = partner.get(f"/case-reviews/{review_id}").json()
    assert detail["items"] == [{"id": item_id, "in_force": False, "notes": []}]


def test_the_api_refuses_a_person_without_consent_with_422(world):
    consent(world, categories=["identity"])
    office = Api(world.office_worker)
    review = convene(world)
    answer = office.post(f"/case-reviews/{review.pk}/items", {"person_id": world.person.pk})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == ["person_id", "person_id"]
    assert "résumés d'intervention" in answer.json()["detail"][0]["message"]
    assert office.post("/case-reviews", {"held_on": "x", "title": "", "organization_ids": []}).status_code == 422
