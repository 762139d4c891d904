"""What Québec's private-sector privacy law asks an organization to keep besides the record itself.

- ``DestructionRecord``: the fact that a piece of personal information was destroyed under a
  retention rule (what kind of record, its id, whose, which category, which rule, when), never
  its content. Append-only, like the access log (the database refuses UPDATE and DELETE).
- ``ConfidentialityIncident``: the register of confidentiality incidents (art. 3.8 of the Act and
  the Regulation respecting confidentiality incidents, art. 2): edited as the facts become known,
  every edit audited, never deleted (the database refuses DELETE).
- ``ConsentScan``: the signed consent form's scan, attached after the consent was recorded, kept
  in the database (the web tier keeps no files) and served only to who may see the consent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordIsKept(Exception):
    def __init__(self, what: str, operation: str) -> None:
        super().__init__(f"{what}: {operation} is refused.")


class RetentionCategory(models.TextChoices):
    """The categories of information a retention rule destroys, each on its own schedule."""

    NOTES = "notes", _("notes d'intervention")
    SUMMARIES = "summaries", _("résumés d'intervention")
    REFERRAL_REASONS = "referral_reasons", _("motifs de référence")
    CONTACT = "contact", _("coordonnées de la personne")
    CONSENT_SCANS = "consent_scans", _("formulaires de consentement numérisés")


class DestructionQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise RecordIsKept("destruction record", "update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordIsKept("destruction record", "delete")


class DestructionRecord(models.Model):
    """One piece of information destroyed by a retention rule: the fact, never the content."""

    destroyed_at = models.DateTimeField(_("détruit le"), default=timezone.now, db_index=True)
    run = models.CharField(_("passage"), max_length=36, db_index=True)
    record_type = models.CharField(_("type de dossier"), max_length=20)
    record_id = models.BigIntegerField(_("dossier"))
    # Plain ids, not foreign keys: the fact outlives what it describes.
    person_id = models.BigIntegerField(_("personne"), null=True, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    category = models.CharField(_("catégorie"), max_length=20, choices=RetentionCategory.choices)
    rule = models.CharField(_("règle appliquée"), max_length=200)
    counted_from = models.DateField(_("compté à partir du"))
    applied_on = models.DateField(_("date d'application"))

    objects = DestructionQuerySet.as_manager()

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        verbose_name = _("destruction consignée")
        verbose_name_plural = _("destructions consignées")
        indexes = [models.Index(fields=["organization", "destroyed_at"], name="destruction_org_at")]

    def __str__(self) -> str:
        return f"{self.category} {self.record_type}#{self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RecordIsKept("destruction record", "save of an existing row")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordIsKept("destruction record", "delete")


class InjuryRisk(models.TextChoices):
    """The assessment the Act asks for: is there a risk of serious injury to the persons concerned?"""

    SERIOUS = "serious", _("risque de préjudice sérieux")
    NOT_SERIOUS = "not_serious", _("pas de risque de préjudice sérieux")
    UNDER_ASSESSMENT = "assessing", _("évaluation en cours")


class IncidentQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordIsKept("confidentiality incident", "delete")


class ConfidentialityIncident(models.Model):
    """One entry of an organization's register of confidentiality incidents.

    The information concerned is described by category, never copied here. An entry is
    edited as the facts become known (version-checked, audited) and never deleted.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="confidentiality_incidents", verbose_name=_("organisation"))
    occurred_on = models.DateField(_("date de l'incident"))
    occurred_until = models.DateField(_("fin de la période"), null=True, blank=True)
    learned_on = models.DateField(_("date où l'organisation en a pris connaissance"))
    identity = models.BooleanField(_("identité et coordonnées"), default=False)
    housing = models.BooleanField(_("logement"), default=False)
    interventions = models.BooleanField(_("résumés d'intervention"), default=False)
    notes = models.BooleanField(_("notes"), default=False)
    referrals = models.BooleanField(_("résultats de référence"), default=False)
    information_description = models.TextField(_("renseignements concernés"), max_length=1000)
    circumstances = models.TextField(_("circonstances"), max_length=2000)
    persons_affected = models.PositiveIntegerField(_("nombre de personnes concernées"))
    persons_affected_estimated = models.BooleanField(_("nombre approximatif"), default=False)
    injury_risk = models.CharField(_("risque de préjudice sérieux"), max_length=12, choices=InjuryRisk.choices)
    risk_assessment = models.TextField(_("évaluation du risque"), max_length=2000, blank=True)
    commission_notified_on = models.DateField(_("avis à la Commission d'accès à l'information le"), null=True,
                                              blank=True)
    persons_notified_on = models.DateField(_("avis aux personnes concernées le"), null=True, blank=True)
    measures = models.TextField(_("mesures prises"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("consigné par"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-learned_on", "-id"]
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")
        constraints = [
            models.CheckConstraint(condition=models.Q(learned_on__gte=models.F("occurred_on")),
                                   name="incident_learned_after_it_occurred"),
        ]

    def __str__(self) -> str:
        return f"Incident #{self.pk}"

    @property
    def categories(self) -> list[str]:
        from .models import CATEGORIES

        return [c for c in CATEGORIES if getattr(self, c)]

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordIsKept("confidentiality incident", "delete")


class ConsentScan(models.Model):
    """The signed consent form, scanned (PDF, JPEG or PNG), attached once to its consent."""

    consent = models.OneToOneField("people.Consent", on_delete=models.PROTECT, related_name="signed_scan")
    content_type = models.CharField(max_length=20, editable=False)
    data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("formulaire de consentement numérisé")
        verbose_name_plural = _("formulaires de consentement numérisés")

    def __str__(self) -> str:
        return f"Formulaire numérisé #{self.pk}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(self.content_type, "bin")
