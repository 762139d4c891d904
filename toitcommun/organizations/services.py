"""Acts on organizations: create, update (with a version check)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed, form_errors
from toitcommun.versioning import bound_for_update, expected_version, save_if_current

from . import rules
from .forms import MembershipForm, OrganizationForm
from .models import Membership, Organization


def organization_get(pk: Any) -> Organization:
    try:
        return Organization.objects.select_related("municipality__mrc__region").get(pk=int(pk))
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Organisation introuvable.")) from None


def _name_taken(name: str, exclude_pk: int | None = None) -> bool:
    qs = Organization.objects.filter(name_key=Organization.key_for(name))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def organization_create(*, actor: Any, data: dict[str, Any]) -> Organization:
    """Register an organization acting in the territory."""
    form = OrganizationForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    if not rules.can_create_organization(actor, form.cleaned_data.get("municipality")):
        raise PermissionRefused(_("Vous ne pouvez pas créer une organisation dans ce territoire."))
    if _name_taken(form.cleaned_data["name"]):
        raise ValidationFailed({"name": [_("Une organisation porte déjà ce nom.")]})
    org = form.save(commit=False)
    org.name_key = Organization.key_for(org.name)
    try:
        with transaction.atomic():
            org.save()
            audit_record(actor=actor, action="organization.create", instance=org, after=snapshot(org))
    except IntegrityError:
        # Another organization took this name between the check above and this write.
        raise Conflict({"name": [_("Une organisation porte déjà ce nom.")]}) from None
    return org


def organization_for_provider(*, actor: Any, name: str, municipality_id: int | None = None, email: str = "",
                              website: str = "", description: str = "") -> Organization:
    """The registry's organization that a directory provider coming from an HSDS import is.

    The organization of the same name (case, accents and dashes folded) in the same
    municipality, or with no municipality on either side, is the same one: no duplicate.
    Otherwise the provider joins the registry as a community organization, its name followed
    by its municipality's when the bare name is another's. The caller (the import) has
    checked that the actor may import; the registry's addition is audited as theirs.
    """
    from toitcommun.territory.models import Municipality

    candidates = [name[:200]]
    if municipality_id is not None:
        town = Municipality.objects.get(pk=municipality_id).name
        candidates.append(f"{name[:195 - len(town)]} ({town})")
    for candidate in candidates:
        same = Organization.objects.filter(name_key=Organization.key_for(candidate)).first()
        if same is not None and (same.municipality_id == municipality_id
                                 or None in (same.municipality_id, municipality_id)):
            return same
        if same is None:
            break
    else:
        raise ValidationFailed({"name": [_("Une organisation porte déjà ce nom dans une autre municipalité : "
                                           "« %(name)s ».") % {"name": name}]})
    org = Organization(name=candidate, name_key=Organization.key_for(candidate), kind="community_organization",
                       municipality_id=municipality_id, email=email, website=website, description=description[:4000])
    with transaction.atomic():
        org.save()
        audit_record(actor=actor, action="organization.create", instance=org, after=snapshot(org))
    return org


def organization_update(*, actor: Any, organization_id: Any, version: Any, data: dict[str, Any]) -> Organization:
    """Change an organization's record. Refused if somebody saved it since ``version`` was read."""
    org = organization_get(organization_id)
    if not rules.can_change_organization(actor, org):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cette organisation."))
    expected = expected_version(version)
    form = bound_for_update(OrganizationForm, org, data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    moved_to = form.cleaned_data["municipality"]
    if moved_to != org.municipality and not rules.can_move_organization(actor, org, moved_to):
        raise PermissionRefused(_("Vous ne pouvez pas placer cette organisation hors de votre territoire."))
    if _name_taken(form.cleaned_data["name"], exclude_pk=org.pk):
        raise ValidationFailed({"name": [_("Une organisation porte déjà ce nom.")]})
    before = snapshot(org)
    values = {f: form.cleaned_data[f] for f in OrganizationForm.Meta.fields}
    values["name_key"] = Organization.key_for(values["name"])
    try:
        with transaction.atomic():
            org = save_if_current(Organization, org.pk, expected, values, organization_get)
            audit_record(actor=actor, action="organization.update", instance=org, before=before,
                         after=snapshot(org))
    except IntegrityError:
        # Another organization took this name between the check above and this write.
        current = organization_get(org.pk)
        raise Conflict({"name": [_("Une organisation porte déjà ce nom.")]}, current=snapshot(current),
                       current_version=current.version) from None
    return org


def membership_add(*, actor: Any, organization_id: Any, data: dict[str, Any]) -> Membership:
    """Record a person's role in an organization: a director, a worker, the contact person."""
    org = organization_get(organization_id)
    if not rules.can_change_organization(actor, org):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cette organisation."))
    form = MembershipForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    membership = form.save(commit=False)
    membership.organization = org
    with transaction.atomic():
        membership.save()
        audit_record(actor=actor, action="membership.add", instance=membership, after=snapshot(membership))
    return membership


def membership_end(*, actor: Any, membership_id: Any, end_date: datetime.date | None = None) -> Membership:
    """Note that a person no longer holds their role. The record stays, with its end date."""
    try:
        membership = Membership.objects.select_related("organization__municipality__mrc__region").get(
            pk=int(membership_id)
        )
    except (Membership.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Membre introuvable.")) from None
    if not rules.can_change_organization(actor, membership.organization):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cette organisation."))
    end = end_date or timezone.localdate()
    if membership.start_date and end < membership.start_date:
        raise ValidationFailed({"end_date": [_("La fin ne peut précéder le début.")]})
    if membership.end_date is not None:
        return membership
    before = snapshot(membership)
    with transaction.atomic():
        membership.end_date = end
        membership.save(update_fields=["end_date"])
        audit_record(actor=actor, action="membership.end", instance=membership, before=before,
                     after=snapshot(membership))
    return membership
