"""Governance acts: mandates, meetings, quorum, decisions, follow-ups, minutes, recommendations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.collective.governance_world import START, adopt, at, build_world, held_meeting
from toitcommun.access.models import AuditEvent
from toitcommun.collective.group_services import group_create, mandate_end, mandate_start
from toitcommun.collective.meeting_services import (
    attendance_record,
    decision_record,
    follow_up_add,
    follow_up_set_status,
    meeting_cancel,
    meeting_convene,
    meeting_create,
)
from toitcommun.collective.minutes_services import (
    minutes_draft,
    minutes_edit,
    minutes_publish,
    minutes_submit,
)
from toitcommun.collective.models import (
    Attendance,
    Decision,
    Mandate,
    Meeting,
    Minutes,
    Recommendation,
)
from toitcommun.collective.recommendation_services import (
    recommendation_acknowledge,
    recommendation_adopt,
    recommendation_answer,
    recommendation_edit,
    recommendation_send,
)
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


# Mandates


def test_a_second_active_president_is_refused_with_a_clear_message(world):
    with pytest.raises(ValidationFailed) as refused:
        mandate_start(actor=world.admin, group_id=world.group.pk, role="president", starts_on=START,
                      holder_name="Deuxième Présidente Fictive")
    assert "déjà un mandat actif de présidence" in str(refused.value.errors["role"][0])
    assert world.group.mandates.filter(role="president").count() == 1


def test_a_new_president_takes_the_seat_once_the_old_mandate_ends_and_history_stays(world):
    mandate_end(actor=world.admin, mandate_id=world.mandates["president"].pk, ends_on=datetime.date(2017, 5, 31))
    new = mandate_start(actor=world.admin, group_id=world.group.pk, role="president",
                        starts_on=datetime.date(2017, 6, 1), holder_name="Nouveau Président Fictif")
    presidents = list(world.group.mandates.filter(role="president").order_by("starts_on"))
    assert [p.holder_name for p in presidents] == ["Présidente Fictive", "Nouveau Président Fictif"]
    assert presidents[0].ends_on == datetime.date(2017, 5, 31) and new.ends_on is None


def test_the_database_refuses_two_open_presidents_even_past_the_check(world):
    from django.db import IntegrityError, transaction
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(group=world.group, role="president", holder_kind="person", holder_name="X Fictif",
                               starts_on=datetime.date(2030, 1, 1))


def test_a_member_may_not_start_mandates_and_nothing_changes(world):
    before = Mandate.objects.count()
    with pytest.raises(PermissionRefused):
        mandate_start(actor=world.member, group_id=world.group.pk, role="board_member", starts_on=START,
                      holder_name="Intrus Fictif")
    assert Mandate.objects.count() == before


def test_a_mandate_refuses_bad_input(world):
    with pytest.raises(ValidationFailed) as refused:
        mandate_start(actor=world.admin, group_id=world.group.pk, role="emperor", starts_on=START, holder_name="")
    assert set(refused.value.errors) >= {"role", "holder_name"}


def test_a_member_organization_names_a_delegate_and_a_substitute(world):
    org_seat = mandate_start(actor=world.admin, group_id=world.other_group.pk, role="member", starts_on=START,
                             holder_kind="organization", organization_id=world.office.pk)
    delegate = mandate_start(actor=world.admin, group_id=world.other_group.pk, role="delegate", starts_on=START,
                             holder_name="Déléguée Fictive", delegate_of_id=org_seat.pk)
    substitute = mandate_start(actor=world.admin, group_id=world.other_group.pk, role="delegate", starts_on=START,
                               holder_name="Substitut Fictif", delegate_of_id=org_seat.pk, is_substitute=True)
    assert list(org_seat.delegates.order_by("pk")) == [delegate, substitute]
    assert not delegate.voting and substitute.is_substitute


def test_only_an_administrator_or_the_regions_coordinator_creates_a_group(world, coordinator_elsewhere):
    with pytest.raises(PermissionRefused):
        group_create(actor=coordinator_elsewhere, name="Groupe fictif", kind="working_committee", region_code="12")
    with pytest.raises(ValidationFailed):
        group_create(actor=world.admin, name="", kind="nope", region_code="99")


# Meetings, attendance, quorum, decisions


def test_quorum_is_computed_from_voting_mandates_that_day_and_stored_on_the_decision(world):
    # On 2016-01-13 four voting mandates are active; only two are present: 2 of 4 is not a majority.
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion sans quorum",
                           present=("president", "secretary"))
    decision = decision_record(actor=world.secretary, meeting_id=meeting.pk, text="Achat d'une bouilloire.")
    assert (decision.voting_total, decision.voting_present, decision.quorum_reached) == (4, 2, False)
    assert meeting.members_present == 2 and meeting.counted_total == 15


def test_presence_at_each_decision_follows_arrival_and_departure(world):
    meeting = held_meeting(world, datetime.date(2016, 2, 10), title="Réunion avec départs",
                           present=("president", "secretary", "member"))
    attendance_record(actor=world.admin, meeting_id=meeting.pk, mandate_id=world.mandates["member"].pk,
                      presence="present", arrived_at=datetime.time(19, 0), left_at=datetime.time(20, 0))
    early = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Première décision.",
                            taken_at=datetime.time(19, 30))
    late = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Deuxième décision.",
                           taken_at=datetime.time(20, 30))
    assert (early.number, early.voting_present, early.quorum_reached) == (1, 3, True)
    assert (late.number, late.voting_present, late.quorum_reached) == (2, 2, False)


def test_the_members_present_roll_up_equals_a_recount(world):
    meeting = held_meeting(world, datetime.date(2016, 2, 10), title="Recompte")
    attendance_record(actor=world.admin, meeting_id=meeting.pk, mandate_id=world.mandates["member"].pk,
                      presence="excused")
    meeting.refresh_from_db()
    assert meeting.members_present == Attendance.objects.filter(meeting=meeting, presence="present").count() == 3


def test_a_decision_needs_a_held_meeting(world):
    meeting = meeting_create(actor=world.admin, group_id=world.group.pk, title="Pas encore tenue",
                             starts_at=at(datetime.date(2016, 3, 1)))
    with pytest.raises(ValidationFailed):
        decision_record(actor=world.admin, meeting_id=meeting.pk, text="Trop tôt.")
    assert not Decision.objects.filter(meeting=meeting).exists()


def test_a_cancelled_meeting_cannot_be_convened_again(world):
    meeting = meeting_create(actor=world.admin, group_id=world.group.pk, title="Annulée",
                             starts_at=at(datetime.date(2016, 3, 1)))
    meeting_cancel(actor=world.admin, meeting_id=meeting.pk)
    with pytest.raises(ValidationFailed):
        meeting_convene(actor=world.admin, meeting_id=meeting.pk)


def test_a_member_who_is_not_an_officer_may_not_plan_meetings(world):
    before = Meeting.objects.count()
    with pytest.raises(PermissionRefused):
        meeting_create(actor=world.member, group_id=world.group.pk, title="Non", starts_at=at(START))
    assert Meeting.objects.count() == before


def test_open_follow_ups_appear_on_the_next_agenda_and_overdue_is_derived(world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Organiser une fête.")
    follow_up = follow_up_add(actor=world.secretary, decision_id=decision.pk, title="Réserver la salle",
                              owner="Secrétariat", due_on=datetime.date(2016, 2, 1))
    done = follow_up_add(actor=world.secretary, decision_id=decision.pk, title="Acheter les ballons",
                         owner="Trésorerie", due_on=datetime.date(2016, 2, 1))
    follow_up_set_status(actor=world.secretary, follow_up_id=done.pk, status="done", note="Fait.")
    assert follow_up.is_overdue(datetime.date(2016, 2, 2)) and not done.__class__.objects.get(
        pk=done.pk).is_overdue(datetime.date(2016, 2, 2))
    nxt = meeting_create(actor=world.admin, group_id=world.group.pk, title="Réunion de février",
                         starts_at=at(datetime.date(2016, 2, 10)))
    assert [(i.kind, i.title) for i in nxt.agenda_items.all()] == [("follow_up", "Réserver la salle")]
    assert [e.status for e in done.events.all()] == ["open", "done"]


# Minutes


def test_minutes_go_from_draft_to_published_only_through_adoption_by_a_later_meeting(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.president, meeting_id=first.pk, text="Ouverture à 19 h.")
    with pytest.raises(ValidationFailed) as early:
        minutes_publish(actor=world.secretary, minutes_id=minutes.pk)
    assert "une fois adopté" in str(early.value.errors["state"][0])
    minutes_submit(actor=world.secretary, minutes_id=minutes.pk)
    with pytest.raises(ValidationFailed) as same:
        decision_record(actor=world.admin, meeting_id=first.pk, text="Adoption.", adopts_minutes_id=minutes.pk)
    assert "à la réunion qu'il relate" in str(same.value.errors["adopts_minutes_id"][0])
    adopt(world, minutes, datetime.date(2016, 2, 10))
    minutes.refresh_from_db()
    assert minutes.state == "adopted" and minutes.adopted_by is not None
    minutes_publish(actor=world.secretary, minutes_id=minutes.pk)
    minutes.refresh_from_db()
    assert minutes.state == "published" and minutes.published_on == timezone.localdate()


def test_another_group_may_not_adopt_the_minutes(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Texte.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    elsewhere = meeting_create(actor=world.admin, group_id=world.other_group.pk, title="Ailleurs",
                               starts_at=at(datetime.date(2016, 2, 10)))
    meeting_convene(actor=world.admin, meeting_id=elsewhere.pk)
    from toitcommun.collective.meeting_services import meeting_hold
    meeting_hold(actor=world.admin, meeting_id=elsewhere.pk)
    with pytest.raises(ValidationFailed) as refused:
        decision_record(actor=world.admin, meeting_id=elsewhere.pk, text="Adoption.", adopts_minutes_id=minutes.pk)
    assert "Seul le groupe qui a tenu la réunion" in str(refused.value.errors["adopts_minutes_id"][0])
    assert Minutes.objects.get(pk=minutes.pk).state == "submitted"


def test_adoption_without_quorum_is_refused(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Texte.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    thin = held_meeting(world, datetime.date(2016, 2, 10), title="Peu de monde", present=("president",))
    with pytest.raises(ValidationFailed) as refused:
        decision_record(actor=world.admin, meeting_id=thin.pk, text="Adoption.", adopts_minutes_id=minutes.pk)
    assert "quorum n'est pas atteint" in str(refused.value.errors["adopts_minutes_id"][0])
    assert not Decision.objects.filter(meeting=thin).exists()


def test_adopted_minutes_are_immutable_and_a_correction_is_a_new_version(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Texte adopté.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    adopt(world, minutes, datetime.date(2016, 2, 10))
    minutes.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        minutes_edit(actor=world.secretary, minutes_id=minutes.pk, version=minutes.version, text="Réécrit.")
    assert "ne se modifie plus" in str(refused.value.errors["__all__"][0])
    assert Minutes.objects.get(pk=minutes.pk).text == "Texte adopté."
    correction = minutes_draft(actor=world.secretary, meeting_id=first.pk, text="Texte corrigé.")
    assert (correction.revision, correction.state) == (2, "draft")


def test_stale_minutes_edit_is_a_conflict(world):
    from toitcommun.errors import VersionConflict
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Un.")
    minutes_edit(actor=world.secretary, minutes_id=minutes.pk, version=minutes.version, text="Deux.")
    with pytest.raises(VersionConflict):
        minutes_edit(actor=world.president, minutes_id=minutes.pk, version=minutes.version, text="Trois.")
    assert Minutes.objects.get(pk=minutes.pk).text == "Deux."


def test_a_plain_member_may_not_draft_and_an_outsider_gets_not_found(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier", audience="members")
    with pytest.raises(PermissionRefused):
        minutes_draft(actor=world.member, meeting_id=first.pk, text="Non.")
    with pytest.raises(NotFound):
        minutes_draft(actor=world.other_member, meeting_id=first.pk, text="Non.")
    assert not Minutes.objects.exists()


def test_minutes_refuse_an_empty_text(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    with pytest.raises(ValidationFailed):
        minutes_draft(actor=world.admin, meeting_id=first.pk, text="   ")


# Recommendations


def test_a_recommendation_is_sent_acknowledged_and_answered_within_the_deadline(world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Recommander un éclairage.")
    rec = recommendation_adopt(actor=world.president, decision_id=decision.pk, title="Éclairage du stationnement",
                               text="Installer un éclairage.")
    rec = recommendation_send(actor=world.secretary, recommendation_id=rec.pk, sent_on=datetime.date(2016, 1, 15))
    assert rec.due_on == datetime.date(2016, 2, 14) and rec.is_overdue(datetime.date(2016, 2, 15))
    with pytest.raises(PermissionRefused):
        recommendation_edit(actor=world.respondent, recommendation_id=rec.pk, title="Autre", text="Autre")
    with pytest.raises(PermissionRefused):
        recommendation_answer(actor=world.member, recommendation_id=rec.pk, answer="accepted", reply="Oui.")
    rec = recommendation_acknowledge(actor=world.respondent, recommendation_id=rec.pk)
    rec = recommendation_answer(actor=world.respondent, recommendation_id=rec.pk, answer="partly",
                                reply="Deux lampadaires au printemps.")
    assert (rec.state, rec.answer, rec.answered_on) == ("answered", "partly", timezone.localdate())
    assert Recommendation.objects.get(pk=rec.pk).title == "Éclairage du stationnement"
    with pytest.raises(ValidationFailed):
        recommendation_answer(actor=world.respondent, recommendation_id=rec.pk, answer="refused", reply="Non.")


def test_a_recommendation_refuses_bad_input_and_the_wrong_group_kind(world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Recommander.")
    with pytest.raises(ValidationFailed):
        recommendation_adopt(actor=world.admin, decision_id=decision.pk, title="", text="")
    sent = recommendation_send(actor=world.admin, recommendation_id=recommendation_adopt(
        actor=world.admin, decision_id=decision.pk, title="T", text="X").pk)
    with pytest.raises(ValidationFailed):
        recommendation_answer(actor=world.respondent, recommendation_id=sent.pk, answer="maybe", reply="")
    assert Recommendation.objects.get(pk=sent.pk).state == "sent"


def test_every_act_is_audited_without_the_minutes_text(world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Nom Très Secret Fictif",
                            in_camera_text="Huis clos fictif")
    events = AuditEvent.objects.filter(action__startswith="collective.")
    assert {"collective.group.create", "collective.mandate.start", "collective.meeting.hold",
            "collective.attendance.record", "collective.minutes.draft"} <= set(events.values_list("action",
                                                                                               flat=True))
    assert not any("Secret" in str(e.after) or "Huis clos" in str(e.after) for e in events)
    assert minutes.pk


def test_conflict_is_a_validation_failure(world):
    assert issubclass(Conflict, ValidationFailed)
