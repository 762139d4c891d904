"""The governance API: groups by territory, mandates, meetings; the same visibility as the pages."""

from __future__ import annotations

import datetime

import pytest

from tests.collective.governance_world import adopt, build_world, held_meeting
from tests.factories import api_token_for
from toitcommun.collective.meeting_services import decision_record
from toitcommun.collective.minutes_services import minutes_draft, minutes_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(user)}"}


def test_groups_of_an_mrc_include_its_municipalities_groups(client, world):
    answer = client.get("/api/v1/groups", {"territory": "31084"}).json()
    names = {g["name"] for g in answer["items"]}
    assert world.group.name in names
    mrc = world.group.municipality.mrc.code
    by_mrc = client.get("/api/v1/groups", {"territory": mrc}).json()
    item = next(g for g in by_mrc["items"] if g["id"] == world.group.pk)
    assert item == {"id": world.group.pk, "name": world.group.name, "kind": "tenant_association",
                    "territory_code": "31084"}
    assert client.get("/api/v1/groups", {"territory": "25213"}).json()["count"] == 0


def test_an_unknown_territory_is_404_and_a_malformed_one_422(client, world):
    assert client.get("/api/v1/groups", {"territory": "99999"}).status_code == 404
    assert client.get("/api/v1/groups", {"territory": "no way"}).status_code == 422


def test_mandates_say_who_held_which_role_when_and_hide_names_from_the_public(client, world):
    public = client.get(f"/api/v1/groups/{world.group.pk}/mandates").json()["items"]
    signed_in = client.get(f"/api/v1/groups/{world.group.pk}/mandates", **bearer(world.tenant)).json()["items"]
    former = next(m for m in signed_in if m["holder_name"] == "Ancienne Membre")
    assert former == {"holder_name": "Ancienne Membre", "holder_kind": "person", "role": "board_member",
                      "voting": True, "starts_on": "2015-11-04", "ends_on": "2016-06-30"}
    assert {m["holder_name"] for m in public} == {""}
    assert len(public) == len(signed_in) == 4


def test_meetings_carry_state_quorum_and_attendance_figures(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion publique de janvier")
    decision_record(actor=world.admin, meeting_id=meeting.pk, text="Décision.")
    items = client.get(f"/api/v1/groups/{world.group.pk}/meetings").json()["items"]
    assert items == [{"id": meeting.pk, "title": "Réunion publique de janvier", "kind": "ordinary", "state": "held",
                      "starts_at": items[0]["starts_at"], "place": "Salle communautaire fictive",
                      "audience": "public", "quorum_reached": True,
                      "attendance": {"members_present": 4, "counted_total": 15}}]


def test_members_only_meetings_are_404_to_others_and_listed_for_members(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion réservée fictive", audience="members")
    for headers in ({}, bearer(world.tenant), bearer(world.former), bearer(world.other_member)):
        assert client.get(f"/api/v1/meetings/{meeting.pk}", **headers).status_code == 404
        listed = client.get(f"/api/v1/groups/{world.group.pk}/meetings", **headers)
        assert "Réunion réservée fictive" not in listed.content.decode()
    assert client.get(f"/api/v1/meetings/{meeting.pk}", **bearer(world.member)).json()["title"] == \
        "Réunion réservée fictive"


def test_minutes_drafted_submitted_and_published_through_the_api(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    drafted = client.post(f"/api/v1/meetings/{meeting.pk}/minutes", {"text": "Ouverture."},
                          content_type="application/json", **bearer(world.president))
    assert drafted.status_code == 201, drafted.content
    minutes_id = drafted.json()["id"]
    assert client.get(f"/api/v1/minutes/{minutes_id}").status_code == 404
    early = client.post(f"/api/v1/minutes/{minutes_id}/publish", **bearer(world.secretary))
    assert early.status_code == 422 and "adopté" in early.json()["detail"][0]["message"]
    # A plain member does not even see a draft: not found, not forbidden.
    assert client.post(f"/api/v1/minutes/{minutes_id}/submit", **bearer(world.member)).status_code == 404
    assert client.post(f"/api/v1/minutes/{minutes_id}/submit", **bearer(world.secretary)).json()["state"] == \
        "submitted"
    from toitcommun.collective.models import Minutes
    adopt(world, Minutes.objects.get(pk=minutes_id), datetime.date(2016, 2, 10))
    published = client.post(f"/api/v1/minutes/{minutes_id}/publish", **bearer(world.secretary)).json()
    assert published["state"] == "published"
    public = client.get(f"/api/v1/minutes/{minutes_id}").json()
    assert public["text"] == "Ouverture." and public["in_camera_text"] is None


def test_the_office_answers_through_the_api(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Recommander.")
    from toitcommun.collective.recommendation_services import (
        recommendation_adopt,
        recommendation_send,
    )
    rec = recommendation_adopt(actor=world.admin, decision_id=decision.pk, title="Bancs", text="Des bancs.")
    assert client.get(f"/api/v1/recommendations/{rec.pk}", **bearer(world.respondent)).status_code == 404
    recommendation_send(actor=world.admin, recommendation_id=rec.pk)
    answered = client.post(f"/api/v1/recommendations/{rec.pk}/answer", {"answer": "accepted", "reply": "Oui."},
                           content_type="application/json", **bearer(world.respondent))
    assert answered.status_code == 200 and answered.json()["answer"] == "accepted"
    assert client.post(f"/api/v1/recommendations/{rec.pk}/answer", {"answer": "accepted", "reply": "Oui."},
                       content_type="application/json").status_code == 401


def test_submitted_minutes_are_for_members_only(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion de janvier")
    minutes = minutes_draft(actor=world.admin, meeting_id=meeting.pk, text="Brouillon fictif.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    assert client.get(f"/api/v1/minutes/{minutes.pk}", **bearer(world.member)).status_code == 200
    assert client.get(f"/api/v1/minutes/{minutes.pk}", **bearer(world.tenant)).status_code == 404
