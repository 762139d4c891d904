"""Acts on the resource directory: providers, services, their verification and retirement.

Nothing is deleted: a service that closes is retired (kept, hidden from the
public) and can be restored. The rows typed as text on a service's form (its
languages, areas, hours) are rewritten on each save; the audit keeps them before
and after. Every act refreshes the full-text index of the services it touched.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import (
    NotFound,
    PermissionRefused,
    ValidationFailed,
    VersionConflict,
    form_errors,
)
from toitcommun.organizations.services import organization_create
from toitcommun.versioning import expected_version, save_if_current

from . import rules
from .forms import (
    CORRECTABLE_FIELDS,
    MULTIPLE_FIELDS,
    CategoryForm,
    DirectoryOrganizationForm,
    ServiceForm,
    SynonymGroupForm,
    form_values,
    initial_extras,
    primary_location,
    primary_phone,
    storable,
)
from .models import (
    Address,
    Correction,
    CorrectionState,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    SynonymGroup,
    TaxonomyTerm,
)
from .search import index_services
from .selectors import correction_get, service_get
from .taxonomy_seed import CATEGORIES_TAXONOMY

MAX_REASON = 500
# The service's own columns the form writes (categories are a many-to-many, set apart).
CORE_FIELDS = [f for f in ServiceForm.Meta.fields if f != "categories"]


def _refuse_outsiders(actor: Any) -> None:
    """Before reading any input: somebody who keeps no part of the directory is refused outright."""
    if not rules.can_keep_directory(actor):
        raise PermissionRefused(_("Vous ne pouvez pas modifier le répertoire."))


def service_record(service: Service) -> dict[str, Any]:
    """The service as its form shows it, JSON-ready: the audit's before and after, a conflict's current."""
    record = snapshot(service) or {}
    extras = initial_extras(service)
    for name in ("latitude", "longitude"):
        extras[name] = None if extras[name] is None else str(extras[name])
    record["categories"] = sorted(str(term.pk) for term in service.categories.all())
    return {**record, **extras, "status": service.status, "version": service.version,
            "last_verified_on": service.last_verified_on.isoformat() if service.last_verified_on else None}


# ---- providers -----------------------------------------------------------------------------


def directory_organization_create(*, actor: Any, data: dict[str, Any]) -> DirectoryOrganization:
    """Add a provider to the directory: an organization of the registry, chosen or added to it.

    A chosen organization becomes a provider once (a second time is refused, naming the
    field); a new one is added to the registry by the registry's own act, with its rules
    (who may add an organization where, one organization per name), then made a provider.
    """
    _refuse_outsiders(actor)
    form = DirectoryOrganizationForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    cleaned = form.cleaned_data
    organization = cleaned["organization"]
    if organization is not None:
        if not rules.can_create_directory_organization(actor, organization.pk):
            raise PermissionRefused(_("Vous ne pouvez ajouter au répertoire que votre propre organisation."))
        if organization.directory_records.exists():
            raise ValidationFailed({"organization": [
                _("Cette organisation est déjà au répertoire : ajoutez-lui un service.")]})
    provider = form.save(commit=False)
    with transaction.atomic():
        if organization is None:
            organization = organization_create(actor=actor, data={
                "name": cleaned["name"], "kind": cleaned["kind"],
                "municipality": cleaned["municipality"].pk if cleaned["municipality"] else None,
                "email": cleaned["email"], "website": cleaned["website"], "description": cleaned["description"]})
        provider.organization = organization
        provider.name = cleaned["name"] or organization.name
        provider.save()
        audit_record(actor=actor, action="directory_organization.create", instance=provider,
                     after=snapshot(provider))
    return provider


# ---- services ------------------------------------------------------------------------------


def _write_details(service: Service, form: ServiceForm) -> None:
    """Languages, service areas, hours, the main place and the phone, from the form's cleaned data.

    Rows whose typed text did not change are left as they are, with what the form does not show
    (a language's code, an opening's description or dates, an imported area's description).
    """
    cleaned = form.cleaned_data
    service.categories.set(cleaned["categories"])
    languages = cleaned["languages"]
    if sorted(n.lower() for n in service.languages.values_list("name", flat=True)) != sorted(n for n, _c in languages):
        Language.objects.filter(service=service).delete()
        Language.objects.bulk_create([Language(service=service, name=name, code=code) for name, code in languages])
    areas = cleaned["service_area_codes"]
    # The form edits the areas we can place; one we cannot (an import's, kept as text) stays.
    placed = service.service_areas.exclude(territory_code="")
    if set(placed.values_list("territory_code", flat=True)) != {ref.code for ref in areas}:
        placed.delete()
        ServiceArea.objects.bulk_create([ServiceArea(service=service, territory_code=ref.code, name=ref.name)
                                         for ref in areas])
    hours = cleaned["hours"]
    stored = service.schedules.values_list("byday", "opens_at", "closes_at")
    if sorted(stored, key=str) != sorted(((h.byday, h.opens_at, h.closes_at) for h in hours), key=str):
        Schedule.objects.filter(service=service).delete()
        Schedule.objects.bulk_create([Schedule(service=service, freq="WEEKLY", byday=h.byday, opens_at=h.opens_at,
                                               closes_at=h.closes_at) for h in hours])
    _write_location(service, form)
    _write_phone(service, cleaned["phone"])


def _write_location(service: Service, form: ServiceForm) -> None:
    cleaned = form.cleaned_data
    location = primary_location(Service.objects.prefetch_related(
        "service_at_locations__location").get(pk=service.pk))
    if not form.has_location():
        # The service no longer names a place: unlink it; the place stays with its provider.
        if location is not None:
            ServiceAtLocation.objects.filter(service=service, location=location).delete()
        return
    if location is None:
        location = Location(directory_organization_id=service.directory_organization_id)
    location.name = cleaned["location_name"]
    location.municipality = cleaned["municipality"]
    location_place(location, cleaned["latitude"], cleaned["longitude"])
    location.save()
    ServiceAtLocation.objects.get_or_create(service=service, location=location)
    if not cleaned["address_1"]:
        location.addresses.all().delete()
        return
    address = location.addresses.order_by("id").first() or Address(location=location)
    address.address_1 = cleaned["address_1"]
    address.city = cleaned["municipality"].name
    address.postal_code = cleaned["postal_code"]
    address.save()


def location_place(location: Location, latitude: Any, longitude: Any) -> None:
    """Where a place stands on the map, before it is saved: at the coordinates given, exactly; without
    them, at its municipality's point, marked approximate (or nowhere, where the municipality has none)."""
    municipality = location.municipality
    if latitude is not None and longitude is not None:
        location.latitude, location.longitude, location.position_is_approximate = latitude, longitude, False
    elif municipality is not None and municipality.latitude is not None and municipality.longitude is not None:
        location.latitude, location.longitude = municipality.latitude, municipality.longitude
        location.position_is_approximate = True
    else:
        location.latitude, location.longitude, location.position_is_approximate = None, None, False


def _write_phone(service: Service, number: Any) -> None:
    phone = primary_phone(Service.objects.prefetch_related("phones").get(pk=service.pk))
    if number is None:
        if phone is not None:
            phone.delete()
        return
    if phone is not None and (phone.number, phone.extension) == (number.number, number.extension):
        return
    phone = phone or Phone(service=service, type="voice")
    phone.number, phone.extension = number.number, number.extension
    phone.save()


def _codes_in(cleaned: dict[str, Any]) -> set[str]:
    """The area codes and the place's municipality code of a service saved with this form's data."""
    codes = {ref.code for ref in cleaned["service_area_codes"]}
    if cleaned.get("municipality") is not None:
        codes.add(cleaned["municipality"].code)
    return codes


def _territories_in(cleaned: dict[str, Any]) -> frozenset[str]:
    """Every territory code a service lies in once saved with this form's data."""
    codes = _codes_in(cleaned)
    covering = rules.territories_covering(codes)
    return frozenset().union(*(covering[c] for c in codes))


def _saved(service_id: Any) -> Service:
    """The service as stored now, indexed for search."""
    service = service_get(service_id, include_retired=True)
    index_services([service])
    return service


def service_create(*, actor: Any, data: dict[str, Any]) -> Service:
    """Add a service to the directory, with its languages, areas, main place, phone and hours."""
    _refuse_outsiders(actor)
    form = ServiceForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    provider = form.cleaned_data["directory_organization"]
    if not rules.can_create_service(actor, provider.organization_id):
        raise PermissionRefused(_("Vous ne pouvez ajouter un service que pour votre propre organisation."))
    if not rules.may_place(actor, provider.organization_id, _codes_in(form.cleaned_data)):
        raise PermissionRefused(_("Vous ne pouvez pas ajouter un service qui dessert un territoire hors du vôtre."))
    service = form.save(commit=False)
    with transaction.atomic():
        service.save()
        _write_details(service, form)
        service = _saved(service.pk)
        audit_record(actor=actor, action="service.create", instance=service, after=service_record(service))
    return service


def _overlay(service: Service, data: Any) -> dict[str, Any]:
    """The stored values, overlaid by what was sent: a field not sent is kept; sent empty, it is emptied.

    A page posts the whole form (its view sends the checkbox lists even when none is ticked);
    the API sends only what changes.
    """
    sent: dict[str, Any] = {}
    for key in data:
        if key in MULTIPLE_FIELDS:
            values = data.getlist(key) if hasattr(data, "getlist") else data[key]
            sent[key] = [v for v in (values or []) if v not in ("", None)]
        else:
            sent[key] = data.get(key)
    return {**ServiceForm(instance=service).initial, **sent}


def service_update(*, actor: Any, service_id: Any, version: Any, data: dict[str, Any]) -> Service:
    """Change a service. Refused with VersionConflict if somebody saved it since ``version``."""
    service = service_get(service_id, include_retired=True)
    if not rules.can_change_service(actor, service):
        raise PermissionRefused(_("Vous ne pouvez pas modifier ce service."))
    expected = expected_version(version)
    if service.status == ServiceStatus.DEFUNCT:
        raise ValidationFailed({"status": [_("Ce service est retiré : rétablissez-le avant de le modifier.")]})
    form = ServiceForm(_overlay(service, data), instance=Service.objects.get(pk=service.pk))
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    cleaned = form.cleaned_data
    if not rules.may_keep(actor, cleaned["directory_organization"].organization_id, _territories_in(cleaned)):
        raise PermissionRefused(_("Vous ne pouvez pas confier ce service à cette organisation ou à ce territoire."))
    added = _codes_in(cleaned) - rules.place_codes(service)
    if not rules.may_place(actor, cleaned["directory_organization"].organization_id, added):
        raise PermissionRefused(_("Vous ne pouvez pas étendre ce service à un territoire hors du vôtre."))
    before = service_record(service)
    with transaction.atomic():
        try:
            # save_if_current is typed for integer keys; a UUID key works the same.
            save_if_current(Service, service.pk, expected,  # type: ignore[arg-type]
                            {f: cleaned[f] for f in CORE_FIELDS}, lambda pk: service_get(pk, include_retired=True))
        except VersionConflict as stale:
            stale.current = service_record(service_get(service.pk, include_retired=True))
            raise
        _write_details(service, form)
        service = _saved(service.pk)
        audit_record(actor=actor, action="service.update", instance=service, before=before,
                     after=service_record(service))
    return service


def service_verify(*, actor: Any, service_id: Any) -> Service:
    """Confirm that the service's record is still right today (staff flag it after a year)."""
    service = service_get(service_id, include_retired=True)
    if not rules.can_verify_service(actor, service):
        raise PermissionRefused(_("Vous ne pouvez pas vérifier ce service."))
    if service.status == ServiceStatus.DEFUNCT:
        raise ValidationFailed({"status": [_("Ce service est retiré : rétablissez-le avant de le vérifier.")]})
    before = service_record(service)
    with transaction.atomic():
        # Verifying changes no content: the version stays, so nobody's edit in progress conflicts.
        Service.objects.filter(pk=service.pk).update(
            last_verified_on=timezone.localdate(), verified_by=actor,
            verified_by_label=actor.get_full_name() or actor.get_username(),
        )
        service = _saved(service.pk)
        audit_record(actor=actor, action="service.verify", instance=service, before=before,
                     after=service_record(service))
    return service


def _set_status(*, actor: Any, service: Service, status: str, action: str, already: str,
                extra: dict[str, Any] | None = None) -> Service:
    before = service_record(service)
    with transaction.atomic():
        # The status is bumped with the version: an edit page open on the old status cannot undo it.
        changed = Service.objects.filter(pk=service.pk).exclude(status=status).update(
            status=status, version=F("version") + 1, updated_at=timezone.now())
        if not changed:
            raise ValidationFailed({"status": [already]})
        service = _saved(service.pk)
        audit_record(actor=actor, action=action, instance=service, before=before,
                     after={**service_record(service), **(extra or {})})
    return service


def service_retire(*, actor: Any, service_id: Any, reason: str) -> Service:
    """Take a service out of the public directory: it is kept, with why, and can be restored."""
    service = service_get(service_id, include_retired=True)
    if not rules.can_retire_service(actor, service):
        raise PermissionRefused(_("Vous ne pouvez pas retirer ce service."))
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_("Indiquez pourquoi ce service est retiré.")]})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": [
            _("La raison a au plus %(max)s caractères (actuellement %(n)s).") % {"max": MAX_REASON, "n": len(reason)}
        ]})
    return _set_status(actor=actor, service=service, status=ServiceStatus.DEFUNCT, action="service.retire",
                       already=_("Ce service est déjà retiré."), extra={"reason": reason})


def service_restore(*, actor: Any, service_id: Any) -> Service:
    """Bring a retired service back to the public directory, as active."""
    service = service_get(service_id, include_retired=True)
    if not rules.can_retire_service(actor, service):
        raise PermissionRefused(_("Vous ne pouvez pas rétablir ce service."))
    if service.status != ServiceStatus.DEFUNCT:
        raise ValidationFailed({"status": [_("Ce service n'est pas retiré.")]})
    return _set_status(actor=actor, service=service, status=ServiceStatus.ACTIVE, action="service.restore",
                       already=_("Ce service n'est pas retiré."))


# ---- the region's categories -----------------------------------------------------------------


def category_save(*, actor: Any, data: dict[str, Any], term_id: Any = None) -> TaxonomyTerm:
    """Add a category to the region's taxonomy, or rename one. Its code stays as created."""
    if not rules.can_edit_categories(actor):
        raise PermissionRefused(_("Seules la coordination régionale et l'administration modifient les catégories."))
    term = None
    if term_id is not None:
        wanted = _uuid_or_none(term_id)
        term = TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY, pk=wanted).first() if wanted else None
        if term is None:
            raise NotFound(_("Catégorie introuvable."))
        data = {**(data.dict() if hasattr(data, "dict") else dict(data)), "code": term.code}
    form = CategoryForm(data, instance=term)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    twin = TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY, code=form.cleaned_data["code"])
    if term is not None:
        twin = twin.exclude(pk=term.pk)
    if twin.exists():
        raise ValidationFailed({"code": [_("Une catégorie porte déjà ce code.")]})
    before = snapshot(term)
    saved = form.save(commit=False)
    saved.taxonomy_id = CATEGORIES_TAXONOMY
    with transaction.atomic():
        saved.save()
        audit_record(actor=actor, action="category.update" if before else "category.create", instance=saved,
                     before=before, after=snapshot(saved))
        if before is not None:
            # Its services' text names it: reindexed in a few queries, however many they are.
            index_services(saved.services.only("pk"))
    return saved


# ---- the region's thesaurus -------------------------------------------------------------------


def _thesaurus_keeper(actor: Any) -> None:
    if not rules.can_edit_thesaurus(actor):
        raise PermissionRefused(_("Seules la coordination régionale et l'administration modifient les synonymes."))


def _synonym_group(group_id: Any) -> SynonymGroup:
    try:
        return SynonymGroup.objects.get(pk=int(group_id))
    except (SynonymGroup.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Groupe de synonymes introuvable.")) from None


def _group_record(group: SynonymGroup) -> dict[str, Any]:
    return {"expressions": list(group.expressions)}


def synonym_group_save(*, actor: Any, data: Any, group_id: Any = None, version: Any = None) -> SynonymGroup:
    """Add a group of equivalent expressions to the thesaurus, or change one (at the version read).

    Effective on the next search: searches read the thesaurus, nothing is reindexed.
    """
    _thesaurus_keeper(actor)
    group = _synonym_group(group_id) if group_id is not None else None
    expected = expected_version(version) if group is not None else 0
    form = SynonymGroupForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    expressions = form.cleaned_data["expressions"]
    with transaction.atomic():
        if group is None:
            saved = SynonymGroup.objects.create(expressions=expressions)
            audit_record(actor=actor, action="synonyms.create", instance=saved, object_label=str(saved),
                         after=_group_record(saved))
            return saved
        before = _group_record(group)
        saved = save_if_current(SynonymGroup, group.pk, expected, {"expressions": expressions}, _synonym_group)
        audit_record(actor=actor, action="synonyms.update", instance=saved, object_label=str(saved),
                     before=before, after=_group_record(saved))
    return saved


def synonym_group_delete(*, actor: Any, group_id: Any) -> None:
    """Take a group out of the thesaurus: its expressions no longer find one another."""
    _thesaurus_keeper(actor)
    group = _synonym_group(group_id)
    with transaction.atomic():
        audit_record(actor=actor, action="synonyms.delete", instance=group, object_label=str(group),
                     before=_group_record(group))
        group.delete()


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# ---- corrections proposed by those who verify ------------------------------------------------

MAX_NOTE = 1000
# What a page posts beside the form's fields.
_NOT_FIELDS = ("version", "note", "csrfmiddlewaretoken")


def _comparable(value: Any) -> Any:
    """A cleaned value as something ``==`` compares: objects by key, lists in order."""
    if hasattr(value, "all") and hasattr(value, "model"):  # a queryset (categories)
        return sorted(str(o.pk) for o in value)
    if isinstance(value, list | tuple):
        return sorted((_comparable(v) for v in value), key=str)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _sent_fields(data: Any) -> dict[str, Any]:
    """The correctable fields in what was sent, read as the form's widgets read them; other keys refused."""
    fields = ServiceForm.base_fields
    if "directory_organization" in data:
        raise ValidationFailed({"directory_organization": [
            _("On ne propose pas de changer l'organisation d'un service : dites-le dans la note.")]})
    # A combobox sends the text typed and the code chosen (municipality, municipality_code).
    known = set(CORRECTABLE_FIELDS) | {f"{name}_code" for name in CORRECTABLE_FIELDS} | set(_NOT_FIELDS)
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise ValidationFailed({key: [_("Champ inconnu : « %(field)s » ne se corrige pas ici.") % {"field": key}]
                                for key in unknown})
    sent: dict[str, Any] = {}
    for name in CORRECTABLE_FIELDS:
        if name in MULTIPLE_FIELDS:
            if name in data:
                sent[name] = data.getlist(name) if hasattr(data, "getlist") else data[name]
        elif name in data or f"{name}_code" in data:
            sent[name] = fields[name].widget.value_from_datadict(data, {}, name)
    return sent


def _proposed_changes(service: Service, data: Any) -> dict[str, Any]:
    """The fields whose sent value differs from the stored one; bad values refused as an edit would be."""
    sent = _sent_fields(data)
    proposed = ServiceForm(_overlay(service, sent), instance=Service.objects.get(pk=service.pk))
    if not proposed.is_valid():
        raise ValidationFailed(form_errors(proposed))
    stored = ServiceForm(form_values(service), instance=Service.objects.get(pk=service.pk))
    stored.is_valid()
    changed = {}
    for key, value in sent.items():
        if key in stored.errors or key not in stored.cleaned_data or (
                _comparable(proposed.cleaned_data[key]) != _comparable(stored.cleaned_data[key])):
            changed[key] = storable(key, proposed.cleaned_data[key], value)
    return changed


def correction_propose(*, actor: Any, service_id: Any, version: Any, data: Any, note: str = "") -> Correction:
    """Propose a correction to a service one may verify but not change: its changed fields and a note."""
    service = service_get(service_id, include_retired=True)
    if not rules.can_propose_correction(actor, service):
        raise PermissionRefused(_("Vous ne pouvez pas proposer de correction à ce service."))
    expected = expected_version(version)
    if service.status == ServiceStatus.DEFUNCT:
        raise ValidationFailed({"status": [_("Ce service est retiré : on ne propose plus de correction.")]})
    if expected != service.version:
        raise VersionConflict(service_record(service), service.version)
    note = str(note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": [
            _("La note a au plus %(max)s caractères (actuellement %(n)s).") % {"max": MAX_NOTE, "n": len(note)}]})
    values = _proposed_changes(service, data)
    if not values and not note:
        raise ValidationFailed({"__all__": [
            _("Rien à proposer : changez au moins un champ, ou écrivez une note qui dit ce qui est inexact.")]})
    stored = form_values(service)
    with transaction.atomic():
        correction = Correction.objects.create(
            service=service, proposed_by=actor, values=values, base={k: stored[k] for k in values},
            base_version=service.version, note=note)
        audit_record(actor=actor, action="correction.propose", instance=correction,
                     after=_correction_snapshot(correction))
    return correction


def _correction_snapshot(correction: Correction) -> dict[str, Any]:
    """The audit's view of a correction: a public reporter's contact and address hash never go in."""
    from .public_reports import report_snapshot

    return report_snapshot(correction)


def _pending(correction: Correction) -> None:
    if correction.state != CorrectionState.PENDING:
        raise ValidationFailed({"state": [
            _("Cette proposition n'est plus en attente : elle est « %(state)s ».")
            % {"state": correction.get_state_display()}]})


def _decide(*, actor: Any, correction: Correction, action: str, **changes: Any) -> Correction:
    """Close a pending proposal; refused if somebody closed it meanwhile. Call inside a transaction."""
    before = _correction_snapshot(correction)
    closed = Correction.objects.filter(pk=correction.pk, state=CorrectionState.PENDING).update(
        decided_at=timezone.now(), **changes)
    if not closed:
        _pending(Correction.objects.get(pk=correction.pk))
    correction.refresh_from_db()
    audit_record(actor=actor, action=action, instance=correction, before=before,
                 after=_correction_snapshot(correction))
    return correction


def correction_accept(*, actor: Any, correction_id: Any, version: Any, fields: list[str] | None = None) -> Correction:
    """Apply a proposal, all of it or the chosen fields, through the service's own update (version-checked)."""
    correction = correction_get(correction_id, actor)
    service = service_get(correction.service_id, include_retired=True)
    if not rules.can_decide_correction(actor, service):
        raise PermissionRefused(_("Seules les personnes qui tiennent ce service à jour décident des corrections."))
    _pending(correction)
    if service.status == ServiceStatus.DEFUNCT:
        raise ValidationFailed({"status": [_("Ce service est retiré : rétablissez-le avant d'accepter une correction.")]})
    chosen = list(correction.values) if fields is None else [str(f) for f in fields]
    unknown = [f for f in chosen if f not in correction.values]
    if unknown:
        raise ValidationFailed({"fields": [_("Cette proposition ne corrige pas « %(field)s ».") % {"field": f}
                                           for f in unknown]})
    chosen = [f for f in CORRECTABLE_FIELDS if f in chosen]  # in the form's order (JSON keeps none on PostgreSQL)
    if correction.values and not chosen:
        raise ValidationFailed({"fields": [
            _("Choisissez au moins un champ à appliquer, ou refusez la proposition en disant pourquoi.")]})
    expected = expected_version(version)
    with transaction.atomic():
        if chosen:
            service_update(actor=actor, service_id=service.pk, version=expected,
                           data={f: correction.values[f] for f in chosen})
        return _decide(actor=actor, correction=correction, action="correction.accept",
                       state=CorrectionState.ACCEPTED, decided_by=actor, applied_fields=chosen)


def correction_refuse(*, actor: Any, correction_id: Any, reason: str) -> Correction:
    """Refuse a proposal, saying why: its author reads the reason."""
    correction = correction_get(correction_id, actor)
    service = service_get(correction.service_id, include_retired=True)
    if not rules.can_decide_correction(actor, service):
        raise PermissionRefused(_("Seules les personnes qui tiennent ce service à jour décident des corrections."))
    _pending(correction)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_("Indiquez pourquoi la proposition est refusée.")]})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": [
            _("La raison a au plus %(max)s caractères (actuellement %(n)s).") % {"max": MAX_REASON, "n": len(reason)}
        ]})
    with transaction.atomic():
        return _decide(actor=actor, correction=correction, action="correction.refuse",
                       state=CorrectionState.REFUSED, decided_by=actor, reason=reason)


def correction_withdraw(*, actor: Any, correction_id: Any) -> Correction:
    """Its author takes back a proposal that still waits."""
    correction = correction_get(correction_id, actor)
    if not rules.can_withdraw_correction(actor, correction.proposed_by_id):
        raise PermissionRefused(_("Seule la personne qui a proposé cette correction peut la retirer."))
    _pending(correction)
    with transaction.atomic():
        return _decide(actor=actor, correction=correction, action="correction.withdraw",
                       state=CorrectionState.WITHDRAWN, decided_by=actor)
