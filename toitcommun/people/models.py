"""Tenants and households, their consents to share (procurations), and the log of every read.

A person holds the least information the work needs: a name, how to reach them,
languages, household, building and unit, clientele. No health diagnosis.

Rows are reached only through ``people.selectors`` (persons, consents, the log);
a page or an endpoint that queries these models directly is a leak.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toitcommun.housing.models import Clientele
from toitcommun.territory.text import fold


class Category(models.TextChoices):
    """The categories of information a consent may share."""

    IDENTITY = "identity", _("identité et coordonnées")
    HOUSING = "housing", _("logement")
    INTERVENTIONS = "interventions", _("résumés d'intervention")
    NOTES = "notes", _("notes")
    REFERRALS = "referrals", _("résultats de référence")


CATEGORIES: tuple[str, ...] = tuple(Category.values)


class Household(models.Model):
    """A household (ménage): persons who live together in one unit."""

    building = models.ForeignKey("housing.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="households", verbose_name=_("immeuble"))
    unit = models.CharField(_("logement"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ménage")
        verbose_name_plural = _("ménages")

    def __str__(self) -> str:
        return f"Ménage #{self.pk}"


class Person(models.Model):
    """A tenant the community-support workers follow."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    languages = models.CharField(_("langues"), max_length=200, blank=True)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="members", verbose_name=_("ménage"))
    building = models.ForeignKey("housing.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="tenants", verbose_name=_("immeuble"))
    unit = models.CharField(_("logement"), max_length=20, blank=True)
    clientele = models.CharField(_("clientèle"), max_length=10, choices=Clientele.choices, blank=True)
    # Folded "first last" for search and duplicate detection; the phone as E.164 for the same.
    name_key = models.CharField(max_length=201, editable=False, db_index=True)
    phone_key = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    # A person merged into another keeps its row (and its id answers 404); every record moved.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        indexes = [models.Index(fields=["building", "name_key"], name="person_building_name")]

    def __str__(self) -> str:
        # Never a name: this is what logs, audit labels and admin titles show.
        return f"Personne #{self.pk}"

    @staticmethod
    def key_for(first_name: str, last_name: str) -> str:
        return fold(f"{first_name} {last_name}")[:201]


class PersonFile(models.Model):
    """An organization holds a file on a person: it registered them (or a merge brought their file in).

    Its own file is what an organization sees without any consent.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="files")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="person_files", verbose_name=_("organisation"))
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [models.UniqueConstraint(fields=["organization", "person"], name="person_file_once")]

    def __str__(self) -> str:
        return f"Dossier #{self.pk}"


class DuplicateSuspect(models.Model):
    """Two persons that may be the same tenant (same name and building, or same phone)."""

    class Reason(models.TextChoices):
        NAME_AND_BUILDING = "name_building", _("même nom et même immeuble")
        PHONE = "phone", _("même téléphone")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    found_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "other"], name="duplicate_suspect_once")]

    def __str__(self) -> str:
        return f"Doublon possible #{self.pk}"


class GivenBy(models.TextChoices):
    PERSON = "person", _("la personne elle-même")
    GUARDIAN = "guardian", _("un parent ou tuteur (mineur de moins de 14 ans)")
    REPRESENTATIVE = "representative", _("un représentant légal")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("formulaire signé")
    VERBAL = "verbal", _("verbalement, devant témoin")
    LEGAL_EXCEPTION = "legal_exception", _("exception prévue par la loi")


class RevocationMethod(models.TextChoices):
    WRITTEN = "written", _("par écrit")
    VERBAL = "verbal", _("verbalement")
    PHONE = "phone", _("par téléphone")
    OTHER = "other", _("autrement")


class ConsentQuerySet(models.QuerySet):
    def active_on(self, moment: datetime.datetime | None = None) -> ConsentQuerySet:
        """Consents in force now: started, not ended, not revoked. Computed, never stored."""
        moment = moment or timezone.now()
        today = timezone.localdate(moment)
        return self.filter(starts_on__lte=today, ends_on__gte=today).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment))


class Consent(models.Model):
    """A person's consent (procuration) to share categories of information with named organizations.

    A consent is never edited: an amendment is a new consent. Only its revocation
    (who, when, how) is written once after it is recorded.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("personne"))
    given_by = models.CharField(_("donné par"), max_length=20, choices=GivenBy.choices)
    given_by_name = models.CharField(_("nom du parent ou représentant"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("consigné par"))
    recording_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="consents_recorded",
        verbose_name=_("organisation qui l'a consigné"))
    receiving_organizations = models.ManyToManyField(
        "organizations.Organization", related_name="consents_received", verbose_name=_("organisations autorisées"))
    identity = models.BooleanField(_("identité et coordonnées"), default=False)
    housing = models.BooleanField(_("logement"), default=False)
    interventions = models.BooleanField(_("résumés d'intervention"), default=False)
    notes = models.BooleanField(_("notes"), default=False)
    referrals = models.BooleanField(_("résultats de référence"), default=False)
    purpose = models.TextField(_("finalité"), max_length=1000)
    method = models.CharField(_("mode"), max_length=20, choices=ConsentMethod.choices)
    witness_name = models.CharField(_("témoin"), max_length=200, blank=True)
    legal_basis = models.CharField(_("article de loi"), max_length=300, blank=True)
    scan = models.FileField(_("formulaire numérisé"), upload_to="consents/", blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("révoqué par"))
    revocation_method = models.CharField(_("mode de révocation"), max_length=20, choices=RevocationMethod.choices,
                                         blank=True)
    revocation_reason = models.CharField(_("motif de révocation"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="consent_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Consentement #{self.pk}"

    @property
    def categories(self) -> list[str]:
        return [c for c in CATEGORIES if getattr(self, c)]

    def is_active(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        today = timezone.localdate(moment)
        revoked = self.revoked_at is not None and self.revoked_at <= moment
        return self.starts_on <= today <= self.ends_on and not revoked

    def status(self, moment: datetime.datetime | None = None) -> str:
        moment = moment or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= moment:
            return "revoked"
        today = timezone.localdate(moment)
        if today > self.ends_on:
            return "expired"
        if today < self.starts_on:
            return "future"
        return "active"


# ---- the access log -------------------------------------------------------------------------


class AccessLogIsAppendOnly(Exception):
    def __init__(self, operation: str) -> None:
        super().__init__(f"The access log is append-only: {operation} is refused.")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AccessLogIsAppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AccessLogIsAppendOnly("delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AccessLogIsAppendOnly("bulk_update")


class AccessAction(models.TextChoices):
    VIEW = "view", _("consultation")
    LIST = "list", _("liste")
    SEARCH = "search", _("recherche")
    EXPORT = "export", _("exportation")
    PRINT = "print", _("impression")


class AccessBasis(models.TextChoices):
    OWN_ORGANIZATION = "own_organization", _("sa propre organisation")
    CONSENT = "consent", _("un consentement")
    REFERRAL = "referral", _("une référence")
    NONE = "none", _("aucun")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("permis")
    DENIED = "denied", _("refusé")
    NOT_FOUND = "not_found", _("introuvable")


class AccessLogEntry(models.Model):
    """One read of a personal record: who, for which organization, what, on what basis, with what outcome.

    No content and no names: ids, categories and codes only. The database refuses
    UPDATE and DELETE (migration 0002), as it does for the audit log.
    """

    at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("compte"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    # Plain ids, not foreign keys: the log outlives what it records (a destroyed note, a merged person).
    person_id = models.BigIntegerField(_("personne"), null=True, blank=True, db_index=True)
    record_type = models.CharField(_("type de dossier"), max_length=20)
    record_id = models.BigIntegerField(_("dossier"), null=True, blank=True)
    categories = models.CharField(_("catégories"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    basis = models.CharField(_("fondement"), max_length=20, choices=AccessBasis.choices)
    consent_id = models.BigIntegerField(_("consentement"), null=True, blank=True)
    referral_id = models.BigIntegerField(_("référence"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=AccessOutcome.choices)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal des accès")
        verbose_name_plural = _("journal des accès")
        indexes = [models.Index(fields=["organization", "at"], name="accesslog_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type}#{self.record_id} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AccessLogIsAppendOnly("save of an existing row")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AccessLogIsAppendOnly("delete")


# The privacy law's duties (destruction facts, incident register, consent scans) live beside.
from .models_duties import (  # noqa: E402, F401
    ConfidentialityIncident,
    ConsentScan,
    DestructionRecord,
    InjuryRisk,
    RetentionCategory,
)
