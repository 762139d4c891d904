"""Acts of community support: record an intervention; create, send and answer a referral.

A referral moves draft → sent → accepted | declined | expired (no answer in time,
computed when read); accepted → in progress → closed with an outcome; the sender may
withdraw an open one; revoking its consent suspends it. Every step is a dated event.
Audit snapshots carry ids, codes and dates: never a summary, a note or a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record
from toitcommun.directory.models import Service, ServiceStatus
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.housing.models import Building
from toitcommun.organizations.models import Organization
from toitcommun.people import bounds
from toitcommun.people.models import CATEGORIES, Category, Consent, Household, Person
from toitcommun.people.rules import acting_organization, support_organizations
from toitcommun.people.selectors import active_consents, person_for_act
from toitcommun.people.services import _date, _text

from .models import (
    OPEN_STATES,
    CaseReview,
    CaseReviewItem,
    CaseReviewNote,
    Intervention,
    InterventionCategory,
    InterventionMode,
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralState,
)
from .rollups import rollup_add
from .selectors import case_review_for_act, case_review_item_for_act, consent_gaps, referral_for_act


def intervention_snapshot(intervention: Intervention) -> dict[str, Any]:
    return {
        "organization_id": intervention.organization_id, "worker_id": intervention.worker_id,
        "date": intervention.date.isoformat(), "duration_minutes": intervention.duration_minutes,
        "category": intervention.category, "mode": intervention.mode,
        "person_ids": sorted(p.pk for p in intervention.persons.all()),
        "building_id": intervention.building_id, "household_id": intervention.household_id,
        "follow_up_on": intervention.follow_up_on.isoformat() if intervention.follow_up_on else None,
    }


def intervention_place(*, building: Building | None, household: Household | None,
                       persons: Iterable[Person]) -> dict[str, str]:
    """Where an intervention happened, as territory codes copied onto it: the collective target's
    building, else the household's, else the first named person's with one. Blank when none is known.

    Copied, not joined: if the person moves later, the intervention stays where it happened.
    """
    building_id = (building.pk if building is not None
                   else household.building_id if household is not None and household.building_id
                   else next((p.building_id for p in persons if p.building_id), None))
    codes = (Building.objects.filter(pk=building_id).values_list(
        "municipality__code", "municipality__mrc__code", "municipality__mrc__region__code").first()
        if building_id else None)
    if codes is None:
        return {"municipality_code": "", "mrc_code": "", "region_code": ""}
    return {"municipality_code": codes[0], "mrc_code": codes[1], "region_code": codes[2]}


def intervention_record(*, actor: Any, person_ids: Iterable[int], category: str, date: Any,
                        duration_minutes: Any, summary: str, notes: str = "", follow_up_on: Any = None,
                        building_id: int | None = None, household_id: int | None = None, group_label: str = "",
                        organization_id: int | None = None) -> Intervention:
    """A worker records what they did, for whom, in the framework's category.

    Individual when it names one person (or one household); collective when it names
    several persons, a building or a group. Every person named must be one the worker may name.
    """
    org_id = acting_organization(actor, organization_id)
    errors: dict[str, list[str]] = {}
    ids = list(dict.fromkeys(int(pk) for pk in (person_ids or [])))
    if len(ids) > bounds.MAX_PERSONS:
        errors["person_ids"] = [_("Au plus %(max)s personnes par intervention.") % {"max": bounds.MAX_PERSONS}]
    if category not in InterventionCategory.values:
        errors["category"] = [_("Choisissez une catégorie de la liste.")]
    day = _date(errors, "date", date)
    if day and day > timezone.localdate():
        errors.setdefault("date", []).append(_("La date ne peut pas être dans le futur."))
    follow = _date(errors, "follow_up_on", follow_up_on, required=False)
    if day and follow and follow < day:
        errors.setdefault("follow_up_on", []).append(_("Le suivi ne peut pas précéder l'intervention."))
    low, high = bounds.DURATION_MINUTES
    if isinstance(duration_minutes, str) and duration_minutes.strip().isdigit():
        duration_minutes = int(duration_minutes)
    if not isinstance(duration_minutes, int) or isinstance(duration_minutes, bool) or not (
            low <= duration_minutes <= high):
        errors["duration_minutes"] = [_("Entrez une durée de %(low)s à %(high)s minutes.") % {"low": low, "high": high}]
    summary = _text(errors, "summary", summary, bounds.SUMMARY_LENGTH, required=True)
    notes = str(notes or "").strip()
    if len(notes) > bounds.NOTES_LENGTH:
        errors["notes"] = [_("Ce texte est trop long (%(max)s caractères au plus).") % {"max": bounds.NOTES_LENGTH}]
    group_label = _text(errors, "group_label", group_label, 200)
    building = household = None
    if building_id is not None:
        building = Building.objects.filter(pk=building_id).first()
        if building is None:
            errors["building_id"] = [_("Cet immeuble n'existe pas.")]
    if household_id is not None:
        household = Household.objects.filter(pk=household_id, members__files__organization_id=org_id).first()
        if household is None:
            errors["household_id"] = [_("Ce ménage n'existe pas ou vous n'y avez pas accès.")]
    if not ids and building is None and household is None and not group_label:
        errors.setdefault("person_ids", []).append(
            _("Nommez au moins une personne, un ménage, un immeuble ou un groupe."))
    if errors:
        raise ValidationFailed(errors)
    persons = [person_for_act(actor, pk)[0] for pk in ids]
    collective = len(persons) > 1 or building is not None or bool(group_label)
    place = intervention_place(building=building, household=household, persons=persons)
    with transaction.atomic():
        intervention = Intervention.objects.create(
            organization_id=org_id, worker=actor, date=cast(datetime.date, day), duration_minutes=duration_minutes, category=category,
            mode=InterventionMode.COLLECTIVE if collective else InterventionMode.INDIVIDUAL,
            household=household, building=building, group_label=group_label, summary=summary, notes=notes,
            follow_up_on=follow, **place)
        intervention.persons.set(persons)
        rollup_add(intervention, participants=len(persons))
        audit_record(actor=actor, action="intervention.record", instance=intervention,
                     after=intervention_snapshot(intervention))
    return intervention


# ---- referrals ---------------------------------------------------------------------------------


def referral_snapshot(referral: Referral) -> dict[str, Any]:
    return {"person_id": referral.person_id, "service_id": str(referral.service_id),
            "sending_organization_id": referral.sending_organization_id,
            "receiving_organization_id": referral.receiving_organization_id,
            "state": referral.state, "outcome": referral.outcome or None, "consent_id": referral.consent_id}


def _event(referral: Referral, *, actor: Any, organization_id: int | None, from_state: str, to_state: str,
           reason: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, actor=actor, organization_id=organization_id,
                                 from_state=from_state, to_state=to_state, reason=reason[:500])


def referral_create(*, actor: Any, person_id: int, service_id: Any, reason: str,
                    organization_id: int | None = None) -> Referral:
    """A worker drafts a referral of a person to a directory service (and so to its organization)."""
    org_id = acting_organization(actor, organization_id)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, bounds.REASON_LENGTH, required=True)
    service = None
    try:
        service = Service.objects.select_related("directory_organization").filter(
            pk=service_id, status=ServiceStatus.ACTIVE).first()
    except (ValueError, TypeError, DjangoValidationError):  # a malformed UUID is bad input
        service = None
    if service is None:
        errors["service_id"] = [_("Ce service n'existe pas ou n'est plus offert.")]
    elif service.directory_organization.organization_id == org_id:
        errors["service_id"] = [_("Ce service est celui de votre propre organisation.")]
    if errors:
        raise ValidationFailed(errors)
    person, _access = person_for_act(actor, person_id)
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person, service=cast(Service, service), sending_organization_id=org_id,
            receiving_organization_id=service.directory_organization.organization_id,  # type: ignore[union-attr]
            created_by=actor, reason=reason)
        _event(referral, actor=actor, organization_id=org_id, from_state="", to_state=ReferralState.DRAFT)
        audit_record(actor=actor, action="referral.create", instance=referral, after=referral_snapshot(referral))
    return referral


def _transition(*, actor: Any, referral_id: int, action: str, side: str, allowed_from: Iterable[str],
                to_state: str, reason: str = "", outcome: str = "",
                prepare: Any = None) -> Referral:
    with transaction.atomic():
        referral = referral_for_act(actor, referral_id)
        orgs = support_organizations(actor)
        org_id = referral.sending_organization_id if side == "sender" else referral.receiving_organization_id
        if org_id not in orgs:
            if side == "receiver":
                raise PermissionRefused(_("Seule l'organisation qui reçoit la référence peut faire cela."))
            raise PermissionRefused(_("Seule l'organisation qui a fait la référence peut faire cela."))
        current = referral.effective_state()
        if current not in set(allowed_from):
            raise ValidationFailed({"state": [
                _("Impossible depuis l'état « %(state)s ».") % {"state": ReferralState(current).label}]})
        before = referral_snapshot(referral)
        if prepare is not None:
            prepare(referral)
        referral.state = to_state
        if outcome:
            referral.outcome = outcome
        referral.save()
        _event(referral, actor=actor, organization_id=org_id, from_state=current, to_state=to_state, reason=reason)
        audit_record(actor=actor, action=f"referral.{action}", instance=referral, before=before,
                     after=referral_snapshot(referral))
    return referral


def referral_send(*, actor: Any, referral_id: int) -> Referral:
    """Send a draft: refused (422) unless an active consent of the person names the receiving organization."""

    def needs_consent(referral: Referral) -> None:
        consent = (active_consents().filter(person_id=referral.person_id,
                                            receiving_organizations=referral.receiving_organization_id)
                   .order_by("-ends_on", "-id").first())
        if consent is None:
            raise ValidationFailed({"consent": [
                _("Aucun consentement actif de cette personne ne nomme l'organisation qui reçoit la référence.")]})
        referral.consent = consent
        referral.sent_at = timezone.now()

    return _transition(actor=actor, referral_id=referral_id, action="send", side="sender",
                       allowed_from=[ReferralState.DRAFT], to_state=ReferralState.SENT, prepare=needs_consent)


def referral_accept(*, actor: Any, referral_id: int) -> Referral:
    """The receiving organization takes the referral (before it expires)."""
    return _transition(actor=actor, referral_id=referral_id, action="accept", side="receiver",
                       allowed_from=[ReferralState.SENT], to_state=ReferralState.ACCEPTED)


def referral_decline(*, actor: Any, referral_id: int, reason: str = "") -> Referral:
    """The receiving organization declines the referral, saying why."""
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, 500)
    if errors:
        raise ValidationFailed(errors)
    return _transition(actor=actor, referral_id=referral_id, action="decline", side="receiver",
                       allowed_from=[ReferralState.SENT], to_state=ReferralState.DECLINED, reason=reason)


def referral_start(*, actor: Any, referral_id: int) -> Referral:
    """The receiving organization starts giving the service."""
    return _transition(actor=actor, referral_id=referral_id, action="start", side="receiver",
                       allowed_from=[ReferralState.ACCEPTED], to_state=ReferralState.IN_PROGRESS)


def referral_close(*, actor: Any, referral_id: int, outcome: str, reason: str = "") -> Referral:
    """The receiving organization closes the referral with its outcome, which the sender then sees."""
    if outcome not in ReferralOutcome.values:
        raise ValidationFailed({"outcome": [_("Choisissez un résultat de la liste.")]})
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, 500)
    if errors:
        raise ValidationFailed(errors)
    return _transition(actor=actor, referral_id=referral_id, action="close", side="receiver",
                       allowed_from=[ReferralState.ACCEPTED, ReferralState.IN_PROGRESS],
                       to_state=ReferralState.CLOSED, outcome=outcome, reason=reason)


def referral_withdraw(*, actor: Any, referral_id: int, reason: str = "") -> Referral:
    """The sender withdraws a referral that is a draft or still open."""
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, 500)
    if errors:
        raise ValidationFailed(errors)
    return _transition(actor=actor, referral_id=referral_id, action="withdraw", side="sender",
                       allowed_from=[ReferralState.DRAFT, *OPEN_STATES], to_state=ReferralState.WITHDRAWN,
                       reason=reason)


def referrals_suspend_for(*, actor: Any, consent: Consent) -> int:
    """Within consent_revoke: the open referrals sent under this consent are suspended, each with its event."""
    now = timezone.now()
    suspended = 0
    for referral in Referral.objects.select_for_update().filter(consent=consent, state__in=OPEN_STATES):
        current = referral.effective_state(now)
        if current not in OPEN_STATES:
            continue
        referral.state = ReferralState.SUSPENDED
        referral.save(update_fields=["state", "updated_at"])
        _event(referral, actor=actor, organization_id=consent.recording_organization_id, from_state=current,
               to_state=ReferralState.SUSPENDED, reason="consent_revoked")
        suspended += 1
    return suspended


# ---- the working committee's case reviews ------------------------------------------------------


def case_review_snapshot(review: CaseReview) -> dict[str, Any]:
    return {"held_on": review.held_on.isoformat(), "convening_organization_id": review.convening_organization_id,
            "organization_ids": sorted(o.pk for o in review.organizations.all()), "categories": review.categories}


def case_review_create(*, actor: Any, held_on: Any, title: str, organization_ids: Iterable[int],
                       categories: Iterable[str], organization_id: int | None = None) -> CaseReview:
    """A worker convenes a case review of named organizations (theirs among them) on categories of information.

    Identity is always discussed: the persons on the list are named.
    """
    org_id = acting_organization(actor, organization_id)
    errors: dict[str, list[str]] = {}
    day = _date(errors, "held_on", held_on)
    title = _text(errors, "title", title, 200, required=True)
    present = sorted({int(pk) for pk in organization_ids or []} | {org_id})
    if len(present) < 2:
        errors["organization_ids"] = [_("Nommez au moins une autre organisation présente.")]
    elif Organization.objects.filter(pk__in=present).count() != len(present):
        errors["organization_ids"] = [_("Une des organisations nommées n'existe pas.")]
    wanted = set(categories or [])
    if any(c not in CATEGORIES for c in wanted):
        errors["categories"] = [_("Catégorie inconnue : choisissez parmi %(list)s.") % {"list": ", ".join(CATEGORIES)}]
    wanted.add(Category.IDENTITY)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        review = CaseReview.objects.create(held_on=cast(datetime.date, day), title=title,
                                           convening_organization_id=org_id, convened_by=actor,
                                           **{c: c in wanted for c in CATEGORIES})
        review.organizations.set(present)
        audit_record(actor=actor, action="case_review.create", instance=review, after=case_review_snapshot(review))
    return review


def _present_organization(actor: Any, review: CaseReview, organization_id: int | None) -> int:
    """The organization present at the review for which the actor acts."""
    present = {o.pk for o in review.organizations.all()}
    mine = sorted(support_organizations(actor) & present)
    if organization_id is not None:
        if organization_id not in mine:
            raise ValidationFailed({"organization_id": [_("Vous n'agissez pas pour cette organisation.")]})
        return organization_id
    if len(mine) != 1:
        raise ValidationFailed({"organization_id": [_("Indiquez pour quelle organisation vous agissez.")]})
    return mine[0]


def consent_gap_message(gaps: list[tuple[int, str]]) -> list[str]:
    """In plain French: which organization lacks a consent for which categories."""
    names = dict(Organization.objects.filter(pk__in={org for org, _c in gaps}).values_list("pk", "name"))
    labels = dict(Category.choices)
    missing: dict[int, list[str]] = {}
    for org, category in gaps:
        missing.setdefault(org, []).append(str(labels[category]))
    return [_("Aucun consentement en vigueur de cette personne ne nomme %(organization)s pour : %(categories)s.")
            % {"organization": names.get(org, org), "categories": ", ".join(cats)} for org, cats in missing.items()]


def case_review_add_person(*, actor: Any, review_id: int, person_id: int,
                           organization_id: int | None = None) -> CaseReviewItem:
    """Put a person on a review's list: refused (422) unless active consents name every organization
    present (except those holding the person's file) for every category discussed."""
    with transaction.atomic():
        review = case_review_for_act(actor, review_id)
        org_id = _present_organization(actor, review, organization_id)
        person, _access = person_for_act(actor, person_id)
        gaps = consent_gaps([person.pk], [o.pk for o in review.organizations.all()], review.categories)[person.pk]
        if gaps:
            raise ValidationFailed({"person_id": consent_gap_message(gaps)})
        if review.items.filter(person=person).exists():
            raise ValidationFailed({"person_id": [_("Cette personne est déjà sur la liste de cette revue.")]})
        item = CaseReviewItem.objects.create(review=review, person=person, added_by=actor,
                                             added_by_organization_id=org_id)
        audit_record(actor=actor, action="case_review.add_person", instance=review,
                     after={"item_id": item.pk, "person_id": person.pk, "organization_id": org_id})
    return item


def case_review_note_write(*, actor: Any, review_id: int, item_id: int, text: str,
                           organization_id: int | None = None) -> CaseReviewNote:
    """An organization present writes its notes on a person discussed, while the consent rule holds.

    Notes are visible to the organizations present only; a note is never edited, another is added.
    """
    errors: dict[str, list[str]] = {}
    text = str(text or "").strip()
    if not text:
        errors["text"] = [_("Ce champ est obligatoire.")]
    elif len(text) > bounds.NOTES_LENGTH:
        errors["text"] = [_("Ce texte est trop long (%(max)s caractères au plus).") % {"max": bounds.NOTES_LENGTH}]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        review = case_review_for_act(actor, review_id)
        org_id = _present_organization(actor, review, organization_id)
        item = case_review_item_for_act(actor, review, item_id)
        if consent_gaps([item.person_id], [o.pk for o in review.organizations.all()],
                        review.categories)[item.person_id]:
            raise ValidationFailed({"text": [_("Le consentement de cette personne n'est plus en vigueur : "
                                               "elle est retirée de la revue.")]})
        note = CaseReviewNote.objects.create(item=item, organization_id=org_id, author=actor, text=text)
        audit_record(actor=actor, action="case_review.note", instance=review,
                     after={"item_id": item.pk, "note_id": note.pk, "organization_id": org_id})
    return note
