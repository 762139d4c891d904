"""The import's second half: writing a plan in one transaction, touching only what differs, audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record_many, snapshot
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.organizations.services import organization_for_provider
from toitcommun.territory.models import Municipality

from .. import rules
from ..models import (
    Clientele,
    DirectoryOrganization,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..search import index_services
from .export import assurer_email
from .plan import MODELS, OWNED, SHARED_LINKS, ImportReport, _Planner
from .schema import HsdsError, HsdsRejected, read_document, schema_errors

# ---- import: writing the plan ------------------------------------------------------------

def _service_snapshot(service: Service) -> dict[str, Any]:
    """The audit snapshot of a service; its categories are UUID keys, which the audit log keeps as text."""
    data = snapshot(service) or {}
    data["categories"] = sorted(str(pk) for pk in data.get("categories", []))
    return data


def _differs(row: models.Model, fields: Mapping[str, Any]) -> list[str]:
    return [name for name, value in fields.items() if getattr(row, name) != value]


class _Writer:
    """Writes a plan in one transaction, touching only what differs."""

    def __init__(self, plan: _Planner, report: ImportReport) -> None:
        self.plan = plan
        self.report = report
        self.touched: set[uuid.UUID] = set()            # services (of this run) whose document changed
        self.changed_places: set[uuid.UUID] = set()     # locations and organizations whose text changed
        self.services_in_run = {s.id for s in plan.services}

    def services_holding(self, kind: str, pk: Any) -> set[uuid.UUID]:
        if kind == "service":
            return {pk} & self.services_in_run
        return self.plan.holders.get((kind, pk), set())

    def touch(self, kind: str, pk: Any) -> None:
        self.touched |= self.services_holding(kind, pk)

    def count(self, kind: str, outcome: str) -> None:
        if kind != "service":  # a service counts once its whole document is written (finish)
            self.report.count(kind, outcome)

    def upsert(self, kind: str, rows: Mapping[uuid.UUID, dict[str, Any]]) -> None:
        manager = MODELS[kind]._default_manager
        existing = manager.in_bulk(list(rows))
        for pk in sorted(rows):
            fields = rows[pk]
            row = existing.get(pk)
            if row is None:
                manager.create(id=pk, **fields)
                self.count(kind, "created")
            else:
                differing = _differs(row, fields)
                if not differing:
                    self.count(kind, "unchanged")
                    continue
                for name in differing:
                    setattr(row, name, fields[name])
                row.save(update_fields=differing)
                self.count(kind, "changed")
            self.touch(kind, pk)
            if kind in ("location", "organization"):
                self.changed_places.add(pk)

    def prune(self, kind: str, keep: Iterable[uuid.UUID]) -> None:
        """Delete the records the documents no longer list under a parent they describe."""
        parent_kind, fk = OWNED[kind]
        parents = set(self.plan.records[parent_kind])
        stale = MODELS[kind]._default_manager.filter(**{f"{fk}__in": parents}).exclude(pk__in=set(keep))
        for parent in stale.values_list(fk, flat=True):
            self.report.count(kind, "deleted")
            self.touch(parent_kind, parent)
        stale.delete()

    def sync_shared(self, kind: str, scopes: Mapping[str, set[uuid.UUID]]) -> None:
        """Phones and schedules: link each to what lists it, unlink it from what stopped listing it."""
        manager = MODELS[kind]._default_manager
        owners = SHARED_LINKS[kind]
        planned = self.plan.records[kind]
        listed_by = Q(pk__in=list(planned))
        for attname, scope in scopes.items():
            listed_by |= Q(**{f"{attname}__in": scope})
        existing = {row.pk: row for row in manager.filter(listed_by)}
        for pk in sorted(set(planned) | set(existing)):
            record = planned.get(pk)
            row = existing.get(pk)
            desired: dict[str, Any] = dict(record.fields) if record else {}
            for owner_kind, attname in owners.items():
                current = getattr(row, attname) if row is not None else None
                if record is not None and attname in record.links:
                    desired[attname] = record.links[attname]
                elif current in scopes[attname]:
                    desired[attname] = None
                else:
                    desired[attname] = current
                if current is not None and current != desired[attname]:
                    self.touch(owner_kind, current)
                if desired[attname] is not None and current != desired[attname]:
                    self.touch(owner_kind, desired[attname])
            if all(desired[attname] is None for attname in owners.values()):
                if row is not None:
                    manager.filter(pk=pk).delete()
                    self.report.count(kind, "deleted")
                continue
            if row is None:
                manager.create(id=pk, **desired)
                self.report.count(kind, "created")
            else:
                differing = _differs(row, desired)
                if not differing:
                    self.report.count(kind, "unchanged")
                    continue
                for name in differing:
                    setattr(row, name, desired[name])
                row.save(update_fields=differing)
                self.report.count(kind, "changed")
            self.touch(kind, pk)
        # Rows whose last owner went (a phone of a dropped contact, the language of a deleted phone).
        orphans = manager.filter(**{f"{attname}__isnull": True for attname in owners.values()})
        deleted, _per_model = orphans.delete()
        if deleted:
            self.report.count(kind, "deleted", deleted)

    def service_rows(self) -> dict[uuid.UUID, dict[str, Any]]:
        """The services' fields, keeping who verified each when the document agrees with us."""
        rows = {pk: dict(r.fields) for pk, r in self.plan.records["service"].items()}
        existing = Service.objects.select_related("verified_by").in_bulk(list(rows))
        for plan in self.plan.services:
            row = existing.get(plan.id)
            if row is not None and assurer_email(row) == plan.assurer_email:
                continue  # our verifier (an account) is what the document names: keep it
            rows[plan.id] |= {"verified_by_id": None, "verified_by_label": plan.assurer_email or ""}
        return rows

    def organization_rows(self, actor: Any) -> dict[uuid.UUID, dict[str, Any]]:
        """Providers' fields; a new provider is an organization of the registry, found or added."""
        records = self.plan.records
        rows = {pk: dict(r.fields) for pk, r in records["organization"].items()}
        known = set(DirectoryOrganization.objects.filter(pk__in=list(rows)).values_list("pk", flat=True))
        for pk in sorted(set(rows) - known):
            places = sorted((str(loc_pk), r.fields["municipality_id"]) for loc_pk, r in records["location"].items()
                            if r.fields["directory_organization_id"] == pk and r.fields["municipality_id"])
            fields = rows[pk]
            try:
                organization = organization_for_provider(
                    actor=actor, name=fields["name"], municipality_id=places[0][1] if places else None,
                    email=fields["email"], website=fields["website"], description=fields["description"])
            except ValidationFailed as refusal:
                file, path = records["organization"][pk].where
                raise HsdsRejected([HsdsError(file, f"{path}.name", message)
                                    for messages in refusal.errors.values() for message in messages]) from None
            rows[pk]["organization_id"] = organization.pk
        return rows

    def write(self, actor: Any) -> None:
        plan, records = self.plan, self.plan.records
        for pk, fields in sorted(plan.terms_to_create.items()):
            TaxonomyTerm.objects.create(id=pk, **(fields | {"parent_id": None}))
            self.report.count("taxonomy_term", "created")
            self.report.terms_created.append(fields["name"])
        for pk, fields in plan.terms_to_create.items():
            parent = fields["parent_id"]
            if parent and (parent in plan.terms_to_create or TaxonomyTerm.objects.filter(pk=parent).exists()):
                TaxonomyTerm.objects.filter(pk=pk).update(parent_id=parent)

        self.upsert("organization", self.organization_rows(actor))
        self.upsert("service", self.service_rows())
        self.upsert("location", self.location_rows())

        sal_keep = set(records["service_at_location"])
        self.release_schedules_of_dropped_places(sal_keep)
        self.prune("service_at_location", sal_keep)
        self.upsert("service_at_location", {pk: r.fields for pk, r in records["service_at_location"].items()})

        self.prune("address", records["address"])
        self.upsert("address", {pk: r.fields for pk, r in records["address"].items()})
        for kind in ("service_area", "contact"):
            self.prune(kind, records[kind])
            self.upsert(kind, {pk: r.fields for pk, r in records[kind].items()})
        # A dropped contact or service-at-location has let go of its phones (SET_NULL): the
        # sync keeps the links the documents list and deletes the phones nobody lists any more.
        self.sync_shared("phone", {"service_id": self.services_in_run, "location_id": set(records["location"]),
                                   "directory_organization_id": set(records["organization"]),
                                   "contact_id": set(records["contact"]), "service_at_location_id": sal_keep})
        self.sync_shared("schedule", {"service_id": self.services_in_run, "location_id": set(records["location"]),
                                      "service_at_location_id": sal_keep})
        self.sync_shared("language", {"service_id": self.services_in_run, "location_id": set(records["location"]),
                                      "phone_id": set(records["phone"])})
        self.taxonomy_links()

    def release_schedules_of_dropped_places(self, keep: set[uuid.UUID]) -> None:
        """Before a service-at-location goes, its hours that also belong elsewhere lose only that link."""
        schedules = Schedule.objects.filter(service_at_location__service_id__in=self.services_in_run).exclude(
            service_at_location_id__in=keep)
        for schedule in schedules:
            if schedule.service_id or schedule.location_id:
                Schedule.objects.filter(pk=schedule.pk).update(service_at_location_id=None)
                self.report.count("schedule", "changed")
            else:
                schedule.delete()
                self.report.count("schedule", "deleted")

    def location_rows(self) -> dict[uuid.UUID, dict[str, Any]]:
        """Places' fields; a place whose city we cannot tell keeps the municipality it has."""
        rows = {pk: dict(r.fields) for pk, r in self.plan.records["location"].items()}
        unknown = [pk for pk, fields in rows.items() if fields["municipality_id"] is None]
        for pk, municipality in Location.objects.filter(pk__in=unknown).values_list("pk", "municipality_id"):
            rows[pk]["municipality_id"] = municipality
        return rows

    def taxonomy_links(self) -> None:
        services = Service.objects.prefetch_related("categories").in_bulk(list(self.services_in_run))
        for plan in self.plan.services:
            service = services[plan.id]
            current = {t.pk for t in service.categories.all()}
            if current != plan.categories:
                service.categories.set(list(TaxonomyTerm.objects.filter(pk__in=plan.categories)))
                self.touched.add(plan.id)
            if set(service.clienteles or []) != plan.clienteles:
                ordered = [code for code in Clientele.values if code in plan.clienteles]
                Service.objects.filter(pk=plan.id).update(clienteles=ordered)
                self.touched.add(plan.id)

    def finish(self, befores: Mapping[uuid.UUID, dict[str, Any]], actor: Any) -> None:
        """Stamp, audit and re-index every service whose document changed something."""
        now = timezone.now()
        last_modified = {p.id: p.last_modified for p in self.plan.services}
        stored = dict(Service.objects.filter(pk__in=self.services_in_run).values_list("pk", "updated_at"))
        for pk, moment in last_modified.items():
            if moment is not None and stored.get(pk) != moment:
                self.touched.add(pk)
        for pk in self.touched:
            Service.objects.filter(pk=pk).update(version=models.F("version") + 1,
                                                 updated_at=last_modified[pk] or now)
        events = []
        after = Service.objects.in_bulk(list(self.touched))
        for plan in self.plan.services:
            before = befores.get(plan.id)
            if plan.id not in self.touched:
                self.report.count("service", "unchanged")
                continue
            created = before is None
            self.report.count("service", "created" if created else "changed")
            events.append({"action": "service.hsds_import_create" if created else "service.hsds_import_update",
                           "instance": after[plan.id], "before": before, "after": _service_snapshot(after[plan.id])})
        audit_record_many(actor=actor, events=events)
        reindex = self.touched | set(Service.objects.filter(
            Q(directory_organization_id__in=self.changed_places)
            | Q(service_at_locations__location_id__in=self.changed_places)).values_list("pk", flat=True))
        index_services(Service.objects.select_related("directory_organization").filter(pk__in=reindex))


def _out_of_scope(plan: _Planner, actor: Any) -> list[str]:
    """The files whose service this person may not write, by the same rules as the pages.

    A service already here must be one the person may change, and every territory the
    document adds (an area, a place's municipality) must be theirs to place it in; a place
    the run rewrites, or a provider whose record it changes, must not be shared with a
    service of somebody else's territory.
    """
    ids = [p.id for p in plan.services]
    stored = DirectoryOrganization.objects.in_bulk(list(plan.records["organization"]))
    rewritten = [pk for pk, record in plan.records["organization"].items() if pk in stored
                 and any(getattr(stored[pk], name) != value for name, value in record.fields.items())]
    existing = (Service.objects.select_related("directory_organization")
                .prefetch_related("service_areas", "service_at_locations__location__municipality").in_bulk(ids))
    located = ServiceAtLocation.objects.filter(location_id__in=list(plan.records["location"])).exclude(
        service_id__in=ids).values_list("service_id", flat=True)
    neighbours = list(Service.objects.select_related("directory_organization").prefetch_related(
        "service_areas", "service_at_locations__location__municipality").filter(
        Q(pk__in=located) | Q(directory_organization_id__in=rewritten)).exclude(pk__in=ids))
    territories = rules.territories_of([*existing.values(), *neighbours])
    providers = {r.fields["directory_organization_id"] for r in plan.records["service"].values()}
    owners = dict(DirectoryOrganization.objects.filter(pk__in=providers).values_list("pk", "organization_id"))
    municipalities = {r.fields["municipality_id"] for r in plan.records["location"].values()} - {None}
    codes_of_municipality = dict(Municipality.objects.filter(pk__in=municipalities).values_list("pk", "code"))
    codes: dict[uuid.UUID, set[str]] = {pk: set() for pk in ids}
    for area in plan.records["service_area"].values():
        if area.fields["territory_code"]:
            codes[area.fields["service_id"]].add(area.fields["territory_code"])
    for sal in plan.records["service_at_location"].values():
        location = plan.records["location"].get(sal.fields["location_id"])
        municipality = location.fields["municipality_id"] if location is not None else None
        if municipality is not None:
            codes[sal.fields["service_id"]].add(codes_of_municipality[municipality])

    refused = []
    for service_plan in plan.services:
        owner = owners.get(plan.records["service"][service_plan.id].fields["directory_organization_id"])
        current = existing.get(service_plan.id)
        added = codes[service_plan.id] - (rules.place_codes(current) if current is not None else set())
        if current is not None and not rules.can_change_service(actor, current, territories[current.pk]):
            refused.append(service_plan.file)
        elif not rules.may_place(actor, owner, added):
            refused.append(service_plan.file)
    if any(not rules.can_change_service(actor, s, territories[s.pk]) for s in neighbours):
        refused.append(_("un lieu ou une organisation partagés avec un service hors de votre territoire"))
    return refused


def import_documents(documents: Iterable[Path | tuple[str, Any]], *, actor: Any = None,
                     as_system: bool = False) -> ImportReport:
    """Bring HSDS 3.0 service documents into the directory: all of them, or none.

    Every document is checked against the schema (strict) and against our model first; one
    error and nothing is imported (HsdsRejected lists each error by file and JSON path).
    Records are matched by their HSDS id. Each document is the truth for its service:
    what it no longer lists is removed. Importing the same documents again changes nothing.
    Administrators and regional coordinators may import, each service as the pages let them
    change it (rules.py): a coordinator only in their territory. Commands run ``as_system``.
    """
    if not as_system and not rules.can_import_hsds(actor):
        raise PermissionRefused(_("Accès refusé."))
    errors: list[HsdsError] = []
    readable: list[tuple[str, Any]] = []
    for item in documents:
        name, doc, problem = read_document(item)
        if problem is not None:
            errors.append(problem)
            continue
        found = schema_errors(name, doc)
        errors += found
        if not found:
            readable.append((name, doc))
    planner = _Planner()
    if not errors:
        for name, doc in readable:
            planner.document(name, doc)
        planner.finish()
        errors = planner.errors
    if errors:
        raise HsdsRejected(errors)

    if not as_system:
        refused = _out_of_scope(planner, actor)
        if refused:
            raise PermissionRefused(_("Importation refusée, hors de votre territoire : %(files)s.")
                                    % {"files": ", ".join(refused[:10])})
    report = ImportReport(documents=len(readable), dropped_fields=sorted(planner.dropped),
                          attributes_ignored=planner.attributes_ignored)
    with transaction.atomic():
        writer = _Writer(planner, report)
        existing = Service.objects.in_bulk([p.id for p in planner.services])
        befores = {pk: _service_snapshot(service) for pk, service in existing.items()}
        writer.write(actor)
        writer.finish(befores, actor)
    return report
