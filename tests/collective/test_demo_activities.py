"""The demo's activities, the Carré famille Saint-Maurice project and the table's plan."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from toitcommun.collective.activity_selectors import participation
from toitcommun.collective.activity_services import participation_kept, participation_recount
from toitcommun.collective.models import Activity, CollectiveProject
from toitcommun.territory.selectors import territory_get

pytestmark = pytest.mark.django_db


def test_the_grand_rassemblement_and_its_preparatory_meeting_as_published(demo):
    gathering = Activity.objects.get(title="Grand rassemblement régional")
    assert gathering.municipality.name == "Scott"
    assert gathering.starts_at.date() == datetime.date(2015, 10, 23)
    assert gathering.tenants_attending == 10 and not gathering.is_illustrative
    assert Activity.objects.get(title="Rencontre préparatoire au Grand rassemblement").tenants_attending == 7
    hot_dog = Activity.objects.get(title="Fête hot-dog des locataires")
    assert hot_dog.organized_by_tenants and hot_dog.tenants_attending == 15


def test_the_carre_famille_project_serves_the_agreement_objectives(demo):
    project = CollectiveProject.objects.get(name="Carré famille Saint-Maurice")
    assert project.participants_count == 30
    assert 8 in {o.number for o in project.objectives.all()}
    assert project.activities.get().attendance_total == 30


def test_loading_twice_changes_nothing_and_the_tallies_equal_a_recount(demo):
    before = Activity.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Activity.objects.count() == before
    assert participation_kept() == participation_recount()
    assert participation(territory_get("12"), 2015)["activities"] == before
    assert participation(territory_get("310"), 2015)["tenant_organized_activities"] == 3
