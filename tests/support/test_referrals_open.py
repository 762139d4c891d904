"""Referrals still open past 30 days: on the caseload (sent and received), in the report (paginated, CSV) and
the API; expiry ("no answer within N days") computed when read, everywhere alike."""

from __future__ import annotations

import csv
import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import api_token_for
from tests.people.world import consent
from toitcommun.people.models import AccessLogEntry
from toitcommun.support import selectors
from toitcommun.support import services as support
from toitcommun.support.models import Referral


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_get(user, path, **params):
    return Client().get(f"/api/v1{path}", params, headers={"Authorization": f"Bearer {api_token_for(user)}"})


def referral(world, *, days_ago: int, accept: bool = True) -> Referral:
    made = support.referral_create(actor=world.office_worker, person_id=world.person.pk,
                                   service_id=world.entraide_service.pk, reason="Aide fictive")
    support.referral_send(actor=world.office_worker, referral_id=made.pk)
    if accept:
        support.referral_accept(actor=world.entraide_worker, referral_id=made.pk)
    Referral.objects.filter(pk=made.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days_ago))
    return Referral.objects.get(pk=made.pk)


def test_an_open_referral_past_30_days_shows_on_both_caseloads(world):
    consent(world)
    old = referral(world, days_ago=40)
    referral(world, days_ago=5)
    assert [r.pk for r in selectors.caseload(world.office_worker).open_past] == [old.pk]
    assert [r.pk for r in selectors.caseload(world.entraide_worker).received_open_past] == [old.pk]
    assert selectors.caseload(world.outsider_worker).open_past == []
    text = signed_in(world.entraide_worker).get(reverse("support:caseload")).content.decode()
    assert "Accompagnement fictif" in text and "OMH de Fictiville (test)" in text


def test_the_report_lists_sent_and_received_with_age_state_and_service(world):
    consent(world)
    referral(world, days_ago=45)
    referral(world, days_ago=10)
    office = signed_in(world.office_worker).get(reverse("support:referrals_open"))
    text = office.content.decode()
    assert office.status_code == 200
    assert "Envoyées (1)" in text and "Reçues (0)" in text and ">45<" in text and "acceptée" in text
    partner = signed_in(world.entraide_worker).get(reverse("support:referrals_open"), {"jours": "7"}).content.decode()
    assert "Envoyées (0)" in partner and "Reçues (2)" in partner and "plus de 7 jours" in partner


def test_the_csv_export_carries_each_referral_and_logs_each_as_exported(world):
    consent(world)
    first, second = referral(world, days_ago=31), referral(world, days_ago=60)
    before = AccessLogEntry.objects.filter(action="export").count()
    answer = signed_in(world.office_worker).get(reverse("support:referrals_open"), {"format": "csv"})
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert "Tremblay-Test" not in content
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Sens", "Référence", "Service", "Organisation qui réfère", "Organisation qui reçoit",
                       "Envoyée le", "Âge (jours)", "État"]
    assert [(r[0], int(r[1]), r[2], r[6], r[7]) for r in rows[1:]] == [
        ("envoyée", second.pk, "Accompagnement fictif", "60", "acceptée"),
        ("envoyée", first.pk, "Accompagnement fictif", "31", "acceptée")]
    exported = AccessLogEntry.objects.filter(action="export").order_by("id")[before:]
    assert sorted(e.record_id for e in exported) == sorted([first.pk, second.pk])


def test_a_bad_number_of_days_is_explained_not_a_500(world):
    answer = signed_in(world.office_worker).get(reverse("support:referrals_open"), {"jours": "abc"})
    assert answer.status_code == 422
    assert "Entrez un nombre de jours de 1 à 3650" in answer.content.decode()


def test_the_report_answers_in_constant_queries(world, django_assert_num_queries):
    consent(world)
    referral(world, days_ago=40)
    client = signed_in(world.office_worker)
    with django_assert_num_queries(7) as first:
        client.get(reverse("support:referrals_open"))
    for days in range(31, 45):
        referral(world, days_ago=days)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("support:referrals_open")).status_code == 200


def test_the_api_lists_open_referrals_past_n_days(world):
    consent(world)
    old = referral(world, days_ago=40)
    recent = referral(world, days_ago=3)
    answer = api_get(world.office_worker, "/referrals", open_over_days=30)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["count"], [(i["id"], i["state"], i["age_days"]) for i in body["items"]]) == (
        1, [(old.pk, "accepted", 40)])
    assert api_get(world.entraide_worker, "/referrals", open_over_days=30, direction="received").json()["count"] == 1
    assert api_get(world.entraide_worker, "/referrals", open_over_days=30, direction="sent").json()["count"] == 0
    assert {i["id"] for i in api_get(world.office_worker, "/referrals").json()["items"]} == {old.pk, recent.pk}
    assert api_get(world.outsider_worker, "/referrals", open_over_days=30).json()["count"] == 0
    assert api_get(world.office_worker, "/referrals", open_over_days=0).status_code == 422
    assert api_get(world.office_worker, "/referrals", direction="both").status_code == 422


def test_expiry_is_computed_when_read_and_the_same_everywhere(world, settings):
    consent(world)
    unanswered = referral(world, days_ago=15, accept=False)
    assert unanswered.state == "sent" and unanswered.effective_state() == "expired"
    assert api_get(world.office_worker, f"/referrals/{unanswered.pk}").json()["state"] == "expired"
    assert api_get(world.office_worker, "/referrals").json()["items"][0]["state"] == "expired"
    assert "expirée (sans réponse)" in signed_in(world.entraide_worker).get(reverse("support:received")).content.decode()
    assert list(selectors.referrals_open_past(world.entraide_worker, direction="received", days=10)) == []
    # N is a setting, read at each request: a longer delay makes the same referral open again.
    settings.REFERRAL_ANSWER_DAYS = 20
    assert api_get(world.office_worker, f"/referrals/{unanswered.pk}").json()["state"] == "sent"
    assert [r.pk for r in selectors.referrals_open_past(world.entraide_worker, direction="received", days=10)] == [unanswered.pk]
    support.referral_accept(actor=world.entraide_worker, referral_id=unanswered.pk)
    assert Referral.objects.get(pk=unanswered.pk).state == "accepted"


def test_the_age_is_whole_days_elapsed_across_a_change_of_clocks_and_at_any_hour():
    # 23:20 in Montréal on November 27 (EST); sent 59 days and 23 hours earlier, before the clocks changed
    moment = datetime.datetime(2026, 11, 28, 4, 20, tzinfo=datetime.UTC)
    for elapsed, shown in ((datetime.timedelta(days=60), 60), (datetime.timedelta(days=59, hours=23), 59),
                           (datetime.timedelta(days=30, seconds=1), 30), (datetime.timedelta(hours=1), 0)):
        assert Referral(sent_at=moment - elapsed).age_days(moment) == shown
    assert Referral(sent_at=None).age_days(moment) is None
