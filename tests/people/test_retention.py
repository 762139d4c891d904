"""Retention: what is due is destroyed, what is not is kept, the fact is recorded, a second run does nothing.

A world of its own, dated years back: the rules count from the last intervention, the referral's last
step, the person's last activity and the consent's end, so the records are written at old dates.
"""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import RoleFactory, UserFactory
from tests.people.world import consent, intervention
from toitcommun.access.models import AuditEvent, Role
from toitcommun.people import services as people
from toitcommun.people.models import ConsentScan, DestructionRecord, Person
from toitcommun.people.models_duties import RecordIsKept
from toitcommun.people.privacy import destructions_page
from toitcommun.support import services as support
from toitcommun.support.models import Intervention, Referral, ReferralEvent
from toitcommun.support.retention import retention_apply

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
PDF = b"%PDF-1.4\n% signed form (fictional)\n"


@pytest.fixture
def old(world: Any) -> SimpleNamespace:
    """Old records due for destruction on TODAY, and recent ones that are not."""
    o = SimpleNamespace()
    # A person followed until 2020 only: notes (2 y), summaries (5 y) and contact (3 y) are due.
    o.gone, _dups = people.person_register(actor=world.office_worker, first_name="Ancienne", last_name="Partie-Test",
                                          phone="418 555-0190", building_id=world.building.pk)
    Person.objects.filter(pk=o.gone.pk).update(created_at=datetime.datetime(2019, 1, 5, tzinfo=datetime.UTC))
    o.old_consent = consent(world, person=o.gone, starts_on=datetime.date(2020, 1, 10),
                            ends_on=datetime.date(2020, 6, 30))
    people.consent_scan_attach(actor=world.office_worker, consent_id=o.old_consent.pk,
                               upload=SimpleUploadedFile("f.pdf", PDF))
    o.gone_intervention = intervention(world, person=o.gone, date=datetime.date(2020, 3, 1),
                                       summary="Résumé ancien", notes="Note ancienne")
    o.referral = support.referral_create(actor=world.office_worker, person_id=o.gone.pk,
                                         service_id=world.entraide_service.pk, reason="Motif ancien")
    support.referral_withdraw(actor=world.office_worker, referral_id=o.referral.pk, reason="Plus nécessaire")
    Referral.objects.filter(pk=o.referral.pk).update(created_at=datetime.datetime(2020, 3, 2, tzinfo=datetime.UTC))
    ReferralEvent.objects.filter(referral=o.referral).update(at=datetime.datetime(2020, 3, 2, tzinfo=datetime.UTC))
    # The world's person: an old note, but followed again last month: nothing of theirs is due
    # except nothing (the last intervention counts for every one of theirs).
    o.kept_old = intervention(world, date=datetime.date(2023, 1, 10), summary="Résumé gardé", notes="Note gardée")
    o.recent = intervention(world, date=datetime.date(2026, 5, 1), summary="Résumé récent", notes="Note récente")
    # A person followed until mid-2023: the notes (2 y) are due, the summary (5 y) not yet.
    o.middle, _dups = people.person_register(actor=world.office_worker, first_name="Milieu", last_name="Test",
                                            phone="418 555-0191")
    o.middle_intervention = intervention(world, person=o.middle, date=datetime.date(2023, 6, 1),
                                         summary="Résumé du milieu", notes="Note du milieu")
    return o


def test_what_is_due_is_destroyed_and_what_is_not_is_kept(world, old):
    report = retention_apply(today=TODAY)
    gone = Intervention.objects.get(pk=old.gone_intervention.pk)
    assert (gone.summary, gone.notes) == ("", "")
    middle = Intervention.objects.get(pk=old.middle_intervention.pk)
    assert (middle.summary, middle.notes) == ("Résumé du milieu", "")
    for kept in (old.kept_old, old.recent):
        row = Intervention.objects.get(pk=kept.pk)
        assert row.summary and row.notes  # the person was followed last month
    person = Person.objects.get(pk=old.gone.pk)
    assert (person.phone, person.phone_key, person.first_name) == ("", "", "Ancienne")
    assert Person.objects.get(pk=world.person.pk).phone == "418 555-0101"
    assert Person.objects.get(pk=old.middle.pk).phone == "418 555-0191"
    referral = Referral.objects.get(pk=old.referral.pk)
    assert referral.reason == "" and not referral.events.exclude(reason="").exists()
    assert not ConsentScan.objects.filter(consent=old.old_consent).exists()
    assert report.by_category() == {"notes": 2, "summaries": 1, "referral_reasons": 1, "contact": 1,
                                    "consent_scans": 1}


def test_the_fact_of_each_destruction_is_kept_without_content(world, old):
    report = retention_apply(today=TODAY)
    facts = {(f.category, f.record_type, f.record_id) for f in DestructionRecord.objects.all()}
    assert facts == {
        ("notes", "intervention", old.gone_intervention.pk), ("notes", "intervention", old.middle_intervention.pk),
        ("summaries", "intervention", old.gone_intervention.pk), ("referral_reasons", "referral", old.referral.pk),
        ("contact", "person", old.gone.pk), ("consent_scans", "consent", old.old_consent.pk)}
    fact = DestructionRecord.objects.get(category="notes", record_id=old.gone_intervention.pk)
    assert (fact.organization_id, fact.person_id, fact.counted_from, fact.applied_on, fact.run) == (
        world.office.pk, old.gone.pk, datetime.date(2020, 3, 1), TODAY, report.run)
    assert "2 an(s)" in fact.rule
    every_value = " ".join(str(v) for f in DestructionRecord.objects.values() for v in f.values())
    assert "ancien" not in every_value.lower() and "555-01" not in every_value
    event = AuditEvent.objects.filter(action="retention.apply").get()
    assert event.after["destroyed"]["notes"] == 2


def test_a_second_run_destroys_nothing_and_a_dry_run_changes_nothing(world, old):
    dry = retention_apply(today=TODAY, dry_run=True)
    assert dry.total == 6 and DestructionRecord.objects.count() == 0
    assert Intervention.objects.get(pk=old.gone_intervention.pk).notes == "Note ancienne"
    first = retention_apply(today=TODAY)
    second = retention_apply(today=TODAY)
    assert (first.total, second.total) == (6, 0)
    assert DestructionRecord.objects.count() == 6
    assert AuditEvent.objects.filter(action="retention.apply").count() == 1


def test_the_command_prints_counts_per_category_and_organization_never_content(world, old):
    out = io.StringIO()
    call_command("apply_retention", "--today", "2026-06-01", "--dry-run", stdout=out)
    assert "simulation" in out.getvalue() and DestructionRecord.objects.count() == 0
    out = io.StringIO()
    call_command("apply_retention", "--today", "2026-06-01", stdout=out)
    report = out.getvalue()
    lines = {tuple(line.split("\t")[::3]) for line in report.splitlines() if "\t" in line}
    assert ("  notes", "2") in lines and ("  contact", "1") in lines
    assert "OMH de Fictiville (test)" in report and "Total : 6" in report
    assert "Ancienne" not in report and "Note" not in report and "555-01" not in report
    again = io.StringIO()
    call_command("apply_retention", "--today", "2026-06-01", stdout=again)
    assert "Total : 0" in again.getvalue()
    with pytest.raises(CommandError):
        call_command("apply_retention", "--today", "2026-13-45")


def test_a_fact_of_destruction_cannot_be_changed_or_removed(world, old):
    retention_apply(today=TODAY)
    fact = DestructionRecord.objects.first()
    with pytest.raises(RecordIsKept):
        fact.save()
    with pytest.raises(RecordIsKept):
        DestructionRecord.objects.all().delete()
    with pytest.raises(RecordIsKept):
        DestructionRecord.objects.update(rule="")


def test_the_privacy_officer_lists_her_organizations_facts_only(world, old, client):
    retention_apply(today=TODAY)
    officer = RoleFactory(user=UserFactory(username="rprp-conservation"), role=Role.PRIVACY_OFFICER,
                          organization=world.office).user
    assert destructions_page(officer).paginator.count == 6
    other = RoleFactory(user=UserFactory(username="rprp-ailleurs"), role=Role.PRIVACY_OFFICER,
                        organization=world.outsider).user
    assert destructions_page(other).paginator.count == 0
    client.force_login(officer)
    page = client.get("/personnes/destructions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"intervention #{old.gone_intervention.pk}" in text and "Ancienne" not in text
    client.force_login(world.office_worker)
    assert client.get("/personnes/destructions/").status_code == 403
