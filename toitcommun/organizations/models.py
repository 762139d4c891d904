"""The organizations that act in social and community housing, and the people in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from toitcommun.territory.text import fold


class OrganizationKind(models.TextChoices):
    HOUSING_OFFICE = "housing_office", _("Office d'habitation")
    HOUSING_COOP = "housing_coop", _("Coopérative d'habitation")
    HOUSING_NONPROFIT = "housing_nonprofit", _("OBNL d'habitation")
    COMMUNITY_ORGANIZATION = "community_organization", _("Organisme communautaire")
    PUBLIC_NETWORK = "public_network", _("Réseau public (CISSS, CLSC)")
    MUNICIPALITY = "municipality", _("Municipalité")
    GOVERNMENT_AGENCY = "government_agency", _("Organisme gouvernemental")
    GRT = "grt", _("Groupe de ressources techniques (GRT)")
    FEDERATION = "federation", _("Fédération")
    SCHOOL = "school", _("Milieu scolaire")
    FOUNDATION = "foundation", _("Fondation")
    TENANT_ASSOCIATION = "tenant_association", _("Association de locataires")


class Organization(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=OrganizationKind.choices)
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="organizations", verbose_name=_("municipalité"),
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=7, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    is_illustrative = models.BooleanField(
        _("donnée illustrative"), default=False,
        help_text=_("Inventée pour la démonstration, pas tirée d'une source publiée."),
    )
    # Folded name for case- and accent-insensitive matching (imports, search).
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="organization_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def key_for(name: str) -> str:
        return fold(name)[:200]


class Membership(models.Model):
    """A person's role in an organization: director, community organizer, contact..."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="memberships", verbose_name=_("compte"),
    )
    full_name = models.CharField(_("nom"), max_length=200)
    title = models.CharField(_("rôle ou titre"), max_length=120)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    is_contact = models.BooleanField(_("personne-ressource"), default=False)
    start_date = models.DateField(_("depuis"), null=True, blank=True)
    end_date = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "full_name"]
        verbose_name = _("membre")
        verbose_name_plural = _("membres")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.title}, {self.organization})"
