"""Acts on the housing stock: buildings, unit groups, availability reports."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import Conflict, PermissionRefused, ValidationFailed, form_errors
from toitcommun.versioning import bound_for_update, expected_version, save_if_current

from . import bounds, rules
from .forms import AvailabilityForm, BuildingForm
from .models import AvailabilitySnapshot, Building, Clientele, UnitGroup
from .rollups import rollups_refresh
from .selectors import building_get


def _duplicate_site() -> ValidationFailed:
    return ValidationFailed({"name": [_("Ce propriétaire a déjà un site de ce nom dans cette municipalité.")]})


def building_create(*, actor: Any, data: dict[str, Any]) -> Building:
    """Add a building (site) to the stock of its owner."""
    form = BuildingForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    org, municipality = form.cleaned_data["organization"], form.cleaned_data["municipality"]
    if not rules.can_manage_stock_of(actor, org.pk, municipality):
        raise PermissionRefused(_("Vous ne pouvez pas ajouter un immeuble pour ce propriétaire."))
    building = form.save(commit=False)
    try:
        with transaction.atomic():
            # A building counts in the roll-ups from its first unit group on: nothing to recount yet.
            building.save()
            audit_record(actor=actor, action="building.create", instance=building, after=snapshot(building))
    except IntegrityError:
        raise _duplicate_site() from None
    return building


def building_update(*, actor: Any, building_id: Any, version: Any, data: dict[str, Any]) -> Building:
    """Change a building's record. Refused with VersionConflict if somebody saved it since ``version``."""
    building = building_get(building_id)
    if not rules.can_change_building(actor, building):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cet immeuble."))
    expected = expected_version(version)
    form = bound_for_update(BuildingForm, building, data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    new_org, new_municipality = form.cleaned_data["organization"], form.cleaned_data["municipality"]
    if (new_org.pk, new_municipality.pk) != (building.organization_id, building.municipality_id) and not (
        rules.can_manage_stock_of(actor, new_org.pk, new_municipality)
    ):
        raise PermissionRefused(_("Vous ne pouvez pas confier cet immeuble à ce propriétaire ou à ce territoire."))
    before = snapshot(building)
    values = {f: form.cleaned_data[f] for f in BuildingForm.Meta.fields}
    try:
        with transaction.atomic():
            moved_from = building.municipality_id
            building = save_if_current(Building, building.pk, expected, values, building_get)
            # Its municipality or its tenure may have changed: both places are recounted.
            rollups_refresh(municipality_ids=[moved_from, building.municipality_id])
            audit_record(actor=actor, action="building.update", instance=building, before=before,
                         after=snapshot(building))
    except IntegrityError:
        raise _duplicate_site() from None
    return building


def unit_group_set(*, actor: Any, building_id: Any, clientele: str, bedrooms: int, units: int,
                   adapted_units: int = 0) -> UnitGroup:
    """Set how many units of a clientele and bedroom count a building has."""
    building = building_get(building_id)
    if not rules.can_change_building(actor, building):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cet immeuble."))
    errors: dict[str, list[str]] = {}
    if clientele not in Clientele.values:
        errors["clientele"] = [_("Clientèle inconnue : choisissez aînés, familles ou personnes seules.")]
    if bedrooms not in bounds.BEDROOMS:
        errors["bedrooms"] = [_("Le nombre de chambres doit être entre %(min)s et %(max)s.") % {
            "min": bounds.BEDROOMS.minimum, "max": bounds.BEDROOMS.maximum}]
    if units not in bounds.UNITS:
        errors["units"] = [_("Le nombre de logements doit être entre %(min)s et %(max)s.") % {
            "min": bounds.UNITS.minimum, "max": bounds.UNITS.maximum}]
    if adapted_units not in bounds.ADAPTED_UNITS or (isinstance(units, int) and adapted_units > units):
        errors["adapted_units"] = [_("Les logements adaptés ne peuvent dépasser le nombre de logements.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        _lock(building)
        group = UnitGroup.objects.filter(building=building, clientele=clientele, bedrooms=bedrooms).first()
        before = snapshot(group)
        if group is None:
            group = UnitGroup(building=building, clientele=clientele, bedrooms=bedrooms)
        group.units, group.adapted_units = units, adapted_units
        group.save()
        rollups_refresh(municipality_ids=[building.municipality_id])
        audit_record(actor=actor, action="unit_group.set", instance=group, before=before, after=snapshot(group))
    return group


def availability_report(*, actor: Any, building_id: Any, data: dict[str, Any]) -> AvailabilitySnapshot:
    """Report a building's vacant units and waiting list for a clientele on a date.

    A second report for the same building, clientele and date replaces the first; the audit log keeps both.
    """
    building = building_get(building_id)
    if not rules.can_report_availability(actor, building):
        raise PermissionRefused(_("Vous ne pouvez pas signaler les disponibilités de cet immeuble."))
    form = AvailabilityForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    cleaned = form.cleaned_data
    if cleaned["as_of"] > timezone.localdate():
        raise ValidationFailed({"as_of": [_("La date ne peut pas être dans le futur.")]})
    offered = sum(g.units for g in building.unit_groups.filter(clientele=cleaned["clientele"]))
    if not offered:
        raise ValidationFailed({"clientele": [_("Cet immeuble n'a aucun logement pour cette clientèle.")]})
    if cleaned["vacant_units"] > offered:
        raise ValidationFailed({"vacant_units": [
            _("Il y a %(n)s logements pour cette clientèle : pas plus de vacants.") % {"n": offered}
        ]})
    try:
        with transaction.atomic():
            # Reports for one building wait for each other: the second finds the first's row and replaces it.
            _lock(building)
            snap = AvailabilitySnapshot.objects.filter(
                building=building, clientele=cleaned["clientele"], as_of=cleaned["as_of"]
            ).first()
            before = snapshot(snap)
            if snap is None:
                snap = AvailabilitySnapshot(building=building, clientele=cleaned["clientele"], as_of=cleaned["as_of"])
            snap.vacant_units, snap.waiting_list = cleaned["vacant_units"], cleaned["waiting_list"]
            snap.reported_by = actor
            snap.reported_by_label = actor.get_full_name() or actor.get_username()
            snap.save()
            rollups_refresh(municipality_ids=[building.municipality_id])
            audit_record(actor=actor, action="availability.report", instance=snap, before=before,
                         after=snapshot(snap))
    except IntegrityError:
        # Only a write that bypasses the lock (another tool on the database) can still get here.
        raise Conflict({"as_of": [
            _("Un autre signalement pour cette clientèle à cette date vient d'être enregistré : relisez-le puis "
              "recommencez.")
        ]}) from None
    return snap


def _lock(building: Building) -> None:
    """Hold the building's row until the transaction ends, so that upserts on its rows take turns."""
    Building.objects.select_for_update().filter(pk=building.pk).values_list("pk", flat=True).first()
