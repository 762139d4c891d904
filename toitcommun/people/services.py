"""Acts on persons and consents: register (with duplicate detection), merge, record and revoke a consent.

Audit snapshots carry ids, codes and dates only: never a name, a phone, a purpose
or a witness.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.housing.models import Building, Clientele
from toitcommun.organizations.models import Organization
from toitcommun.territory.text import fold

from . import bounds
from .models import (
    CATEGORIES,
    Consent,
    ConsentMethod,
    ConsentScan,
    DuplicateSuspect,
    GivenBy,
    Household,
    Person,
    PersonFile,
    RevocationMethod,
)
from .rules import acting_organization
from .selectors import consent_for_act, household_for_act, person_for_act, possible_duplicates


def phone_key(phone: str) -> str:
    """The phone as E.164 digits (Québec by default), or "" when it is not a phone number."""
    if not phone.strip():
        return ""
    try:
        number = phonenumbers.parse(phone, "CA")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def _text(errors: dict[str, list[str]], name: str, value: Any, max_length: int, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors.setdefault(name, []).append(_("Ce champ est obligatoire."))
    elif len(text) > max_length:
        errors.setdefault(name, []).append(
            _("Ce texte est trop long (%(max)s caractères au plus).") % {"max": max_length})
    return text


def _person_snapshot(person: Person, organization_id: int | None = None) -> dict[str, Any]:
    return {"person_id": person.pk, "building_id": person.building_id, "household_id": person.household_id,
            "organization_id": organization_id}


def person_register(*, actor: Any, first_name: str, last_name: str, phone: str = "", email: str = "",
                    languages: str = "", building_id: int | None = None, unit: str = "", clientele: str = "",
                    household_id: int | None = None, organization_id: int | None = None,
                    ) -> tuple[Person, int]:
    """An organization registers a tenant it follows and opens its file on them.

    Returns the person and how many existing persons look like them (same name and
    building, or same phone), recorded as possible duplicates for a merge.
    """
    org_id = acting_organization(actor, organization_id)
    errors: dict[str, list[str]] = {}
    first = _text(errors, "first_name", first_name, 100, required=True)
    last = _text(errors, "last_name", last_name, 100, required=True)
    phone = _text(errors, "phone", phone, 40)
    email = _text(errors, "email", email, 254)
    languages = _text(errors, "languages", languages, 200)
    unit = _text(errors, "unit", unit, 20)
    key = phone_key(phone)
    if phone and not key:
        errors.setdefault("phone", []).append(_("Entrez un numéro de téléphone valide, par exemple 418 555-0123."))
    if email and "@" not in email:
        errors.setdefault("email", []).append(_("Saisissez une adresse de courriel valide."))
    if clientele and clientele not in Clientele.values:
        errors.setdefault("clientele", []).append(_("Choisissez une clientèle de la liste."))
    building = None
    if building_id is not None:
        building = Building.objects.filter(pk=building_id).first()
        if building is None:
            errors.setdefault("building_id", []).append(_("Cet immeuble n'existe pas."))
    household = None
    if household_id is not None:
        household = Household.objects.filter(pk=household_id, members__files__organization_id=org_id).first()
        if household is None:
            errors.setdefault("household_id", []).append(_("Ce ménage n'existe pas ou vous n'y avez pas accès."))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        person = Person.objects.create(
            first_name=first, last_name=last, phone=phone, email=email, languages=languages, building=building,
            unit=unit, clientele=clientele, household=household, name_key=Person.key_for(first, last), phone_key=key)
        PersonFile.objects.create(person=person, organization_id=org_id, opened_by=actor)
        duplicates = _find_duplicates(person)
        audit_record(actor=actor, action="person.register", instance=person,
                     after=_person_snapshot(person, org_id) | {"possible_duplicates": len(duplicates)})
    # Only the look-alikes the registering organization may name are told: another organization's
    # tenant, unshared, stays unknown to it (the suspicion is kept for when a consent allows a merge).
    return person, len(possible_duplicates(actor, person))


def _find_duplicates(person: Person) -> list[int]:
    match = Q(pk__in=[])
    if person.building_id:
        match |= Q(name_key=person.name_key, building_id=person.building_id)
    if person.phone_key:
        match |= Q(phone_key=person.phone_key)
    others = list(Person.objects.filter(match, merged_into__isnull=True).exclude(pk=person.pk)
                  .values_list("pk", "phone_key"))
    DuplicateSuspect.objects.bulk_create([
        DuplicateSuspect(person=person, other_id=pk, reason=DuplicateSuspect.Reason.PHONE
                         if person.phone_key and other_phone == person.phone_key
                         else DuplicateSuspect.Reason.NAME_AND_BUILDING)
        for pk, other_phone in others
    ], ignore_conflicts=True)
    return [pk for pk, _phone in others]


def person_merge(*, actor: Any, keep_id: int, merge_id: int) -> Person:
    """Two records of the same tenant become one: every file, consent, intervention and referral of the
    second moves to the first; the second keeps its row, marked merged, and answers "not found" after.

    The caller's organization must hold a file on one of them and see the other's identity.
    """
    if keep_id == merge_id:
        raise ValidationFailed({"merge_id": [_("Choisissez deux personnes différentes.")]})
    with transaction.atomic():
        keep, keep_access = person_for_act(actor, keep_id)
        other, other_access = person_for_act(actor, merge_id)
        if not (keep_access.own or other_access.own):
            raise PermissionRefused(_("Seule une organisation qui tient le dossier d'une des deux personnes "
                                      "peut les fusionner."))
        from toitcommun.collective.models import ActivityAttendee, Mandate
        from toitcommun.support.models import CaseReviewItem, CaseReviewNote, Intervention, Referral

        moved = {"consents": Consent.objects.filter(person=other).count(),
                 "referrals": Referral.objects.filter(person=other).count(),
                 "interventions": Intervention.persons.through.objects.filter(person_id=other.pk).count()}
        for file in PersonFile.objects.filter(person=other):
            PersonFile.objects.get_or_create(person=keep, organization_id=file.organization_id,
                                             defaults={"opened_at": file.opened_at, "opened_by": file.opened_by})
        PersonFile.objects.filter(person=other).delete()
        Consent.objects.filter(person=other).update(person=keep)
        Referral.objects.filter(person=other).update(person=keep)
        from toitcommun.support.rollups import rollup_participants_removed

        through = Intervention.persons.through
        already = set(through.objects.filter(person_id=keep.pk).values_list("intervention_id", flat=True))
        both = through.objects.filter(person_id=other.pk, intervention_id__in=already)
        # The interventions that named both now name one person: their month's roll-up counts one fewer.
        rollup_participants_removed(both.values_list("intervention_id", flat=True))
        both.delete()
        through.objects.filter(person_id=other.pk).update(person_id=keep.pk)
        # A case review that discussed both keeps one item: the merged one's notes join the kept one's.
        kept_items = dict(CaseReviewItem.objects.filter(person=keep).values_list("review_id", "pk"))
        for item in CaseReviewItem.objects.filter(person=other, review_id__in=list(kept_items)):
            CaseReviewNote.objects.filter(item=item).update(item_id=kept_items[item.review_id])
            item.delete()
        CaseReviewItem.objects.filter(person=other).update(person=keep)
        attended = ActivityAttendee.objects.filter(person=keep).values("activity_id")
        ActivityAttendee.objects.filter(person=other, activity_id__in=attended).delete()
        ActivityAttendee.objects.filter(person=other).update(person=keep)
        Mandate.objects.filter(person=other).update(person=keep)
        if keep.household_id is None and other.household_id is not None:
            keep.household_id = other.household_id
            keep.save(update_fields=["household", "updated_at"])
        other.merged_into = keep
        other.save(update_fields=["merged_into", "updated_at"])
        DuplicateSuspect.objects.filter(Q(person=other) | Q(other=other)).update(resolved_at=timezone.now())
        # The access log is never rewritten: its lines of the merged person are read with the kept one's.
        audit_record(actor=actor, action="person.merge", instance=keep,
                     after={"person_id": keep.pk, "merged_person_id": other.pk} | moved)
    return keep


# ---- consents ---------------------------------------------------------------------------------


def _date(errors: dict[str, list[str]], name: str, value: Any, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("Ce champ est obligatoire."))
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            errors.setdefault(name, []).append(_("Entrez une date au format AAAA-MM-JJ."))
            return None
    if not bounds.EARLIEST_DATE <= value <= bounds.LATEST_DATE:
        errors.setdefault(name, []).append(
            _("Entrez une date entre %(first)s et %(last)s.") % {"first": bounds.EARLIEST_DATE.isoformat(),
                                                                  "last": bounds.LATEST_DATE.isoformat()})
        return None
    return value


def consent_record(*, actor: Any, person_id: int, receiving_organization_ids: Iterable[int],
                   categories: Iterable[str], purpose: str, given_by: str, method: str,
                   starts_on: Any, ends_on: Any, witness_name: str = "", legal_basis: str = "",
                   given_by_name: str = "", organization_id: int | None = None) -> Consent:
    """Record a tenant's consent to share categories of their information with named organizations.

    Refused: no receiving organization (an empty list never means "all"), no category,
    a verbal consent without a witness or witnessed by its recorder, a legal exception
    without its article, an end before the start or more than a year after it.
    """
    org_id = acting_organization(actor, organization_id)
    person, access = person_for_act(actor, person_id)
    if access.own_organization_id is None:
        raise PermissionRefused(_("Seule une organisation qui tient le dossier de cette personne "
                                  "peut consigner son consentement."))
    errors: dict[str, list[str]] = {}
    receivers = sorted({int(pk) for pk in receiving_organization_ids or []})
    if not receivers:
        errors["receiving_organization_ids"] = [_("Nommez au moins une organisation autorisée.")]
    else:
        found = set(Organization.objects.filter(pk__in=receivers).values_list("pk", flat=True))
        if found != set(receivers):
            errors["receiving_organization_ids"] = [_("Une des organisations nommées n'existe pas.")]
    wanted = list(dict.fromkeys(categories or []))
    if not wanted:
        errors["categories"] = [_("Choisissez au moins une catégorie d'information.")]
    elif any(c not in CATEGORIES for c in wanted):
        errors["categories"] = [_("Catégorie inconnue : choisissez parmi %(list)s.") % {"list": ", ".join(CATEGORIES)}]
    purpose = _text(errors, "purpose", purpose, 1000, required=True)
    if given_by not in GivenBy.values:
        errors["given_by"] = [_("Choisissez qui a donné le consentement.")]
    given_by_name = _text(errors, "given_by_name", given_by_name, 200)
    if given_by in (GivenBy.GUARDIAN, GivenBy.REPRESENTATIVE) and not given_by_name:
        errors.setdefault("given_by_name", []).append(_("Indiquez le nom du parent, du tuteur ou du représentant."))
    witness = _text(errors, "witness_name", witness_name, 200)
    legal_basis = _text(errors, "legal_basis", legal_basis, 300)
    if method not in ConsentMethod.values:
        errors["method"] = [_("Choisissez comment le consentement a été donné.")]
    elif method == ConsentMethod.VERBAL:
        if not witness:
            errors.setdefault("witness_name", []).append(_("Un consentement verbal doit avoir un témoin."))
        elif fold(witness) in _names_of(actor):
            errors.setdefault("witness_name", []).append(
                _("Le témoin d'un consentement verbal ne peut pas être la personne qui le consigne."))
    elif method == ConsentMethod.LEGAL_EXCEPTION and not legal_basis:
        errors.setdefault("legal_basis", []).append(_("Citez l'article de loi qui permet cette exception."))
    start = _date(errors, "starts_on", starts_on)
    end = _date(errors, "ends_on", ends_on)
    if start and end:
        if end < start:
            errors.setdefault("ends_on", []).append(_("La fin doit suivre le début."))
        elif (end - start).days > settings.CONSENT_MAX_DAYS:
            errors.setdefault("ends_on", []).append(
                _("Un consentement dure au plus %(days)s jours.") % {"days": settings.CONSENT_MAX_DAYS})
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person, given_by=given_by, given_by_name=given_by_name, recorded_by=actor,
            recording_organization_id=org_id, purpose=purpose, method=method,
            witness_name=witness if method == ConsentMethod.VERBAL else "",
            legal_basis=legal_basis if method == ConsentMethod.LEGAL_EXCEPTION else "",
            starts_on=cast(datetime.date, start), ends_on=cast(datetime.date, end),
            **{c: c in wanted for c in CATEGORIES})
        consent.receiving_organizations.set(receivers)
        audit_record(actor=actor, action="consent.record", instance=consent, after=consent_snapshot(consent))
    return consent


def _names_of(user: Any) -> set[str]:
    names = {fold(user.get_username()), fold(user.get_full_name()),
             fold(f"{user.last_name} {user.first_name}")}
    names.update(fold(m.full_name) for m in user.memberships.all())
    return {n for n in names if n}


def consent_snapshot(consent: Consent) -> dict[str, Any]:
    """What the audit keeps of a consent: ids, codes and dates; no purpose, no witness, no name."""
    return {
        "person_id": consent.person_id, "recording_organization_id": consent.recording_organization_id,
        "receiving_organization_ids": sorted(o.pk for o in consent.receiving_organizations.all()),
        "categories": consent.categories, "given_by": consent.given_by, "method": consent.method,
        "starts_on": consent.starts_on.isoformat(), "ends_on": consent.ends_on.isoformat(),
        "revoked_at": consent.revoked_at.isoformat() if consent.revoked_at else None,
        "revocation_method": consent.revocation_method or None,
    }


def consent_revoke(*, actor: Any, consent_id: int, method: str, reason: str = "") -> Consent:
    """The person withdraws their consent: effective on the very next request, no job to run.

    Open referrals sent under it are suspended, each with a dated event.
    """
    errors: dict[str, list[str]] = {}
    if method not in RevocationMethod.values:
        errors["method"] = [_("Choisissez comment la révocation a été faite.")]
    reason = _text(errors, "reason", reason, 500)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        consent = consent_for_act(actor, consent_id)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is not None:
            raise ValidationFailed({"consent": [_("Ce consentement est déjà révoqué.")]})
        before = consent_snapshot(consent)
        consent.revoked_at = timezone.now()
        consent.revoked_by = actor
        consent.revocation_method = method
        consent.revocation_reason = reason
        consent.save(update_fields=["revoked_at", "revoked_by", "revocation_method", "revocation_reason"])
        from toitcommun.support.services import referrals_suspend_for

        suspended = referrals_suspend_for(actor=actor, consent=consent)
        audit_record(actor=actor, action="consent.revoke", instance=consent, before=before,
                     after=consent_snapshot(consent) | {"referrals_suspended": suspended})
    return consent


def duplicate_dismiss(*, actor: Any, suspect_id: int) -> DuplicateSuspect:
    """A worker judges that two look-alike persons are two different tenants: the suspicion is closed."""
    from .selectors import duplicate_for_act

    with transaction.atomic():
        suspect = duplicate_for_act(actor, suspect_id)
        suspect.resolved_at = timezone.now()
        suspect.save(update_fields=["resolved_at"])
        audit_record(actor=actor, action="duplicate.dismiss", instance=suspect,
                     after={"person_id": suspect.person_id, "other_id": suspect.other_id})
    return suspect


# ---- households -------------------------------------------------------------------------------


def _own_person(actor: Any, person_id: int) -> Person:
    person, access = person_for_act(actor, person_id)
    if not access.own:
        raise PermissionRefused(_("Seule une organisation qui tient le dossier de cette personne peut changer "
                                  "son ménage."))
    return person


def household_create(*, actor: Any, person_id: int, building_id: int | None = None, unit: str = "") -> Household:
    """A household is formed around a person whose file the organization holds (they become its first member).

    Its building and unit are the person's unless given.
    """
    errors: dict[str, list[str]] = {}
    unit = _text(errors, "unit", unit, 20)
    building = None
    if building_id is not None:
        building = Building.objects.filter(pk=building_id).first()
        if building is None:
            errors["building_id"] = [_("Cet immeuble n'existe pas.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        person = _own_person(actor, person_id)
        household = Household.objects.create(building=building or person.building, unit=unit or person.unit)
        person.household = household
        person.save(update_fields=["household", "updated_at"])
        audit_record(actor=actor, action="household.create", instance=household,
                     after={"household_id": household.pk, "person_id": person.pk,
                            "building_id": household.building_id})
    return household


def household_add_member(*, actor: Any, household_id: int, person_id: int) -> Household:
    """A person whose file the organization holds joins a household it may see (leaving any other)."""
    with transaction.atomic():
        household = household_for_act(actor, household_id)
        person = _own_person(actor, person_id)
        if person.household_id == household.pk:
            raise ValidationFailed({"person_id": [_("Cette personne fait déjà partie de ce ménage.")]})
        before = {"household_id": person.household_id}
        person.household = household
        person.save(update_fields=["household", "updated_at"])
        audit_record(actor=actor, action="household.add_member", instance=household, before=before,
                     after={"household_id": household.pk, "person_id": person.pk})
    return household


def household_remove_member(*, actor: Any, household_id: int, person_id: int) -> Household:
    """A person whose file the organization holds leaves a household."""
    with transaction.atomic():
        household = household_for_act(actor, household_id)
        person = _own_person(actor, person_id)
        if person.household_id != household.pk:
            raise ValidationFailed({"person_id": [_("Cette personne ne fait pas partie de ce ménage.")]})
        person.household = None
        person.save(update_fields=["household", "updated_at"])
        audit_record(actor=actor, action="household.remove_member", instance=household,
                     before={"household_id": household.pk}, after={"household_id": None, "person_id": person.pk})
    return household


def _scan_type(head: bytes) -> str | None:
    """What the file is, from its first bytes (never from its name or the browser's word)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def consent_scan_attach(*, actor: Any, consent_id: int, upload: Any) -> ConsentScan:
    """Attach the signed form's scan (PDF, JPEG or PNG) to a recorded consent, once.

    Only an organization holding the person's file, or the one that recorded the consent, attaches
    it. The consent itself is not changed: the scan is kept beside it.
    """
    limit = settings.CONSENT_SCAN_MAX_BYTES
    too_large = _("Le fichier dépasse %(mb)s Mo.") % {"mb": limit // (1024 * 1024)}
    if upload is None:
        raise ValidationFailed({"scan": [_("Choisissez le fichier du formulaire signé.")]})
    if upload.size > limit:
        raise ValidationFailed({"scan": [too_large]})
    data = upload.read(limit + 1)
    kind = _scan_type(data[:16])
    if len(data) > limit:
        raise ValidationFailed({"scan": [too_large]})
    if kind is None:
        raise ValidationFailed({"scan": [_("Envoyez un fichier PDF, JPEG ou PNG.")]})
    with transaction.atomic():
        consent = consent_for_act(actor, consent_id)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if ConsentScan.objects.filter(consent=consent).exists():
            raise ValidationFailed({"scan": [_("Le formulaire signé de ce consentement est déjà joint.")]})
        scan = ConsentScan.objects.create(consent=consent, content_type=kind, data=data, size=len(data),
                                          uploaded_by=actor)
        audit_record(actor=actor, action="consent.scan_attach", instance=consent,
                     after={"scan": scan.pk, "content_type": kind, "size": len(data)})
    return scan
