"""Existing interventions get the territory codes of where they happened, and the monthly roll-ups
are counted from them (the same rule as support.services.intervention_place and rollups.recount)."""

from collections import defaultdict

from django.db import migrations


def fill(apps, schema_editor):
    Intervention = apps.get_model("support", "Intervention")
    InterventionMonthly = apps.get_model("support", "InterventionMonthly")
    Building = apps.get_model("housing", "Building")
    Person = apps.get_model("people", "Person")
    through = Intervention.persons.through
    places = {pk: (m, r, g) for pk, m, r, g in Building.objects.values_list(
        "pk", "municipality__code", "municipality__mrc__code", "municipality__mrc__region__code")}
    persons_of = defaultdict(list)
    for intervention_id, person_id in through.objects.order_by("id").values_list("intervention_id", "person_id"):
        persons_of[intervention_id].append(person_id)
    person_building = dict(Person.objects.exclude(building_id=None).values_list("pk", "building_id"))
    figures = defaultdict(lambda: [0, 0, 0])
    for intervention in Intervention.objects.select_related("household").order_by("id").iterator(chunk_size=2000):
        building_id = intervention.building_id
        if building_id is None and intervention.household_id and intervention.household.building_id:
            building_id = intervention.household.building_id
        if building_id is None:
            building_id = next((person_building[p] for p in persons_of[intervention.pk] if p in person_building),
                               None)
        municipality, mrc, region = places.get(building_id, ("", "", ""))
        if (municipality, mrc, region) != ("", "", ""):
            Intervention.objects.filter(pk=intervention.pk).update(
                municipality_code=municipality, mrc_code=mrc, region_code=region)
        cell = figures[(intervention.organization_id, region, mrc, intervention.category,
                        intervention.date.replace(day=1))]
        cell[0] += 1
        cell[1] += intervention.duration_minutes
        cell[2] += len(persons_of[intervention.pk])
    InterventionMonthly.objects.all().delete()
    InterventionMonthly.objects.bulk_create([
        InterventionMonthly(organization_id=org, region_code=region, mrc_code=mrc, category=category, month=month,
                            interventions=n, minutes=minutes, participants=participants)
        for (org, region, mrc, category, month), (n, minutes, participants) in figures.items()], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0003_intervention_territory_monthly_rollups"),
        ("housing", "0002_report_bounds_in_one_place"),
        ("people", "0002_access_log_append_only"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
