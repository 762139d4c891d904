"""Acts on groups and their mandates. A mandate is never deleted: it ends."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Mrc, Municipality, Region

from . import governance_rules as rules
from .governance_selectors import group_get
from .models import (
    SINGLE_SEAT_ROLES,
    Decision,
    Group,
    GroupKind,
    HolderKind,
    Mandate,
    MandateRole,
    QuorumRule,
)


def group_create(*, actor: Any, name: str, kind: str, region_code: str, mrc_code: str = "",
                 municipality_code: str = "", housing_office_id: int | None = None, description: str = "",
                 contact: str = "", quorum_rule: str = QuorumRule.MAJORITY, quorum_count: int | None = None,
                 recommendation_days: int = 60, is_incorporated: bool = False,
                 is_illustrative: bool = False) -> Group:
    """Register a group: a tenant association, a CCR, a committee or a table, where it acts."""
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        errors["name"] = [_("Donnez un nom de 200 caractères au plus.")]
    if kind not in GroupKind.values:
        errors["kind"] = [_("Choisissez un type de groupe.")]
    if quorum_rule not in QuorumRule.values:
        errors["quorum_rule"] = [_("Choisissez une règle de quorum.")]
    if quorum_rule == QuorumRule.FIXED and not (quorum_count and 1 <= quorum_count <= 1000):
        errors["quorum_count"] = [_("Un quorum fixe est un nombre de 1 à 1000.")]
    if not 1 <= int(recommendation_days) <= 365:
        errors["recommendation_days"] = [_("Le délai de réponse est de 1 à 365 jours.")]
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region_code"] = [_("Région inconnue.")]
    mrc = Mrc.objects.filter(code=mrc_code).first() if mrc_code else None
    municipality = (Municipality.objects.select_related("mrc").filter(code=municipality_code).first()
                    if municipality_code else None)
    if mrc_code and (mrc is None or (region and mrc.region_id != region.pk)):
        errors["mrc_code"] = [_("Cette MRC n'est pas dans la région.")]
    if municipality_code and (municipality is None or (region and municipality.mrc.region_id != region.pk)):
        errors["municipality_code"] = [_("Cette municipalité n'est pas dans la région.")]
    if municipality is not None and mrc is None:
        mrc = municipality.mrc
    office = None
    if housing_office_id is not None:
        office = Organization.objects.filter(pk=housing_office_id, kind="housing_office").first()
        if office is None:
            errors["housing_office_id"] = [_("Choisissez un office d'habitation.")]
    if errors:
        raise ValidationFailed(errors)
    if not rules.can_create_group(actor, region.code):  # type: ignore[union-attr]
        raise PermissionRefused(_("Vous ne pouvez pas créer un groupe dans cette région."))
    group = Group(name=name, kind=kind, region=region, mrc=mrc, municipality=municipality, housing_office=office,
                  description=description[:4000], contact=contact[:300], quorum_rule=quorum_rule,
                  quorum_count=quorum_count, recommendation_days=recommendation_days,
                  is_incorporated=is_incorporated, is_illustrative=is_illustrative)
    with transaction.atomic():
        group.save()
        audit_record(actor=actor, action="collective.group.create", instance=group, after=snapshot(group))
    return group


def _seat_taken(group: Group, role: str, starts_on: datetime.date, ends_on: datetime.date | None,
                exclude_pk: int | None = None) -> Mandate | None:
    """Another holder of this single-seat role whose mandate overlaps the dates."""
    if role not in SINGLE_SEAT_ROLES:
        return None
    qs = group.mandates.filter(role=role).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _seat_taken_message(role: str) -> str:
    return _("Ce groupe a déjà un mandat actif de %(role)s pour ces dates : terminez-le avant d'en commencer "
             "un autre.") % {"role": MandateRole(role).label.lower()}


def mandate_start(*, actor: Any, group_id: Any, role: str, starts_on: datetime.date,
                  holder_kind: str = HolderKind.PERSON, holder_name: str = "", user_id: int | None = None,
                  person_id: int | None = None, organization_id: int | None = None, voting: bool = True,
                  ends_on: datetime.date | None = None, elected_by_id: int | None = None,
                  delegate_of_id: int | None = None, is_substitute: bool = False, account: str = "") -> Mandate:
    """A person or an organization takes a seat in the group: a role, with or without a vote, from a date.

    A person's seat may be tied to their sign-in account (``user_id``, or ``account``: the username typed
    on the officers' page), so that they act in the group as their role allows.

    One active holder at a time for president, vice-president, secretary and treasurer. A member
    organization's delegate or substitute is a mandate that speaks for the organization's own.
    """
    group = group_get(group_id)
    if not rules.can_manage_mandates(actor, group):
        raise PermissionRefused(_("Vous ne pouvez pas modifier les mandats de ce groupe."))
    errors: dict[str, list[str]] = {}
    holder_name = " ".join((holder_name or "").split())
    if role not in MandateRole.values:
        errors["role"] = [_("Choisissez un rôle.")]
    if holder_kind not in HolderKind.values:
        errors["holder_kind"] = [_("Choisissez une personne ou une organisation.")]
    organization = None
    if holder_kind == HolderKind.ORGANIZATION:
        organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
        if organization is None:
            errors["organization_id"] = [_("Choisissez l'organisation qui tient ce mandat.")]
    elif not holder_name or len(holder_name) > 200:
        errors["holder_name"] = [_("Donnez le nom de la personne (200 caractères au plus).")]
    account = (account or "").strip()
    if account:
        if holder_kind == HolderKind.ORGANIZATION:
            errors["account"] = [_("Un compte se lie au mandat d'une personne, pas d'une organisation.")]
        else:
            user_id = (get_user_model().objects.filter(username__iexact=account, is_active=True)
                       .values_list("pk", flat=True).first())
            if user_id is None:
                errors["account"] = [_("Aucun compte actif ne porte cet identifiant : vérifiez l'orthographe, "
                                       "ou laissez le champ vide.")]
    elif user_id is not None and not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        errors["account"] = [_("Aucun compte actif ne porte cet identifiant : vérifiez l'orthographe, "
                               "ou laissez le champ vide.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("La fin ne peut précéder le début.")]
    elected_by = None
    if elected_by_id is not None:
        elected_by = Decision.objects.filter(pk=elected_by_id, meeting__group=group).first()
        if elected_by is None:
            errors["elected_by_id"] = [_("La décision qui élit doit être une décision de ce groupe.")]
    delegate_of = None
    if delegate_of_id is not None:
        delegate_of = group.mandates.filter(pk=delegate_of_id, holder_kind=HolderKind.ORGANIZATION).first()
        if delegate_of is None:
            errors["delegate_of_id"] = [_("Un délégué parle pour une organisation membre de ce groupe.")]
    if not errors and _seat_taken(group, role, starts_on, ends_on):
        errors["role"] = [_seat_taken_message(role)]
    if errors:
        raise ValidationFailed(errors)
    mandate = Mandate(group=group, role=role, holder_kind=holder_kind,
                      holder_name=holder_name if holder_kind == HolderKind.PERSON else "",
                      user_id=user_id, person_id=person_id, organization=organization,
                      voting=voting and delegate_of is None, starts_on=starts_on, ends_on=ends_on,
                      elected_by=elected_by, delegate_of=delegate_of, is_substitute=is_substitute)
    try:
        with transaction.atomic():
            mandate.save()
            audit_record(actor=actor, action="collective.mandate.start", instance=mandate,
                         after=snapshot(mandate))
    except IntegrityError:
        # Another active holder was recorded between the check above and this write.
        raise Conflict({"role": [_seat_taken_message(role)]}) from None
    return mandate


def mandate_end(*, actor: Any, mandate_id: Any, ends_on: datetime.date | None = None) -> Mandate:
    """The holder leaves the seat on that day. The mandate stays in the group's history."""
    try:
        mandate = Mandate.objects.select_related("group__region", "group__mrc", "group__municipality").get(
            pk=int(mandate_id))
    except (Mandate.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Mandat introuvable.")) from None
    if not rules.can_manage_mandates(actor, mandate.group):
        raise PermissionRefused(_("Vous ne pouvez pas modifier les mandats de ce groupe."))
    end = ends_on or timezone.localdate()
    if end < mandate.starts_on:
        raise ValidationFailed({"ends_on": [_("La fin ne peut précéder le début.")]})
    if mandate.ends_on is not None and mandate.ends_on <= end:
        return mandate
    before = snapshot(mandate)
    with transaction.atomic():
        mandate.ends_on = end
        mandate.save(update_fields=["ends_on"])
        audit_record(actor=actor, action="collective.mandate.end", instance=mandate, before=before,
                     after=snapshot(mandate))
    rules.forget_mandates(actor)
    return mandate
