"""The monthly roll-ups of interventions equal a recount after any sequence of writes, and carry the
territory where each intervention happened."""

from __future__ import annotations

import datetime
import random

import pytest

from tests.factories import BuildingFactory, municipality
from tests.people.world import consent, intervention, today
from toitcommun.errors import ValidationFailed
from toitcommun.people import services as people
from toitcommun.support import rollups
from toitcommun.support import services as support
from toitcommun.support.models import Intervention, InterventionMonthly

CATEGORIES = ["welcome", "referral", "accompaniment", "conflict", "crisis", "committee_support",
              "community_organizing", "outreach"]


def test_an_intervention_carries_the_territory_of_the_persons_building(world):
    done = intervention(world)
    place = municipality("31084")
    assert (done.municipality_code, done.mrc_code, done.region_code) == (place.code, place.mrc.code,
                                                                         place.mrc.region.code)


def test_a_collective_intervention_in_a_building_carries_that_buildings_territory(world):
    elsewhere = BuildingFactory(organization=world.office, municipality=municipality("66023"))
    done = support.intervention_record(actor=world.office_worker, person_ids=[world.person.pk], category="welcome",
                                       date=today(), duration_minutes=60, summary="Fête des voisins fictive",
                                       building_id=elsewhere.pk)
    assert (done.municipality_code, done.mrc_code) == ("66023", municipality("66023").mrc.code)


def test_the_intervention_stays_where_it_happened_when_the_person_moves(world):
    done = intervention(world)
    moved_to = BuildingFactory(organization=world.office, municipality=municipality("66023"))
    world.person.building = moved_to
    world.person.save(update_fields=["building"])
    later = intervention(world)
    done.refresh_from_db()
    assert done.municipality_code == "31084" and later.municipality_code == "66023"
    assert rollups.kept() == rollups.recount()


def test_an_intervention_without_a_known_place_counts_under_a_blank_mrc(world):
    homeless, _dups = people.person_register(actor=world.office_worker, first_name="Fictif",
                                             last_name="Sans-Adresse-Test")
    done = intervention(world, person=homeless, category="outreach")
    assert (done.municipality_code, done.mrc_code, done.region_code) == ("", "", "")
    row = InterventionMonthly.objects.get(mrc_code="")
    assert (row.category, row.interventions, row.minutes, row.participants) == ("outreach", 1, 30, 1)


def test_recording_counts_the_intervention_its_minutes_and_its_persons_in_its_month(world):
    other, _dups = people.person_register(actor=world.office_worker, first_name="Fictif", last_name="Voisin-Test",
                                          building_id=world.building.pk)
    support.intervention_record(actor=world.office_worker, person_ids=[world.person.pk, other.pk],
                                category="conflict", date=today(), duration_minutes=45, summary="Médiation fictive")
    intervention(world, category="conflict")
    row = InterventionMonthly.objects.get()
    mrc = municipality("31084").mrc.code
    assert (row.organization_id, row.mrc_code, row.category, row.month) == (
        world.office.pk, mrc, "conflict", today().replace(day=1))
    assert (row.interventions, row.minutes, row.participants) == (2, 75, 3)


def test_a_refused_recording_counts_nothing(world):
    with pytest.raises(ValidationFailed):
        intervention(world, category="not-a-category")
    assert not InterventionMonthly.objects.exists()
    assert rollups.kept() == rollups.recount() == {}


def test_a_merge_of_two_persons_named_on_one_intervention_counts_one_person_fewer(world):
    twin, _dups = people.person_register(actor=world.office_worker, first_name="Fictive", last_name="Tremblay-Test",
                                         building_id=world.building.pk)
    support.intervention_record(actor=world.office_worker, person_ids=[world.person.pk, twin.pk],
                                category="welcome", date=today(), duration_minutes=30, summary="Accueil fictif")
    assert InterventionMonthly.objects.get().participants == 2
    people.person_merge(actor=world.office_worker, keep_id=world.person.pk, merge_id=twin.pk)
    assert InterventionMonthly.objects.get().participants == 1
    assert rollups.kept() == rollups.recount()


def test_destroying_an_intervention_through_rollup_remove_uncounts_it(world):
    first = intervention(world, category="crisis")
    intervention(world, category="welcome")
    rollups.rollup_remove(first)
    first.delete()
    assert rollups.kept() == rollups.recount()
    assert list(InterventionMonthly.objects.values_list("category", flat=True)) == ["welcome"]


def test_the_rollups_equal_a_recount_after_a_long_random_sequence_of_writes(world):
    """Seeded: record (individual, collective, household-less group, in another building), merge, destroy."""
    rng = random.Random(8)
    places = [world.building, BuildingFactory(organization=world.office, municipality=municipality("66023")),
              BuildingFactory(organization=world.office, municipality=municipality("23027"))]
    persons = [world.person]
    for i in range(12):
        person, _dups = people.person_register(actor=world.office_worker, first_name="Fictif", last_name=f"Suite{i}-Test",
                                               building_id=rng.choice(places).pk if rng.random() < 0.8 else None)
        persons.append(person)
    consent(world, receivers=[world.entraide], categories=["identity", "interventions"], person=world.person)
    for _step in range(150):
        act = rng.random()
        live = [p for p in persons if p.merged_into_id is None]
        if act < 0.6:
            worker = world.office_worker if rng.random() < 0.85 else world.entraide_worker
            named = [world.person] if worker is world.entraide_worker else rng.sample(live, rng.randint(1, 3))
            support.intervention_record(
                actor=worker, person_ids=[p.pk for p in named], category=rng.choice(CATEGORIES),
                date=today() - datetime.timedelta(days=rng.randint(0, 800)), duration_minutes=rng.randint(5, 240),
                summary="Résumé fictif", building_id=rng.choice(places).pk if rng.random() < 0.2 else None,
                group_label="Groupe fictif" if rng.random() < 0.1 else "")
        elif act < 0.75:
            support.intervention_record(
                actor=world.office_worker, person_ids=[], category="community_organizing",
                date=today() - datetime.timedelta(days=rng.randint(0, 400)), duration_minutes=90,
                summary="Assemblée fictive", building_id=rng.choice(places).pk)
        elif act < 0.85 and len(live) > 3:
            keep, merge = rng.sample([p for p in live if p is not world.person], 2)
            people.person_merge(actor=world.office_worker, keep_id=keep.pk, merge_id=merge.pk)
            merge.refresh_from_db()
        else:
            victim = Intervention.objects.order_by("?").first()
            if victim is not None:
                rollups.rollup_remove(victim)
                victim.delete()
        if _step % 25 == 0:
            assert rollups.kept() == rollups.recount()
    assert rollups.kept() == rollups.recount()
    assert Intervention.objects.count() > 50 and Intervention.persons.through.objects.count() > 50
    mrcs = {place.municipality.mrc.code for place in places}
    assert len(mrcs) == 3 and mrcs <= {k[2] for k in rollups.kept()}


def test_rebuilding_gives_back_the_kept_rollups(world):
    for category in CATEGORIES[:3]:
        intervention(world, category=category)
    before = rollups.kept()
    InterventionMonthly.objects.update(interventions=99)
    assert rollups.rollups_rebuild() == 3
    assert rollups.kept() == before == rollups.recount()


def test_the_year_by_category_and_mrc_reads_the_rollups_for_all_or_one_organization(world):
    consent(world, receivers=[world.entraide], categories=["identity", "interventions"])
    intervention(world, category="welcome")
    intervention(world, category="welcome")
    intervention(world, category="crisis", actor=world.entraide_worker)
    intervention(world, category="crisis", date=today().replace(year=today().year - 1))
    mrc = municipality("31084").mrc.code
    year = today().year
    assert rollups.interventions_by_category_and_mrc(year) == [
        {"mrc_code": mrc, "category": "crisis", "interventions": 1, "minutes": 30, "participants": 1},
        {"mrc_code": mrc, "category": "welcome", "interventions": 2, "minutes": 60, "participants": 2}]
    assert rollups.interventions_by_category_and_mrc(year, organization=world.entraide) == [
        {"mrc_code": mrc, "category": "crisis", "interventions": 1, "minutes": 30, "participants": 1}]
    assert rollups.interventions_by_category_and_mrc(year - 1, organization=world.office.pk)[0]["category"] == "crisis"
    assert rollups.interventions_by_category_and_mrc(year - 5) == []
