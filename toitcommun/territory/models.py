"""Québec's territory: region > MRC (or equivalent territory) > municipality.

Every record with a place hangs on a municipality; every figure rolls up along
this tree. Codes are the official MAMH geographic codes: 2 digits for a
region, 3 for an MRC, 5 for a municipality. A census division that stands in
for a missing MRC (Lévis, Laval...) gets the code ``TE`` + its 2-digit
census-division code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import fold

PROVINCE_CODE = "QC"


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGION = "region", _("Région administrative")
    MRC = "mrc", _("MRC ou territoire équivalent")
    MUNICIPALITY = "municipality", _("Municipalité")


class Territory(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    former_names = models.JSONField(_("anciens noms"), default=list, blank=True)
    # Folded name and former names, so that search ignores case and accents.
    search_text = models.CharField(max_length=600, editable=False, db_index=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def search_text_for(name: str, former_names: list[str]) -> str:
        return " | ".join(fold(n) for n in [name, *former_names])


class Region(Territory):
    level = Level.REGION

    class Meta(Territory.Meta):
        verbose_name = _("région administrative")
        verbose_name_plural = _("régions administratives")


class Mrc(Territory):
    level = Level.MRC
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="mrcs")
    is_equivalent_territory = models.BooleanField(_("territoire équivalent"), default=False)
    census_division_code = models.CharField(_("division de recensement"), max_length=2)

    class Meta(Territory.Meta):
        verbose_name = _("MRC ou territoire équivalent")
        verbose_name_plural = _("MRC et territoires équivalents")

    @property
    def parent_code(self) -> str:
        return self.region.code


class Municipality(Territory):
    level = Level.MUNICIPALITY
    mrc = models.ForeignKey(Mrc, on_delete=models.PROTECT, related_name="municipalities")
    designation = models.CharField(_("désignation"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("superficie (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    # One point near the centre of the municipality (data/quebec/municipal_points.csv): where a
    # place known only by its municipality is shown, marked approximate. Empty where no open
    # source gives one.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta(Territory.Meta):
        verbose_name = _("municipalité")
        verbose_name_plural = _("municipalités")

    @property
    def parent_code(self) -> str:
        return self.mrc.code
