"""The support pages, as a worker of the housing office and a partner's worker see them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.people.world import consent, intervention, today
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry, Consent, Person
from toitcommun.support import services as support
from toitcommun.support.models import Intervention, Referral


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_worker_registers_a_tenant_and_sees_a_possible_duplicate(world):
    client = signed_in(world.office_worker)
    answer = client.post(reverse("people:register"), {"first_name": "Fictive", "last_name": "Tremblay-Test",
                                                      "building": world.building.pk, "phone": ""}, follow=True)
    assert answer.status_code == 200
    assert "Doublon possible" in answer.content.decode()
    assert Person.objects.count() == 2


def test_the_register_form_keeps_what_was_typed_and_explains(world):
    answer = signed_in(world.office_worker).post(reverse("people:register"),
                                                 {"first_name": "", "last_name": "Gardé-Test", "phone": "abc"})
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Gardé-Test" in text and "Entrez un numéro de téléphone valide" in text and "obligatoire" in text


def test_the_person_page_says_who_may_see_what_until_when(world):
    consent(world, starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 12, 31))
    text = signed_in(world.office_worker).get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Du 5 janvier 2026 au 31 décembre 2026" in text
    assert "Entraide Fictive (test)" in text and "peut voir" in text, text[text.find('Qui peut'):text.find('Qui peut')+800]


def test_a_partner_sees_the_summary_while_the_consent_stands_and_404_after(world):
    given = consent(world)
    intervention(world, summary="Résumé visible", notes="Note cachée")
    partner = signed_in(world.entraide_worker)
    url = reverse("people:detail", args=[world.person.pk])
    text = partner.get(url).content.decode()
    assert "Résumé visible" in text and "Note cachée" not in text
    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")
    assert partner.get(url).status_code == 404
    assert "Tremblay" not in partner.get(reverse("people:list")).content.decode()


@pytest.mark.parametrize("role", ["researcher", "coordinator", "nobody"])
def test_roles_without_tenants_are_refused_the_pages(world, role):
    client = signed_in(getattr(world, role))
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("support:caseload")).status_code == 403


def test_consent_form_refuses_a_verbal_consent_witnessed_by_its_recorder(world):
    answer = signed_in(world.office_worker).post(reverse("people:consent_add", args=[world.person.pk]), {
        "receiving_organizations": [world.entraide.pk], "categories": ["identity"], "purpose": "Suivi",
        "given_by": "person", "method": "verbal", "witness_name": world.office_worker.get_full_name(),
        "starts_on": today().isoformat(), "ends_on": (today() + datetime.timedelta(days=30)).isoformat()})
    assert answer.status_code == 200
    assert "ne peut pas être la personne qui le consigne" in answer.content.decode()
    assert not Consent.objects.exists()


def test_consent_is_recorded_printed_and_revoked_from_the_pages(world):
    client = signed_in(world.office_worker)
    answer = client.post(reverse("people:consent_add", args=[world.person.pk]), {
        "receiving_organizations": [world.entraide.pk], "categories": ["identity", "notes"], "purpose": "Suivi",
        "given_by": "person", "method": "signed",
        "starts_on": today().isoformat(), "ends_on": (today() + datetime.timedelta(days=30)).isoformat()},
        follow=True)
    consent_row = Consent.objects.get()
    assert "Entraide Fictive (test)" in answer.content.decode()
    assert AccessLogEntry.objects.filter(action="print", record_id=consent_row.pk).count() == 1
    client.post(reverse("people:consent_revoke", args=[consent_row.pk]), {"method": "verbal"})
    assert Consent.objects.get().revoked_at is not None


def test_intervention_and_referral_from_the_pages(world):
    consent(world)
    client = signed_in(world.office_worker)
    add = reverse("support:intervention_add") + f"?personne={world.person.pk}"
    answer = client.post(add, {"category": "crisis", "date": today().isoformat(), "duration_minutes": "40",
                               "summary": "Soutien", "follow_up_on": (today() + datetime.timedelta(days=2))})
    assert answer.status_code == 302
    assert Intervention.objects.get().category == "crisis"
    answer = client.post(reverse("support:referral_add") + f"?personne={world.person.pk}",
                         {"service": str(world.entraide_service.pk), "reason": "Accompagnement"})
    referral = Referral.objects.get()
    assert answer.status_code == 302
    client.post(reverse("support:referral_act", args=[referral.pk, "envoyer"]))
    assert Referral.objects.get().state == "sent"
    assert client.post(reverse("support:referral_act", args=[referral.pk, "accepter"])).status_code == 403
    partner = signed_in(world.entraide_worker)
    assert "Accompagnement fictif" in partner.get(reverse("support:received")).content.decode()
    partner.post(reverse("support:referral_act", args=[referral.pk, "accepter"]))
    partner.post(reverse("support:referral_act", args=[referral.pk, "fermer"]), {"outcome": "service_received"})
    assert Referral.objects.get().state == "closed"
    text = client.get(reverse("support:referral", args=[referral.pk])).content.decode()
    assert "service reçu" in text


def test_sending_without_consent_shows_why(world):
    referral = support.referral_create(actor=world.office_worker, person_id=world.person.pk,
                                       service_id=world.entraide_service.pk, reason="Aide")
    answer = signed_in(world.office_worker).post(reverse("support:referral_act", args=[referral.pk, "envoyer"]))
    assert answer.status_code == 422
    assert "Aucun consentement actif" in answer.content.decode()


def test_the_caseload_shows_follow_ups_and_recent_interventions(world):
    intervention(world, category="outreach", follow_up_on=today())
    intervention(world, date=today() - datetime.timedelta(days=20), follow_up_on=today() - datetime.timedelta(days=5))
    text = signed_in(world.office_worker).get(reverse("support:caseload")).content.decode()
    assert "Visite de proximité" in text and "Suivis en retard" in text and "Tremblay-Test" in text


def _register(world, n):
    for i in range(n):
        people.person_register(actor=world.office_worker, first_name=f"Fictif{i}", last_name="Compte-Test")


def test_the_people_list_answers_in_constant_queries(world, django_assert_num_queries):
    client = signed_in(world.office_worker)
    client.get(reverse("people:list"))
    _register(world, 3)
    with django_assert_num_queries(8) as first:
        client.get(reverse("people:list"))
    _register(world, 30)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("people:list")).status_code == 200


def test_the_caseload_answers_in_constant_queries(world, django_assert_num_queries):
    client = signed_in(world.office_worker)
    intervention(world, follow_up_on=today())
    with django_assert_num_queries(14) as first:
        client.get(reverse("support:caseload"))
    for _i in range(15):
        intervention(world, follow_up_on=today())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("support:caseload"))


def test_one_page_view_of_a_person_writes_exactly_one_access_log_row_carrying_its_consent(world):
    given = consent(world)
    intervention(world)
    client = signed_in(world.entraide_worker)
    before = AccessLogEntry.objects.count()
    assert client.get(reverse("people:detail", args=[world.person.pk])).status_code == 200
    rows = list(AccessLogEntry.objects.order_by("-id")[:AccessLogEntry.objects.count() - before])
    assert [(r.record_type, r.action, r.basis, r.consent_id, r.outcome) for r in rows] == [
        ("person", "view", "consent", given.pk, "allowed")]


def test_the_person_page_answers_in_constant_queries(world, django_assert_num_queries,
                                                    django_assert_max_num_queries):
    consent(world)
    client = signed_in(world.office_worker)
    url = reverse("people:detail", args=[world.person.pk])
    intervention(world, follow_up_on=today())
    client.get(url)
    with django_assert_max_num_queries(24) as first:  # 22 on SQLite: person, access, consents, page, count, referrals, log…
        client.get(url)
    for i in range(25):
        intervention(world, category="crisis" if i % 2 else "welcome")
        support.referral_create(actor=world.office_worker, person_id=world.person.pk,
                                service_id=world.entraide_service.pk, reason="Motif fictif")
    consent(world, receivers=[world.cisss])
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_caseload_reads_no_summary_or_note(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    intervention(world, follow_up_on=today(), summary="Résumé fictif", notes="Note fictive")
    client = signed_in(world.office_worker)
    with CaptureQueriesContext(connection) as seen:
        text = client.get(reverse("support:caseload")).content.decode()
    assert "Tremblay-Test" in text
    intervention_reads = [q["sql"] for q in seen.captured_queries if 'FROM "support_intervention"' in q["sql"]]
    assert intervention_reads
    assert not any('"summary"' in sql or '"notes"' in sql for sql in intervention_reads)


def test_the_access_log_insert_names_every_column_of_the_table():
    from toitcommun.people.models import AccessLogEntry
    from toitcommun.people.selectors import _LOG_COLUMNS

    assert list(_LOG_COLUMNS) == [f.column for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]


def test_a_follow_up_that_is_also_a_recent_intervention_names_its_person_in_both_lists(world):
    # Due this week and recent at once: the two lists hold two instances of it, and each must name the person.
    intervention(world, follow_up_on=today())
    text = signed_in(world.office_worker).get(reverse("support:caseload")).content.decode()
    due = text.split('id="h-due"')[1].split("</section>")[0]
    recent = text.split('id="h-recent"')[1].split("</section>")[0]
    name = f"{world.person.first_name} {world.person.last_name}"
    assert name in due and name in recent
