"""Writing an import: match every row to what is stored, then create and change in bulk, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record_many, snapshot
from toitcommun.organizations.models import Organization, OrganizationKind

from ..models import AvailabilitySnapshot, Building, Tenure, UnitGroup
from ..rollups import rollups_refresh
from .checking import Line

NAMES_SHOWN = 20
# Records written (and audit events sealed) between two reports of progress.
CHUNK = 2000
Progress = Callable[[float], None]

KIND_FOR_TENURE = {
    Tenure.HLM: OrganizationKind.HOUSING_OFFICE,
    Tenure.COOP: OrganizationKind.HOUSING_COOP,
    Tenure.OBNL: OrganizationKind.HOUSING_NONPROFIT,
}


@dataclass
class ImportSummary:
    """What an import created and changed. With ``dry_run``, what it would have."""

    rows: int = 0
    organizations_created: list[str] = field(default_factory=list)
    buildings_created: int = 0
    buildings_updated: int = 0
    unit_groups_created: int = 0
    unit_groups_updated: int = 0
    snapshots_created: int = 0
    snapshots_updated: int = 0
    unchanged_rows: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.organizations_created or self.buildings_created or self.buildings_updated
            or self.unit_groups_created or self.unit_groups_updated
            or self.snapshots_created or self.snapshots_updated
        )

    def lines(self) -> list[str]:
        """The summary as short sentences in the active language, for a page or a terminal."""
        if self.organizations_created:
            names = ", ".join(self.organizations_created[:NAMES_SHOWN])
            if len(self.organizations_created) > NAMES_SHOWN:
                names = _("%(names)s et %(more)s autres") % {
                    "names": names, "more": len(self.organizations_created) - NAMES_SHOWN,
                }
            orgs = _("Organisations créées : %(count)s (%(names)s)") % {
                "count": len(self.organizations_created), "names": names,
            }
        else:
            orgs = _("Organisations créées : aucune")
        lines = [
            _("Lignes lues : %(rows)s, dont %(unchanged)s inchangées") % {
                "rows": self.rows, "unchanged": self.unchanged_rows,
            },
            orgs,
            _("Immeubles : %(created)s créés, %(updated)s mis à jour") % {
                "created": self.buildings_created, "updated": self.buildings_updated,
            },
            _("Groupes de logements : %(created)s créés, %(updated)s mis à jour") % {
                "created": self.unit_groups_created, "updated": self.unit_groups_updated,
            },
            _("Disponibilités : %(created)s créées, %(updated)s mises à jour") % {
                "created": self.snapshots_created, "updated": self.snapshots_updated,
            },
        ]
        if not self.changed:
            lines.append(_("Rien n'a changé : la base contenait déjà ces données."))
        if self.dry_run:
            lines.append(_("Simulation : rien n'a été enregistré."))
        return lines


@dataclass
class Stored:
    """The records the file's rows may match, read once."""

    organizations: dict[str, Organization]
    buildings: dict[tuple[int, int, str], Building] = field(default_factory=dict)
    unit_groups: dict[tuple[int, str, int], UnitGroup] = field(default_factory=dict)
    snapshots: dict[tuple[int, str, datetime.date], AvailabilitySnapshot] = field(default_factory=dict)

    def building_for(self, line: Line) -> Building | None:
        org = self.organizations.get(line.organization_key)
        if org is None:
            return None
        return self.buildings.get((org.pk, line.municipality.pk, line.site))


def read_stored(lines: list[Line]) -> Stored:
    keys = {line.organization_key for line in lines}
    stored = Stored(organizations={o.name_key: o for o in Organization.objects.filter(name_key__in=keys)})
    org_ids = [o.pk for o in stored.organizations.values()]
    municipality_ids = {line.municipality.pk for line in lines}
    if not org_ids:
        return stored
    scope = {"organization_id__in": org_ids, "municipality_id__in": municipality_ids}
    buildings = Building.objects.select_for_update().filter(**scope)
    stored.buildings = {(b.organization_id, b.municipality_id, b.name): b for b in buildings}
    by_id = {b.pk: b for b in stored.buildings.values()}
    related = {f"building__{k}": v for k, v in scope.items()}
    for group in UnitGroup.objects.select_for_update().filter(**related):
        group.building = by_id[group.building_id]
        stored.unit_groups[(group.building_id, group.clientele, group.bedrooms)] = group
    dates = {line.as_of for line in lines if line.as_of is not None}
    if dates:
        for snap in AvailabilitySnapshot.objects.select_for_update().filter(as_of__in=dates, **related):
            snap.building = by_id[snap.building_id]
            stored.snapshots[(snap.building_id, snap.clientele, snap.as_of)] = snap
    return stored


@dataclass
class Plan:
    organizations: list[Organization] = field(default_factory=list)
    new_buildings: list[Building] = field(default_factory=list)
    changed_buildings: list[tuple[Building, dict[str, Any] | None]] = field(default_factory=list)
    new_groups: list[UnitGroup] = field(default_factory=list)
    changed_groups: list[tuple[UnitGroup, dict[str, Any] | None]] = field(default_factory=list)
    new_snapshots: list[AvailabilitySnapshot] = field(default_factory=list)
    changed_snapshots: list[tuple[AvailabilitySnapshot, dict[str, Any] | None]] = field(default_factory=list)
    unchanged_rows: int = 0


def make_plan(lines: list[Line], stored: Stored, reporter: Any, reporter_label: str) -> Plan:
    """Match every row to what is stored, and decide what to create and what to change."""
    plan = Plan()
    organizations = dict(stored.organizations)
    buildings: dict[tuple[str, str, str], Building] = {}
    changed_sites: set[tuple[str, str, str]] = set()
    snapshots: dict[tuple[tuple[str, str, str], str, datetime.date], AvailabilitySnapshot] = {}
    now = timezone.now()
    for line in lines:
        touched = False
        org = organizations.get(line.organization_key)
        if org is None:
            org = Organization(name=line.organization, name_key=line.organization_key,
                               kind=KIND_FOR_TENURE[Tenure(line.tenure)])
            organizations[line.organization_key] = org
            plan.organizations.append(org)
            touched = True

        building = buildings.get(line.site_key)
        if building is None:
            building = stored.building_for(line)
            if building is None:
                building = Building(organization=org, municipality=line.municipality, name=line.site,
                                    address=line.address, tenure=line.tenure, form=line.form)
                plan.new_buildings.append(building)
            elif (building.address, building.tenure, building.form) != (line.address, line.tenure, line.form):
                before = snapshot(building)
                building.address, building.tenure, building.form = line.address, line.tenure, line.form
                building.version += 1
                building.updated_at = now
                plan.changed_buildings.append((building, before))
                changed_sites.add(line.site_key)
            buildings[line.site_key] = building
        touched = touched or building.pk is None or line.site_key in changed_sites

        group = stored.unit_groups.get((building.pk, line.clientele, line.bedrooms)) if building.pk else None
        if group is None:
            group = UnitGroup(building=building, clientele=line.clientele, bedrooms=line.bedrooms,
                              units=line.units, adapted_units=line.adapted_units)
            plan.new_groups.append(group)
            touched = True
        elif (group.units, group.adapted_units) != (line.units, line.adapted_units):
            before = snapshot(group)
            group.units, group.adapted_units = line.units, line.adapted_units
            plan.changed_groups.append((group, before))
            touched = True

        if line.as_of is not None and line.vacant_units is not None and line.waiting_list is not None:
            snap_key = (line.site_key, line.clientele, line.as_of)
            # A later row of the same site, clientele and date repeats the figures (checked before).
            if snap_key not in snapshots:
                snap = stored.snapshots.get((building.pk, line.clientele, line.as_of)) if building.pk else None
                if snap is None:
                    snap = AvailabilitySnapshot(
                        building=building, clientele=line.clientele, as_of=line.as_of,
                        vacant_units=line.vacant_units, waiting_list=line.waiting_list,
                        reported_by=reporter, reported_by_label=reporter_label,
                    )
                    plan.new_snapshots.append(snap)
                    touched = True
                elif (snap.vacant_units, snap.waiting_list) != (line.vacant_units, line.waiting_list):
                    before = snapshot(snap)
                    snap.vacant_units, snap.waiting_list = line.vacant_units, line.waiting_list
                    snap.reported_by, snap.reported_by_label = reporter, reporter_label
                    plan.changed_snapshots.append((snap, before))
                    touched = True
                snapshots[snap_key] = snap
        if not touched:
            plan.unchanged_rows += 1
    return plan


def write(plan: Plan, *, actor: Any, file_name: str, summary: ImportSummary,
          progress: Progress | None = None) -> None:
    """Create and change every record of the plan, then audit each; ``progress`` hears of it by chunks."""
    steps: list[tuple[Callable[[Sequence[Any]], Any], Sequence[Any]]] = [
        (lambda chunk: Organization.objects.bulk_create(chunk, batch_size=500), plan.organizations),
        (lambda chunk: Building.objects.bulk_create(chunk, batch_size=500), plan.new_buildings),
        (lambda chunk: Building.objects.bulk_update(chunk, ["address", "tenure", "form", "version", "updated_at"],
                                                    batch_size=500), [b for b, _ in plan.changed_buildings]),
        (lambda chunk: UnitGroup.objects.bulk_create(chunk, batch_size=500), plan.new_groups),
        (lambda chunk: UnitGroup.objects.bulk_update(chunk, ["units", "adapted_units"], batch_size=500),
         [g for g, _ in plan.changed_groups]),
        (lambda chunk: AvailabilitySnapshot.objects.bulk_create(chunk, batch_size=500), plan.new_snapshots),
        (lambda chunk: AvailabilitySnapshot.objects.bulk_update(
            chunk, ["vacant_units", "waiting_list", "reported_by", "reported_by_label"], batch_size=500),
         [s for s, _ in plan.changed_snapshots]),
    ]
    events: list[dict[str, Any]] = [
        {"action": "housing.import", "object_type": "housing.import", "object_label": file_name,
         "after": {"file": file_name, "rows": summary.rows, "organizations_created": summary.organizations_created,
                   "buildings_created": summary.buildings_created, "buildings_updated": summary.buildings_updated,
                   "unit_groups_created": summary.unit_groups_created,
                   "unit_groups_updated": summary.unit_groups_updated,
                   "snapshots_created": summary.snapshots_created, "snapshots_updated": summary.snapshots_updated}},
    ]
    for action, created in (("organization.create", plan.organizations), ("building.create", plan.new_buildings),
                            ("unit_group.set", plan.new_groups), ("availability.report", plan.new_snapshots)):
        events += [{"action": action, "instance": obj, "created": True} for obj in created]
    for action, changed in (("building.update", plan.changed_buildings), ("unit_group.set", plan.changed_groups),
                            ("availability.report", plan.changed_snapshots)):
        events += [{"action": action, "instance": obj, "before": before} for obj, before in changed]
    # Sealing an audit event costs about as much as writing its record: half the work each.
    total = 2 * len(events) or 1
    done = 0
    for step, records in steps:
        for start in range(0, len(records), CHUNK):
            chunk = records[start:start + CHUNK]
            step(chunk)
            done += len(chunk)
            if progress:
                progress(done / total)
    touched = {b.municipality_id for b in plan.new_buildings} | {b.municipality_id for b, _ in plan.changed_buildings}
    touched |= {g.building.municipality_id for g in plan.new_groups} | {
        g.building.municipality_id for g, _ in plan.changed_groups}
    touched |= {s.building.municipality_id for s in plan.new_snapshots} | {
        s.building.municipality_id for s, _ in plan.changed_snapshots}
    rollups_refresh(municipality_ids=touched)
    # The snapshot of a record is taken once it is written (its id known).
    for start in range(0, len(events), CHUNK):
        chunk = [{**e, "after": e.get("after") or snapshot(e["instance"])} for e in events[start:start + CHUNK]]
        audit_record_many(actor=actor, events=chunk)
        done += len(chunk)
        if progress:
            progress(min(1.0, done / total))
