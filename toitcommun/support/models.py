"""The community-support record: interventions and referrals to directory services.

Rows are reached only through ``support.selectors``; a page or an endpoint that
queries these models directly is a leak.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def referral_answer_days() -> int:
    """A referral sent and not answered within this many days has expired (computed when read)."""
    return int(settings.REFERRAL_ANSWER_DAYS)

# An open referral older than this shows on the worker's page as waiting too long.
REFERRAL_OVERDUE_DAYS = 30


class InterventionCategory(models.TextChoices):
    """The provincial reference framework's categories, plus outreach visits."""

    WELCOME = "welcome", _("Accueil")
    REFERRAL = "referral", _("Référence")
    ACCOMPANIMENT = "accompaniment", _("Accompagnement")
    CONFLICT = "conflict", _("Gestion des conflits")
    CRISIS = "crisis", _("Intervention de crise")
    COMMITTEE_SUPPORT = "committee_support", _("Soutien aux comités")
    COMMUNITY_ORGANIZING = "community_organizing", _("Organisation communautaire")
    OUTREACH = "outreach", _("Visite de proximité")


class InterventionMode(models.TextChoices):
    INDIVIDUAL = "individual", _("individuelle")
    COLLECTIVE = "collective", _("collective")


class Intervention(models.Model):
    """What a worker did, when, for how long, for whom, in the framework's category.

    Individual: one person or one household. Collective: a building, a group, several persons.
    The summary and the private notes are visible to the writing organization; others
    see them only as a person's active consent grants.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="interventions", verbose_name=_("organisation"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interventions",
                               verbose_name=_("intervenant·e"))
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    category = models.CharField(_("catégorie"), max_length=30, choices=InterventionCategory.choices)
    mode = models.CharField(_("type"), max_length=12, choices=InterventionMode.choices,
                            default=InterventionMode.INDIVIDUAL)
    persons = models.ManyToManyField("people.Person", related_name="interventions", blank=True,
                                     verbose_name=_("personnes"))
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="interventions", verbose_name=_("ménage"))
    building = models.ForeignKey("housing.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="interventions", verbose_name=_("immeuble"))
    group_label = models.CharField(_("groupe"), max_length=200, blank=True)
    summary = models.TextField(_("résumé"), max_length=1000)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    follow_up_on = models.DateField(_("suivi prévu le"), null=True, blank=True)
    # Where it happened, copied when recorded (the collective target's building, else the household's or
    # the first person's): kept if the person moves, so that counts by territory need no join. Blank
    # when no building was known.
    region_code = models.CharField(_("région"), max_length=8, blank=True, default="")
    mrc_code = models.CharField(_("MRC"), max_length=8, blank=True, default="")
    municipality_code = models.CharField(_("municipalité"), max_length=8, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        indexes = [
            # The caseload: follow-ups due and overdue, recent interventions, people followed this year.
            models.Index(fields=["worker", "follow_up_on"], name="intervention_worker_follow"),
            models.Index(fields=["worker", "date"], name="intervention_worker_date"),
            models.Index(fields=["organization", "date"], name="intervention_org_date"),
            # Counts of a territory without the roll-up (a municipality's own figures, the bench's check).
            models.Index(fields=["mrc_code", "date"], name="intervention_mrc_date"),
        ]

    def __str__(self) -> str:
        return f"Intervention #{self.pk}"


class InterventionMonthly(models.Model):
    """Interventions of an organization in an MRC, one category and one month: a roll-up kept by the
    services that write (``support.rollups``), equal to a recount at all times.

    ``participants`` counts the persons named, intervention by intervention (a person seen twice counts
    twice). The territory is where the intervention happened (its own codes), blank when unknown.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    region_code = models.CharField(_("région"), max_length=8, blank=True, default="")
    mrc_code = models.CharField(_("MRC"), max_length=8, blank=True, default="")
    category = models.CharField(_("catégorie"), max_length=30, choices=InterventionCategory.choices)
    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    interventions = models.PositiveIntegerField(_("interventions"), default=0)
    minutes = models.PositiveBigIntegerField(_("minutes"), default=0)
    participants = models.PositiveIntegerField(_("personnes nommées"), default=0)

    class Meta:
        verbose_name = _("interventions du mois")
        verbose_name_plural = _("interventions par mois")
        constraints = [
            models.UniqueConstraint(fields=["organization", "mrc_code", "category", "month"],
                                    name="intervention_monthly_unique"),
        ]
        indexes = [
            # Covering for a year by category and MRC, all organizations (the figures read the index only).
            models.Index(fields=["month", "category", "mrc_code", "interventions", "minutes", "participants"],
                         name="intervention_monthly_month"),
            # The same for one organization.
            models.Index(fields=["organization", "month", "category", "mrc_code", "interventions", "minutes",
                                 "participants"], name="intervention_monthly_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.mrc_code or '—'} {self.category} {self.month:%Y-%m}"


class ReferralState(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SENT = "sent", _("envoyée")
    ACCEPTED = "accepted", _("acceptée")
    DECLINED = "declined", _("refusée")
    EXPIRED = "expired", _("expirée (sans réponse)")
    IN_PROGRESS = "in_progress", _("en cours")
    CLOSED = "closed", _("fermée")
    WITHDRAWN = "withdrawn", _("retirée")
    SUSPENDED = "suspended", _("suspendue (consentement révoqué)")


OPEN_STATES = (ReferralState.SENT, ReferralState.ACCEPTED, ReferralState.IN_PROGRESS)


class ReferralOutcome(models.TextChoices):
    SERVICE_RECEIVED = "service_received", _("service reçu")
    TENANT_DECLINED = "tenant_declined", _("la personne a refusé")
    UNREACHABLE = "unreachable", _("injoignable")
    INELIGIBLE = "ineligible", _("non admissible")
    OTHER = "other", _("autre")


class Referral(models.Model):
    """A referral of a person to a directory service, and so to the organization that gives it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("personne"))
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("service"))
    sending_organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                             related_name="referrals_sent", verbose_name=_("organisation qui réfère"))
    receiving_organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                               related_name="referrals_received",
                                               verbose_name=_("organisation qui reçoit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("créée par"))
    reason = models.TextField(_("motif"), max_length=1000)
    state = models.CharField(_("état"), max_length=12, choices=ReferralState.choices, default=ReferralState.DRAFT)
    outcome = models.CharField(_("résultat"), max_length=20, choices=ReferralOutcome.choices, blank=True)
    # The consent that named the receiving organization when it was sent.
    consent = models.ForeignKey("people.Consent", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals_sent_under", verbose_name=_("consentement"))
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("référence")
        verbose_name_plural = _("références")
        indexes = [
            models.Index(fields=["receiving_organization", "state"], name="referral_receiver_state"),
            models.Index(fields=["sending_organization", "state"], name="referral_sender_state"),
        ]

    def __str__(self) -> str:
        return f"Référence #{self.pk}"

    def answer_deadline(self) -> datetime.datetime | None:
        if self.sent_at is None:
            return None
        return self.sent_at + datetime.timedelta(days=referral_answer_days())

    def effective_state(self, moment: datetime.datetime | None = None) -> str:
        """The state as of now: a sent referral nobody answered in time has expired, with no job to run."""
        moment = moment or timezone.now()
        deadline = self.answer_deadline()
        if self.state == ReferralState.SENT and deadline is not None and deadline <= moment:
            return ReferralState.EXPIRED
        return self.state

    def effective_state_label(self) -> str:
        return str(ReferralState(self.effective_state()).label)

    def age_days(self, moment: datetime.datetime | None = None) -> int | None:
        """Whole days elapsed since it was sent (None for a draft): the same measure as "open past N days",
        so a referral listed past 30 days shows 30 or more, whatever the hour or a change of clocks between."""
        if self.sent_at is None:
            return None
        return ((moment or timezone.now()) - self.sent_at).days

    def is_open(self, moment: datetime.datetime | None = None) -> bool:
        return self.effective_state(moment) in OPEN_STATES


def open_referrals_q(moment: datetime.datetime | None = None) -> Q:
    """Referrals open now (sent and not yet expired, accepted, in progress), as a query."""
    moment = moment or timezone.now()
    cutoff = moment - datetime.timedelta(days=referral_answer_days())
    return (Q(state=ReferralState.SENT, sent_at__gt=cutoff)
            | Q(state__in=[ReferralState.ACCEPTED, ReferralState.IN_PROGRESS]))


class ReferralEvent(models.Model):
    """One dated step of a referral: who, for which organization, from which state to which, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("moment"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("par"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    from_state = models.CharField(_("de"), max_length=12, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(_("à"), max_length=12, choices=ReferralState.choices)
    reason = models.CharField(_("motif"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("étape de référence")
        verbose_name_plural = _("étapes de référence")

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"


# ---- the working committee's case review --------------------------------------------------------


class CaseReview(models.Model):
    """A meeting of named organizations (the working committee) that discusses a list of persons.

    A person is put on it only while active consents name every organization present (other than
    those holding the person's file) for every category discussed; the same rule is checked again
    at each read, so a consent revoked or expired later withdraws the person from what others see.
    The review and its notes are visible to the organizations present only.
    """

    held_on = models.DateField(_("date"))
    title = models.CharField(_("titre"), max_length=200)
    convening_organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                               related_name="case_reviews_convened",
                                               verbose_name=_("organisation qui convoque"))
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("convoquée par"))
    organizations = models.ManyToManyField("organizations.Organization", related_name="case_reviews",
                                           verbose_name=_("organisations présentes"))
    # The categories of information discussed, as on a consent (identity always: persons are named).
    identity = models.BooleanField(_("identité et coordonnées"), default=True)
    housing = models.BooleanField(_("logement"), default=False)
    interventions = models.BooleanField(_("résumés d'intervention"), default=False)
    notes = models.BooleanField(_("notes"), default=False)
    referrals = models.BooleanField(_("résultats de référence"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("revue de cas")
        verbose_name_plural = _("revues de cas")

    def __str__(self) -> str:
        return f"Revue de cas #{self.pk}"

    @property
    def categories(self) -> list[str]:
        from toitcommun.people.models import CATEGORIES

        return [c for c in CATEGORIES if getattr(self, c)]


class CaseReviewItem(models.Model):
    """A person put on a case review's list, by whom and when."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_review_items",
                               verbose_name=_("personne"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by_organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                              related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("personne discutée")
        verbose_name_plural = _("personnes discutées")
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="case_review_person_once")]

    def __str__(self) -> str:
        return f"Point de revue #{self.pk}"


class CaseReviewNote(models.Model):
    """What one organization wrote about a person discussed; never edited (a new note adds to it)."""

    item = models.ForeignKey(CaseReviewItem, on_delete=models.CASCADE, related_name="review_notes")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("auteur"))
    text = models.TextField(_("notes"), max_length=5000)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = _("note de revue de cas")
        verbose_name_plural = _("notes de revue de cas")

    def __str__(self) -> str:
        return f"Note de revue #{self.pk}"
