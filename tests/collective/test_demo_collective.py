"""The demo's collective life: the published facts, loaded once however often the demo loads."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from toitcommun.collective.models import Group, Mandate, Meeting, Minutes, Recommendation

pytestmark = pytest.mark.django_db


def test_the_founding_assembly_had_30_residents_and_elected_11(demo):
    founding = Meeting.objects.get(title="Assemblée de fondation")
    assert founding.starts_at.astimezone().date().isoformat() == "2015-11-04"
    assert founding.counted_tenants == 30
    election = founding.decisions.get(number=2)
    assert election.elected_mandates.count() == 11
    assert founding.minutes_versions.get().state == "published"


def test_the_table_has_its_members_and_met_five_times_and_loading_twice_changes_nothing(demo):
    table = Group.objects.get(kind="local_table")
    assert table.mandates.filter(holder_kind="organization").count() == 12
    assert table.meetings.filter(state="held").count() == 5
    counts = (Group.objects.count(), Mandate.objects.count(), Meeting.objects.count(), Minutes.objects.count(),
              Recommendation.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (Group.objects.count(), Mandate.objects.count(), Meeting.objects.count(),
                      Minutes.objects.count(), Recommendation.objects.count())
    assert all(d.quorum_reached for m in table.meetings.all() for d in m.decisions.all())
