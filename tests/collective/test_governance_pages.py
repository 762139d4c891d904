"""The governance pages: what each visitor sees, refusals in plain French, queries counted."""

from __future__ import annotations

import datetime

import pytest

from tests.collective.governance_world import adopt, build_world, held_meeting
from toitcommun.collective.meeting_services import decision_record
from toitcommun.collective.minutes_services import minutes_draft, minutes_submit
from toitcommun.collective.models import Minutes
from toitcommun.collective.recommendation_services import recommendation_adopt, recommendation_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def test_the_groups_list_counts_its_queries(client, world, django_assert_num_queries):
    with django_assert_num_queries(2):  # an anonymous visitor: the territory, then the groups with their places
        response = client.get("/vie-collective/groupes/", {"territoire": "31084"})
    assert response.status_code == 200 and world.group.name in response.content.decode()


def test_an_unknown_territory_is_said_plainly(client, world):
    response = client.get("/vie-collective/groupes/", {"territoire": "99999"})
    assert response.status_code == 200 and "Territoire inconnu" in response.content.decode()


def test_the_group_page_shows_roles_to_all_and_names_to_signed_in_users(client, world):
    public = client.get(f"/vie-collective/groupes/{world.group.pk}/").content.decode()
    assert "Présidence" in public and "Présidente Fictive" not in public
    client.force_login(world.tenant)
    assert "Présidente Fictive" in client.get(f"/vie-collective/groupes/{world.group.pk}/").content.decode()


def test_the_president_drafts_minutes_on_the_page_and_what_was_typed_is_kept_on_error(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    client.force_login(world.president)
    empty = client.post(f"/vie-collective/reunions/{meeting.pk}/proces-verbal/", {"text": " ",
                                                                                   "in_camera_text": "Gardé"})
    assert empty.status_code == 200 and "Gardé" in empty.content.decode()
    saved = client.post(f"/vie-collective/reunions/{meeting.pk}/proces-verbal/", {"text": "Ouverture à 19 h."})
    assert saved.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    edited = client.post(f"/vie-collective/reunions/{meeting.pk}/proces-verbal/",
                         {"text": "Ouverture à 19 h 05.", "version": minutes.version})
    assert edited.status_code == 302 and Minutes.objects.get(pk=minutes.pk).text == "Ouverture à 19 h 05."
    stale = client.post(f"/vie-collective/reunions/{meeting.pk}/proces-verbal/",
                        {"text": "Version périmée.", "version": minutes.version})
    assert "pendant que vous l'écriviez" in stale.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).text == "Ouverture à 19 h 05."


def test_a_plain_member_may_not_write_minutes(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    client.force_login(world.member)
    assert client.get(f"/vie-collective/reunions/{meeting.pk}/proces-verbal/").status_code == 403


def test_publishing_before_adoption_is_refused_with_a_clear_message(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=meeting.pk, text="Texte.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    client.force_login(world.secretary)
    answer = client.post(f"/vie-collective/proces-verbaux/{minutes.pk}/publier/", follow=True)
    assert "se publie une fois adopté" in answer.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).state == "submitted"


def test_adoption_from_a_later_meetings_page_then_publication(client, world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Texte de janvier.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    later = held_meeting(world, datetime.date(2016, 2, 10), title="Réunion de février")
    client.force_login(world.secretary)
    page = client.get(f"/vie-collective/reunions/{later.pk}/").content.decode()
    assert "Adopter le procès-verbal" in page
    client.post(f"/vie-collective/reunions/{later.pk}/adopter/", {"minutes": minutes.pk})
    client.post(f"/vie-collective/proces-verbaux/{minutes.pk}/publier/")
    assert Minutes.objects.get(pk=minutes.pk).state == "published"
    client.logout()
    assert "Texte de janvier." in client.get(f"/vie-collective/reunions/{first.pk}/").content.decode()


def test_the_office_answers_on_the_page_and_overdue_shows_on_both_sides(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Recommander.")
    rec = recommendation_adopt(actor=world.admin, decision_id=decision.pk, title="Des bancs", text="Des bancs.")
    recommendation_send(actor=world.admin, recommendation_id=rec.pk, sent_on=datetime.date(2016, 1, 15))
    client.force_login(world.respondent)
    page = client.get(f"/vie-collective/recommandations/{rec.pk}/").content.decode()
    assert "réponse en retard" in page and "Envoyer la réponse" in page
    refused = client.post(f"/vie-collective/recommandations/{rec.pk}/repondre/", {"answer": "", "reply": ""})
    assert refused.status_code == 422
    client.post(f"/vie-collective/recommandations/{rec.pk}/repondre/", {"answer": "refused", "reply": "Non."})
    client.force_login(world.member)
    assert "Refusée" in client.get(f"/vie-collective/recommandations/{rec.pk}/").content.decode()


def test_a_correction_after_adoption_is_offered_as_a_new_version(client, world):
    first = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=first.pk, text="Texte.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    adopt(world, minutes, datetime.date(2016, 2, 10))
    client.force_login(world.secretary)
    assert "Rédiger une correction" in client.get(f"/vie-collective/reunions/{first.pk}/").content.decode()
