"""Groups (tenant associations, CCR, committees, tables) and the mandates their members hold."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    TENANT_ASSOCIATION = "tenant_association", _("Association de locataires")
    RESIDENTS_COMMITTEE = "residents_committee", _("Comité consultatif des résidents (CCR)")
    WORKING_COMMITTEE = "working_committee", _("Comité de travail")
    COORDINATION_COMMITTEE = "coordination_committee", _("Comité de coordination")
    LOCAL_TABLE = "local_table", _("Équipe locale élargie (ÉLÉ)")
    REGIONAL_TABLE = "regional_table", _("Table régionale")


# The kinds that speak to a housing office through recommendations.
RECOMMENDING_KINDS = (GroupKind.TENANT_ASSOCIATION, GroupKind.RESIDENTS_COMMITTEE)


class QuorumRule(models.TextChoices):
    MAJORITY = "majority", _("La majorité des membres votants")
    FIXED = "fixed", _("Un nombre fixe de membres votants")


class Group(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=GroupKind.choices)
    is_incorporated = models.BooleanField(_("constituée en personne morale"), default=False)
    # Where the group acts: a region always; an MRC and a municipality when it is local.
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("région"))
    mrc = models.ForeignKey("territory.Mrc", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("MRC"))
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipalité"))
    buildings = models.ManyToManyField("housing.Building", blank=True, related_name="collective_groups",
                                       verbose_name=_("immeubles"))
    # The housing office a CCR or an association addresses its recommendations to.
    housing_office = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="collective_groups",
                                       verbose_name=_("office d'habitation"))
    description = models.TextField(_("description"), blank=True, max_length=4000)
    contact = models.CharField(_("pour nous joindre"), max_length=300, blank=True)
    quorum_rule = models.CharField(_("règle de quorum"), max_length=20, choices=QuorumRule.choices,
                                   default=QuorumRule.MAJORITY)
    quorum_count = models.PositiveSmallIntegerField(
        _("quorum (nombre)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    recommendation_days = models.PositiveSmallIntegerField(
        _("délai de réponse aux recommandations (jours)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    is_illustrative = models.BooleanField(_("donnée illustrative"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collective:group", args=[self.pk])

    @property
    def territory_code(self) -> str:
        if self.municipality is not None:
            return self.municipality.code
        if self.mrc is not None:
            return self.mrc.code
        return self.region.code

    def quorum_needed(self, voting_total: int) -> int:
        """How many voting members must be present for the group to decide."""
        if self.quorum_rule == QuorumRule.FIXED and self.quorum_count:
            return self.quorum_count
        return voting_total // 2 + 1


class MandateRole(models.TextChoices):
    PRESIDENT = "president", _("Présidence")
    VICE_PRESIDENT = "vice_president", _("Vice-présidence")
    SECRETARY = "secretary", _("Secrétariat")
    TREASURER = "treasurer", _("Trésorerie")
    BOARD_MEMBER = "board_member", _("Administrateur·trice")
    MEMBER = "member", _("Membre")
    OBSERVER = "observer", _("Observateur·trice")
    DELEGATE = "delegate", _("Délégué·e")


# One active holder at a time.
SINGLE_SEAT_ROLES = (MandateRole.PRESIDENT, MandateRole.VICE_PRESIDENT, MandateRole.SECRETARY,
                     MandateRole.TREASURER)
# The officers: they convene, keep the minutes, draft and publish.
OFFICER_ROLES = SINGLE_SEAT_ROLES


class HolderKind(models.TextChoices):
    PERSON = "person", _("Personne")
    ORGANIZATION = "organization", _("Organisation")


class Mandate(models.Model):
    """A seat held in a group by a person or an organization, from a date to a date. Never deleted."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="mandates")
    holder_kind = models.CharField(_("type de titulaire"), max_length=20, choices=HolderKind.choices)
    # A person holder: the name shown in the group's records (members' names are public in minutes),
    # the person of the people app when the group's workers know them, and their account if they sign in.
    holder_name = models.CharField(_("titulaire"), max_length=200, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="collective_mandates", verbose_name=_("personne"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="collective_mandates", verbose_name=_("compte"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="collective_mandates",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("rôle"), max_length=20, choices=MandateRole.choices)
    voting = models.BooleanField(_("droit de vote"), default=True)
    # A delegate or substitute speaks for a member organization's mandate.
    delegate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="delegates", verbose_name=_("délégué·e de"))
    is_substitute = models.BooleanField(_("substitut"), default=False)
    elected_by = models.ForeignKey("collective.Decision", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="elected_mandates", verbose_name=_("élu·e par la décision"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "-starts_on", "id"]
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "role"], condition=Q(ends_on__isnull=True, role__in=list(SINGLE_SEAT_ROLES)),
                name="collective_mandate_one_open_single_seat",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="collective_mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.group}"

    @property
    def display_holder(self) -> str:
        if self.holder_kind == HolderKind.ORGANIZATION and self.organization is not None:
            return self.organization.name
        return self.holder_name

    def active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
