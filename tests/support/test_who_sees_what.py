"""Who sees what: every role × record kind × read and write, with consent, without, after revocation,
after expiry. The issue's cases are here by name."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.people.world import consent, intervention, today
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.people import selectors
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry, Consent, DuplicateSuspect, Person
from toitcommun.support import selectors as support_selectors
from toitcommun.support import services as support
from toitcommun.support.models import Intervention, Referral, ReferralState

NO_PERSONAL_ROLES = ["researcher", "coordinator", "nobody", "admin_without_org", "outsider_worker"]


def sees_person(user, person) -> bool:
    try:
        selectors.person_get(user, person.pk)
    except NotFound:
        return False
    return True


def summaries_seen(user, person) -> list[str | None]:
    _p, _a, views, _n = support_selectors.interventions_of(user, person.pk)
    return [v.summary for v in views]


# ---- the person record ------------------------------------------------------------------------


def test_the_registering_organization_sees_its_tenant_and_no_one_else_does_without_consent(world):
    assert sees_person(world.office_worker, world.person)
    assert sees_person(world.office_staff, world.person)
    assert sees_person(world.admin_of_office, world.person)
    for name in [*NO_PERSONAL_ROLES, "entraide_worker", "cisss_worker"]:
        assert not sees_person(getattr(world, name), world.person), name


@pytest.mark.parametrize("role", NO_PERSONAL_ROLES)
def test_roles_without_a_file_or_consent_see_nothing_personal_even_with_a_consent_elsewhere(world, role):
    consent(world)
    user = getattr(world, role)
    assert not sees_person(user, world.person)
    assert list(selectors.persons_visible_to(user)) == []
    with pytest.raises(NotFound):
        support_selectors.interventions_of(user, world.person.pk)


def test_a_consent_shares_exactly_its_categories_with_the_organizations_it_names(world):
    consent(world, receivers=[world.entraide], categories=["identity"])
    _person, access = selectors.person_get(world.entraide_worker, world.person.pk)
    assert access.categories == {"identity"}
    assert not sees_person(world.cisss_worker, world.person)


def test_a_consent_naming_organization_a_gives_organization_b_nothing(world):
    consent(world, receivers=[world.entraide])
    intervention(world)
    assert not sees_person(world.cisss_worker, world.person)
    assert list(selectors.persons_visible_to(world.cisss_worker)) == []
    with pytest.raises(NotFound):
        support_selectors.interventions_of(world.cisss_worker, world.person.pk)


def test_consent_for_notes_does_not_expose_summaries(world):
    consent(world, categories=["identity", "notes"])
    intervention(world, summary="Résumé A", notes="Note A")
    _p, _a, views, _n = support_selectors.interventions_of(world.entraide_worker, world.person.pk)
    assert [(v.summary, v.notes) for v in views] == [(None, "Note A")]


def test_consent_for_summaries_does_not_expose_notes(world):
    consent(world)
    intervention(world, summary="Résumé A", notes="Note A")
    _p, _a, views, _n = support_selectors.interventions_of(world.entraide_worker, world.person.pk)
    assert [(v.summary, v.notes) for v in views] == [("Résumé A", None)]


def test_the_writing_organization_sees_its_summaries_and_notes(world):
    intervention(world, summary="Résumé A", notes="Note A")
    _p, _a, views, _n = support_selectors.interventions_of(world.office_worker, world.person.pk)
    assert [(v.summary, v.notes) for v in views] == [("Résumé A", "Note A")]


def test_an_administrator_reads_notes_only_of_their_own_organization(world):
    intervention(world, notes="Note A")
    assert not sees_person(world.admin_without_org, world.person)
    _p, _a, views, _n = support_selectors.interventions_of(world.admin_of_office, world.person.pk)
    assert [v.notes for v in views] == ["Note A"]


def test_after_revocation_at_t_the_partners_request_at_t_plus_1_answers_404_and_leaves_lists_and_search(world):
    given = consent(world)
    intervention(world, summary="Résumé A")
    assert sees_person(world.entraide_worker, world.person)
    assert summaries_seen(world.entraide_worker, world.person) == ["Résumé A"]
    rows, total = selectors.person_search(world.entraide_worker, q="tremblay")
    assert total == 1

    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")

    assert not sees_person(world.entraide_worker, world.person)
    with pytest.raises(NotFound):
        support_selectors.interventions_of(world.entraide_worker, world.person.pk)
    assert selectors.person_search(world.entraide_worker, q="tremblay") == ([], 0)
    assert selectors.person_search(world.entraide_worker) == ([], 0)
    # The registering organization still sees its own file.
    assert sees_person(world.office_worker, world.person)


def test_after_expiry_the_partner_sees_nothing_with_no_job_run(world):
    start = today() - datetime.timedelta(days=100)
    consent(world, starts_on=start, ends_on=today() - datetime.timedelta(days=1))
    assert not sees_person(world.entraide_worker, world.person)
    assert selectors.person_search(world.entraide_worker) == ([], 0)


def test_a_consent_ending_today_still_stands_today(world):
    consent(world, starts_on=today() - datetime.timedelta(days=30), ends_on=today())
    assert sees_person(world.entraide_worker, world.person)


def test_a_consent_starting_tomorrow_gives_nothing_yet(world):
    consent(world, starts_on=today() + datetime.timedelta(days=1), ends_on=today() + datetime.timedelta(days=30))
    assert not sees_person(world.entraide_worker, world.person)


def test_a_merged_person_answers_not_found(world):
    twin, duplicates = people.person_register(actor=world.office_worker, first_name="Fictive",
                                              last_name="Tremblay-Test", building_id=world.building.pk)
    assert duplicates == 1
    intervention(world, person=twin, summary="Sur le doublon")
    people.person_merge(actor=world.office_worker, keep_id=world.person.pk, merge_id=twin.pk)
    assert not sees_person(world.office_worker, twin)
    assert summaries_seen(world.office_worker, world.person) == ["Sur le doublon"]


# ---- the access log ---------------------------------------------------------------------------


def test_one_page_view_writes_exactly_one_access_log_row_carrying_its_consent(world):
    given = consent(world)
    before = AccessLogEntry.objects.count()
    selectors.person_get(world.entraide_worker, world.person.pk)
    assert AccessLogEntry.objects.count() == before + 1
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.user_id, row.organization_id, row.person_id, row.record_type, row.action, row.basis,
            row.consent_id, row.outcome) == (world.entraide_worker.pk, world.entraide.pk, world.person.pk, "person",
                                            "view", "consent", given.pk, "allowed")
    assert row.categories == "identity,housing,interventions,referrals"


def test_a_list_of_20_writes_20(world):
    for n in range(24):
        people.person_register(actor=world.office_worker, first_name=f"Fictif{n}", last_name="Testeur")
    before = AccessLogEntry.objects.count()
    rows, total = selectors.person_search(world.office_worker)
    assert (len(rows), total) == (20, 25)
    assert AccessLogEntry.objects.count() == before + 20
    assert set(AccessLogEntry.objects.order_by("-id")[:20].values_list("action", "basis", "outcome")) == {
        ("list", "own_organization", "allowed")}


def test_a_refused_read_is_logged_as_denied_and_a_missing_one_as_not_found(world):
    with pytest.raises(NotFound):
        selectors.person_get(world.cisss_worker, world.person.pk)
    with pytest.raises(NotFound):
        selectors.person_get(world.cisss_worker, 10**9)
    outcomes = list(AccessLogEntry.objects.order_by("-id")[:2].values_list("record_id", "outcome"))
    assert outcomes == [(10**9, "not_found"), (world.person.pk, "denied")]


def test_the_access_log_holds_no_names_or_content(world):
    consent(world)
    intervention(world, summary="Résumé secret", notes="Note secrète")
    support_selectors.interventions_of(world.entraide_worker, world.person.pk)
    selectors.person_search(world.entraide_worker, q="Tremblay")
    for row in AccessLogEntry.objects.values():
        text = " ".join(str(v) for v in row.values())
        assert "Tremblay" not in text and "secret" not in text


def test_audit_snapshots_carry_no_names_notes_or_witnesses(world):
    consent(world)
    intervention(world, summary="Résumé secret", notes="Note secrète")
    for event in AuditEvent.objects.filter(object_type__in=["people.person", "people.consent",
                                                            "support.intervention"]):
        text = f"{event.object_label} {event.before} {event.after}"
        assert "Tremblay" not in text and "secret" not in text and "Fictive" not in text and "555" not in text


# ---- writes -----------------------------------------------------------------------------------


def test_verbal_consent_without_a_witness_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        people.consent_record(actor=world.office_worker, person_id=world.person.pk,
                              receiving_organization_ids=[world.entraide.pk], categories=["identity"],
                              purpose="Suivi", given_by="person", method="verbal", starts_on=today(),
                              ends_on=today() + datetime.timedelta(days=30))
    assert "witness_name" in refused.value.errors
    assert not Consent.objects.exists()


def test_verbal_consent_witnessed_by_its_recorder_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        people.consent_record(actor=world.office_worker, person_id=world.person.pk,
                              receiving_organization_ids=[world.entraide.pk], categories=["identity"],
                              purpose="Suivi", given_by="person", method="verbal",
                              witness_name=world.office_worker.get_full_name(), starts_on=today(),
                              ends_on=today() + datetime.timedelta(days=30))
    assert "witness_name" in refused.value.errors
    assert not Consent.objects.exists()


def test_verbal_consent_with_another_witness_is_recorded(world):
    given = people.consent_record(actor=world.office_worker, person_id=world.person.pk,
                                  receiving_organization_ids=[world.entraide.pk], categories=["identity"],
                                  purpose="Suivi", given_by="person", method="verbal", witness_name="Témoin Fictif",
                                  starts_on=today(), ends_on=today() + datetime.timedelta(days=30))
    assert given.witness_name == "Témoin Fictif"


def on_the_day(change: dict) -> dict:
    """A parameter's dates are days from today, taken when the test runs: a date computed when the tests are
    collected is yesterday's for a test that runs after midnight."""
    return {k: today() + v if isinstance(v, datetime.timedelta) else v for k, v in change.items()}


@pytest.mark.parametrize(("change", "field"), [
    ({"receiving_organization_ids": []}, "receiving_organization_ids"),
    ({"categories": []}, "categories"),
    ({"categories": ["health"]}, "categories"),
    ({"method": "legal_exception"}, "legal_basis"),
    ({"ends_on": datetime.timedelta(days=-1)}, "ends_on"),
    ({"ends_on": datetime.timedelta(days=400)}, "ends_on"),
    ({"given_by": "guardian"}, "given_by_name"),
    ({"purpose": "  "}, "purpose"),
])
def test_bad_consents_are_refused_and_change_nothing(world, change, field):
    values = {"actor": world.office_worker, "person_id": world.person.pk,
              "receiving_organization_ids": [world.entraide.pk], "categories": ["identity"],
              "purpose": "Suivi", "given_by": "person", "method": "signed", "starts_on": today(),
              "ends_on": today() + datetime.timedelta(days=30)} | on_the_day(change)
    with pytest.raises(ValidationFailed) as refused:
        people.consent_record(**values)
    assert field in refused.value.errors
    assert not Consent.objects.exists()


def test_only_the_file_holder_records_a_consent(world):
    consent(world)
    with pytest.raises(PermissionRefused):
        consent(world, actor=world.entraide_worker)
    with pytest.raises(PermissionRefused):
        consent(world, actor=world.researcher)
    assert Consent.objects.count() == 1


@pytest.mark.parametrize("role", ["entraide_worker", "cisss_worker", "researcher", "nobody", "admin_without_org"])
def test_a_consent_is_revoked_only_by_its_holder(world, role):
    given = consent(world)
    with pytest.raises((NotFound, PermissionRefused)):
        people.consent_revoke(actor=getattr(world, role), consent_id=given.pk, method="written")
    assert Consent.objects.get(pk=given.pk).revoked_at is None


def test_a_consent_is_revoked_once(world):
    given = consent(world)
    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="verbal", reason="Demande")
    with pytest.raises(ValidationFailed):
        people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="verbal")


@pytest.mark.parametrize("role", ["cisss_worker", "researcher", "nobody", "coordinator", "admin_without_org"])
def test_interventions_are_recorded_only_for_persons_one_may_name(world, role):
    with pytest.raises((NotFound, PermissionRefused)):
        intervention(world, actor=getattr(world, role))
    assert not Intervention.objects.exists()


def test_a_partner_with_identity_consent_records_its_own_intervention_and_keeps_its_notes(world):
    consent(world, categories=["identity"])
    intervention(world, actor=world.entraide_worker, summary="Résumé du partenaire", notes="Note du partenaire")
    intervention(world, summary="Résumé de l'office")
    _p, _a, views, _n = support_selectors.interventions_of(world.entraide_worker, world.person.pk)
    assert [(v.summary, v.notes) for v in views] == [("Résumé du partenaire", "Note du partenaire")]
    _p, _a, views, _n = support_selectors.interventions_of(world.office_worker, world.person.pk)
    assert sorted(v.summary or "" for v in views) == ["Résumé de l'office"]


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "therapy"}, "category"),
    ({"date": datetime.timedelta(days=1)}, "date"),
    ({"date": "hier"}, "date"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": 100000}, "duration_minutes"),
    ({"summary": ""}, "summary"),
    ({"follow_up_on": datetime.timedelta(days=-3)}, "follow_up_on"),
])
def test_bad_interventions_are_refused_and_change_nothing(world, change, field):
    values = {"actor": world.office_worker, "person_ids": [world.person.pk], "category": "welcome",
              "date": today(), "duration_minutes": 30, "summary": "Résumé"} | on_the_day(change)
    with pytest.raises(ValidationFailed) as refused:
        support.intervention_record(**values)
    assert field in refused.value.errors
    assert not Intervention.objects.exists()


def test_an_intervention_naming_several_persons_is_collective(world):
    other, _d = people.person_register(actor=world.office_worker, first_name="Autre", last_name="Fictif")
    done = support.intervention_record(actor=world.office_worker, person_ids=[world.person.pk, other.pk],
                                       category="community_organizing", date=today(), duration_minutes=90,
                                       summary="Assemblée")
    assert done.mode == "collective"


# ---- referrals --------------------------------------------------------------------------------


def draft(world):
    return support.referral_create(actor=world.office_worker, person_id=world.person.pk,
                                   service_id=world.entraide_service.pk, reason="Besoin d'accompagnement")


def test_sending_a_referral_without_consent_is_refused_with_422(world):
    referral = draft(world)
    with pytest.raises(ValidationFailed) as refused:
        support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    assert "consent" in refused.value.errors
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.DRAFT


def test_a_consent_naming_another_organization_does_not_allow_sending(world):
    consent(world, receivers=[world.cisss])
    referral = draft(world)
    with pytest.raises(ValidationFailed):
        support.referral_send(actor=world.office_worker, referral_id=referral.pk)


def test_the_senders_organization_cannot_accept_its_own_referral(world):
    consent(world)
    referral = draft(world)
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    with pytest.raises(PermissionRefused):
        support.referral_accept(actor=world.office_worker, referral_id=referral.pk)
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.SENT


def test_a_referral_runs_its_course_with_an_event_for_every_step(world):
    given = consent(world)
    referral = draft(world)
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    support.referral_accept(actor=world.entraide_worker, referral_id=referral.pk)
    support.referral_start(actor=world.entraide_worker, referral_id=referral.pk)
    support.referral_close(actor=world.entraide_worker, referral_id=referral.pk, outcome="service_received")
    done = support_selectors.referral_get(world.office_worker, referral.pk)
    assert (done.state, done.outcome, done.consent_id) == ("closed", "service_received", given.pk)
    assert [(e.from_state, e.to_state) for e in done.events.all()] == [
        ("", "draft"), ("draft", "sent"), ("sent", "accepted"), ("accepted", "in_progress"),
        ("in_progress", "closed")]
    assert [e.organization_id for e in done.events.all()] == [world.office.pk, world.office.pk, world.entraide.pk,
                                                              world.entraide.pk, world.entraide.pk]


def test_the_receiver_declines_and_the_sender_withdraws(world):
    consent(world)
    first, second = draft(world), draft(world)
    for referral in (first, second):
        support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    support.referral_decline(actor=world.entraide_worker, referral_id=first.pk, reason="Complet")
    support.referral_withdraw(actor=world.office_worker, referral_id=second.pk)
    assert Referral.objects.get(pk=first.pk).state == "declined"
    assert Referral.objects.get(pk=second.pk).state == "withdrawn"
    with pytest.raises(PermissionRefused):
        support.referral_withdraw(actor=world.entraide_worker, referral_id=first.pk)
    with pytest.raises(ValidationFailed):
        support.referral_close(actor=world.entraide_worker, referral_id=first.pk, outcome="other")


def test_an_unanswered_referral_expires_when_read_and_cannot_be_accepted(world):
    consent(world)
    referral = draft(world)
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=15))
    assert support_selectors.referral_get(world.office_worker, referral.pk).effective_state() == "expired"
    with pytest.raises(ValidationFailed):
        support.referral_accept(actor=world.entraide_worker, referral_id=referral.pk)


def test_revoking_the_consent_suspends_open_referrals_and_hides_them_from_the_receiver(world):
    given = consent(world)
    referral = draft(world)
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    support.referral_accept(actor=world.entraide_worker, referral_id=referral.pk)
    assert support_selectors.referral_get(world.entraide_worker, referral.pk)
    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")
    assert Referral.objects.get(pk=referral.pk).state == "suspended"
    with pytest.raises(NotFound):
        support_selectors.referral_get(world.entraide_worker, referral.pk)
    with pytest.raises(NotFound):
        support.referral_close(actor=world.entraide_worker, referral_id=referral.pk, outcome="other")
    # The sender still sees its referral and why it stopped.
    assert support_selectors.referral_get(world.office_worker, referral.pk).state == "suspended"


@pytest.mark.parametrize("role", ["cisss_worker", "researcher", "nobody", "admin_without_org", "outsider_worker"])
def test_outsiders_neither_see_nor_move_a_referral(world, role):
    consent(world)
    referral = draft(world)
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    user = getattr(world, role)
    with pytest.raises(NotFound):
        support_selectors.referral_get(user, referral.pk)
    with pytest.raises((NotFound, PermissionRefused)):
        support.referral_accept(actor=user, referral_id=referral.pk)
    assert Referral.objects.get(pk=referral.pk).state == "sent"


def test_a_referral_to_a_person_one_may_not_name_is_not_found(world):
    with pytest.raises(NotFound):
        support.referral_create(actor=world.cisss_worker, person_id=world.person.pk,
                                service_id=world.entraide_service.pk, reason="x")
    assert not Referral.objects.exists()


def test_registering_needs_a_name_and_a_real_phone(world):
    with pytest.raises(ValidationFailed) as refused:
        people.person_register(actor=world.office_worker, first_name="", last_name="X", phone="abc")
    assert set(refused.value.errors) == {"first_name", "phone"}
    with pytest.raises(PermissionRefused):
        people.person_register(actor=world.researcher, first_name="A", last_name="B")
    assert Person.objects.count() == 1


def test_a_second_organization_registering_the_same_phone_is_flagged_as_a_possible_duplicate(world):
    # Recorded for a later merge, but told to the second organization only if it may name the first's tenant.
    twin, duplicates = people.person_register(actor=world.entraide_worker, first_name="F.", last_name="Tremblay",
                                              phone="(418) 555-0101")
    assert duplicates == 0
    assert DuplicateSuspect.objects.filter(person=twin, other=world.person, reason="phone").exists()
    consent(world, receivers=[world.entraide], categories=["identity"])
    _again, duplicates = people.person_register(actor=world.entraide_worker, first_name="F.", last_name="Tremblay",
                                                phone="(418) 555-0101")
    assert duplicates == 2  # the office's tenant, now nameable, and its own first record
