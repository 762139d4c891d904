"""The social and community housing stock, and what is vacant in it.

A building (a site: one address, one owner) holds unit groups, one per
clientele and bedroom count. Vacancies and waiting lists are dated snapshots
reported per building and clientele; the figure for a date is the latest
snapshot on or before it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import bounds


class Tenure(models.TextChoices):
    HLM = "hlm", _("HLM")
    COOP = "coop", _("Coopérative")
    OBNL = "obnl", _("OBNL")


class BuildingForm(models.TextChoices):
    MULTI_UNIT = "multi_unit", _("Immeuble multilogement")
    DUPLEX = "duplex", _("Duplex")
    SINGLE_FAMILY = "single_family", _("Maison unifamiliale")


class Clientele(models.TextChoices):
    SENIORS = "seniors", _("Aînés")
    FAMILIES = "families", _("Familles")
    SINGLES = "singles", _("Personnes seules")


class Building(models.Model):
    name = models.CharField(_("nom du site"), max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="buildings",
        verbose_name=_("propriétaire"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, related_name="buildings",
        verbose_name=_("municipalité"),
    )
    address = models.CharField(_("adresse"), max_length=300)
    tenure = models.CharField(_("mode de tenure"), max_length=10, choices=Tenure.choices)
    form = models.CharField(_("forme"), max_length=20, choices=BuildingForm.choices)
    has_common_room = models.BooleanField(_("salle communautaire"), default=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_illustrative = models.BooleanField(
        _("donnée illustrative"), default=False,
        help_text=_("Inventée pour la démonstration, pas tirée d'une source publiée."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("immeuble")
        verbose_name_plural = _("immeubles")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "municipality", "name"], name="building_unique_site_per_owner",
                violation_error_message=_("Ce propriétaire a déjà un site de ce nom dans cette municipalité."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("housing:building", args=[self.pk])


class UnitGroup(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="unit_groups")
    clientele = models.CharField(_("clientèle"), max_length=10, choices=Clientele.choices)
    bedrooms = models.PositiveSmallIntegerField(_("chambres"), validators=bounds.BEDROOMS.validators())
    units = models.PositiveIntegerField(_("logements"), validators=bounds.UNITS.validators())
    adapted_units = models.PositiveIntegerField(
        _("logements adaptés"), default=0, validators=bounds.ADAPTED_UNITS.validators(),
        help_text=_("Logements adaptés pour une personne handicapée, parmi les logements du groupe."),
    )

    class Meta:
        ordering = ["building", "clientele", "bedrooms"]
        verbose_name = _("groupe de logements")
        verbose_name_plural = _("groupes de logements")
        constraints = [
            models.UniqueConstraint(fields=["building", "clientele", "bedrooms"], name="unit_group_unique"),
            models.CheckConstraint(condition=Q(adapted_units__lte=F("units")), name="unit_group_adapted_within_units"),
        ]
        indexes = [models.Index(fields=["clientele"], name="unit_group_clientele")]

    def __str__(self) -> str:
        return f"{self.building} · {self.get_clientele_display()} · {self.bedrooms} ch. · {self.units}"


class AvailabilitySnapshot(models.Model):
    """Vacant units and waiting-list length for one building and clientele on one date."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="snapshots")
    clientele = models.CharField(_("clientèle"), max_length=10, choices=Clientele.choices)
    as_of = models.DateField(_("en date du"), validators=bounds.report_date_validators())
    vacant_units = models.PositiveIntegerField(_("logements vacants"), validators=bounds.VACANT_UNITS.validators())
    waiting_list = models.PositiveIntegerField(_("liste d'attente"), validators=bounds.WAITING_LIST.validators())
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("signalé par"),
    )
    reported_by_label = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["building", "clientele", "-as_of"]
        verbose_name = _("disponibilité")
        verbose_name_plural = _("disponibilités")
        constraints = [
            models.UniqueConstraint(fields=["building", "clientele", "as_of"], name="snapshot_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.building} · {self.clientele} · {self.as_of}: {self.vacant_units}"


class StockRollup(models.Model):
    """The stock of a municipality and its vacancies as last reported, added up ahead of reading.

    One row per municipality, clientele, tenure and date of the latest report: it adds up
    every building and clientele of that municipality and tenure whose latest snapshot is
    dated ``as_of`` (None: never reported). Their units, adapted units and, when reported,
    their vacant units and waiting list; ``sites`` counts each building that has a unit group
    once, in the row of its first clientele (Clientele's order), so that sites add up too.

    A territory's figures on any date from its newest report on are sums of these rows
    (an MRC, a region or the province through the territory tree); the date of each row
    says at read time whether its figures are stale. The services that write buildings,
    unit groups and snapshots keep the rows of the municipalities they touch current
    (toitcommun/housing/rollups.py); tests/housing/test_rollups.py recounts them.
    """

    municipality = models.ForeignKey("territory.Municipality", on_delete=models.CASCADE, related_name="+")
    clientele = models.CharField(max_length=10, choices=Clientele.choices)
    tenure = models.CharField(max_length=10, choices=Tenure.choices)
    as_of = models.DateField(null=True)
    sites = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    adapted_units = models.PositiveIntegerField(default=0)
    vacant_units = models.PositiveIntegerField(default=0)
    waiting_list = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["municipality", "clientele", "tenure"], name="stock_rollup_place")]

    def __str__(self) -> str:
        return f"{self.municipality_id} · {self.clientele} · {self.tenure} · {self.as_of}: {self.units}"


class BuildingCurrent(models.Model):
    """The current figures of one building and clientele, kept ahead of reading for the per-building table.

    One row per building and clientele that has a unit group: its units and adapted units,
    and its latest snapshot (``as_of``, vacant units, waiting list, who reported; None where
    never reported, never 0). The territory codes and the names it is sorted by are copied
    so that a page of an MRC's or a municipality's table is one indexed query. Staleness is
    not stored: the date says it at read time. Kept by rollups_refresh with StockRollup.
    """

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="+")
    clientele = models.CharField(max_length=10, choices=Clientele.choices)
    # Clientele's order, to sort the rows of a building as the table shows them.
    rank = models.PositiveSmallIntegerField(default=0)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.CASCADE, related_name="+")
    municipality_code = models.CharField(max_length=8)
    mrc_code = models.CharField(max_length=8)
    region_code = models.CharField(max_length=8)
    municipality_name = models.CharField(max_length=200)
    building_name = models.CharField(max_length=200)
    units = models.PositiveIntegerField(default=0)
    adapted_units = models.PositiveIntegerField(default=0)
    as_of = models.DateField(null=True)
    vacant_units = models.PositiveIntegerField(null=True)
    waiting_list = models.PositiveIntegerField(null=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    reported_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["mrc_code", "municipality_name", "building_name", "building", "rank"],
                         name="building_current_mrc"),
            models.Index(fields=["municipality_code", "building_name", "building", "rank"],
                         name="building_current_place"),
        ]

    def __str__(self) -> str:
        return f"{self.building_id} · {self.clientele} · {self.as_of}: {self.vacant_units}"
