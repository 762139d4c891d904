"""The story of the issue through the API contract: register, consent, intervention, referral; the partner
sees the summary while the consent stands, and 404 after it is revoked."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from tests.factories import api_token_for
from tests.people.world import today
from toitcommun.people.models import AccessLogEntry


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {api_token_for(user)}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json",
                                headers=self.headers)


@pytest.fixture
def office(world):
    return Api(world.office_worker)


@pytest.fixture
def partner(world):
    return Api(world.entraide_worker)


def test_the_story_through_the_api(world, office, partner):
    answer = office.post("/people", {"first_name": "Fictif", "last_name": "Gagnon-Test", "phone": "418 555-0199",
                                     "building_id": world.building.pk})
    assert answer.status_code == 201, answer.content
    person_id = answer.json()["id"]
    assert partner.get(f"/people/{person_id}").status_code == 404

    answer = office.post("/consents", {
        "person_id": person_id, "receiving_organization_ids": [world.entraide.pk, world.cisss.pk],
        "categories": ["identity", "interventions", "referrals"], "purpose": "Suivi concerté",
        "given_by": "person", "method": "signed", "starts_on": today().isoformat(),
        "ends_on": (today() + datetime.timedelta(days=200)).isoformat()})
    assert answer.status_code == 201, answer.content
    consent_id = answer.json()["id"]

    answer = office.post("/interventions", {"person_ids": [person_id], "category": "welcome",
                                            "date": today().isoformat(), "duration_minutes": 45,
                                            "summary": "Accueil du nouveau locataire", "notes": "Note privée"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["notes"] == "Note privée"

    answer = office.post("/referrals", {"person_id": person_id, "service_id": str(world.entraide_service.pk),
                                        "reason": "Accompagnement au CLSC"})
    assert answer.status_code == 201, answer.content
    referral_id = answer.json()["id"]
    assert answer.json()["state"] == "draft"
    assert office.post(f"/referrals/{referral_id}/send").json()["state"] == "sent"
    assert office.post(f"/referrals/{referral_id}/accept").status_code == 403
    assert partner.post(f"/referrals/{referral_id}/accept").json()["state"] == "accepted"

    seen = partner.get(f"/people/{person_id}").json()
    assert seen["first_name"] == "Fictif" and "building_id" not in seen
    assert seen["categories"] == ["identity", "interventions", "referrals"]
    items = partner.get(f"/people/{person_id}/interventions").json()["items"]
    assert [(i.get("summary"), "notes" in i) for i in items] == [("Accueil du nouveau locataire", False)]
    assert [c["id"] for c in partner.get(f"/people/{person_id}/consents").json()] == [consent_id]

    answer = office.post(f"/consents/{consent_id}/revoke", {"method": "written", "reason": "Demande"})
    assert answer.json()["status"] == "revoked"

    assert partner.get(f"/people/{person_id}").status_code == 404
    assert partner.get(f"/people/{person_id}/interventions").status_code == 404
    assert partner.get(f"/referrals/{referral_id}").status_code == 404
    assert partner.get("/people", q="gagnon").json()["count"] == 0
    referral = office.get(f"/referrals/{referral_id}").json()
    assert referral["state"] == "suspended"
    assert [e["to_state"] for e in referral["events"]] == ["draft", "sent", "accepted", "suspended"]


def test_sending_without_consent_is_422(world, office):
    referral_id = office.post("/referrals", {"person_id": world.person.pk, "service_id": str(world.entraide_service.pk),
                                             "reason": "Aide"}).json()["id"]
    answer = office.post(f"/referrals/{referral_id}/send")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "consent"


@pytest.mark.parametrize(("body", "field"), [
    ({"method": "verbal"}, "witness_name"),
    ({"method": "verbal", "witness_name": "Agente Tech-Omh"}, "witness_name"),
    ({"receiving_organization_ids": []}, "receiving_organization_ids"),
    ({"categories": ["health"]}, "categories"),
    ({"given_by": "neighbour"}, "given_by"),
])
def test_bad_consents_are_422(world, office, body, field):
    base = {"person_id": world.person.pk, "receiving_organization_ids": [world.entraide.pk],
            "categories": ["identity"], "purpose": "Suivi", "given_by": "person", "method": "signed",
            "starts_on": today().isoformat(), "ends_on": (today() + datetime.timedelta(days=30)).isoformat()}
    answer = office.post("/consents", base | body)
    assert answer.status_code == 422, answer.content
    assert field in {e["field"] for e in answer.json()["detail"]}


def test_reads_need_a_caller_and_a_researcher_sees_nobody(world):
    assert Client().get(f"/api/v1/people/{world.person.pk}").status_code == 401
    researcher = Api(world.researcher)
    assert researcher.get(f"/people/{world.person.pk}").status_code == 404
    assert researcher.get("/people").json()["count"] == 0


def test_one_api_view_writes_one_access_log_row(world, office):
    before = AccessLogEntry.objects.count()
    assert office.get(f"/people/{world.person.pk}").status_code == 200
    assert AccessLogEntry.objects.count() == before + 1


def _session(user) -> Client:
    # A signed-in session, not a token: a token's last use is written once a minute, which a
    # slow run would count as one more query.
    client = Client()
    client.force_login(user)
    return client


def test_the_people_list_answers_in_constant_queries(world, django_assert_num_queries):
    from toitcommun.people import services as people

    client = _session(world.office_worker)
    client.get("/api/v1/people")
    with django_assert_num_queries(8) as first:
        client.get("/api/v1/people")
    for n in range(25):
        people.person_register(actor=world.office_worker, first_name=f"Fictif{n}", last_name="Liste-Test")
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(client.get("/api/v1/people").json()["items"]) == 20


def test_a_persons_interventions_answer_in_constant_queries(world, django_assert_num_queries):
    from tests.people.world import intervention

    client = _session(world.office_worker)
    url = f"/api/v1/people/{world.person.pk}/interventions"
    intervention(world)
    client.get(url)
    with django_assert_num_queries(9) as first:
        client.get(url)
    for _n in range(25):
        intervention(world)
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(client.get(url).json()["items"]) == 20
