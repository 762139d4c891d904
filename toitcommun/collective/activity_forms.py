from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from toitcommun.housing.models import Building
from toitcommun.organizations.models import Organization
from toitcommun.territory.forms import MunicipalityField

from . import activity_bounds as bounds
from .models import Activity

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class ActivityForm(forms.ModelForm):
    municipality = MunicipalityField(label=_("Municipalité"))
    starts_at = forms.DateTimeField(label=_("Début"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Fin"), widget=DATETIME_WIDGET, required=False)
    organizers = forms.ModelMultipleChoiceField(
        label=_("Organisateurs"), queryset=Organization.objects.order_by("name"), required=False,
        help_text=_("Les organisations qui l'organisent (au moins une des vôtres)."))
    buildings = forms.ModelMultipleChoiceField(
        label=_("Immeubles concernés"), required=False,
        queryset=Building.objects.select_related("municipality").order_by("municipality__name", "name"))

    class Meta:
        model = Activity
        fields = ["title", "kind", "starts_at", "ends_at", "place", "municipality", "buildings", "organizers",
                  "organized_by_tenants", "is_public", "group", "project", "description"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and not (bounds.EARLIEST_YEAR <= starts.year <= bounds.LATEST_YEAR):
            self.add_error("starts_at", _("La date doit être entre %(first)s et %(last)s.") % {
                "first": bounds.EARLIEST_YEAR, "last": bounds.LATEST_YEAR})
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        return cleaned


def _counted(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=bounds.COUNTED.minimum, max_value=bounds.COUNTED.maximum,
                              validators=[MinValueValidator(bounds.COUNTED.minimum),
                                          MaxValueValidator(bounds.COUNTED.maximum)])


class AttendanceCountForm(forms.Form):
    counted_tenants = _counted(_("Locataires"))
    counted_children = _counted(_("Enfants"))
    counted_others = _counted(_("Autres personnes"))


class MonthForm(forms.Form):
    """The month a calendar shows: ?mois=YYYY-MM."""

    mois = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def month(self, default: tuple[int, int]) -> tuple[int, int]:
        if self.is_valid() and self.cleaned_data.get("mois"):
            year, month = (int(p) for p in self.cleaned_data["mois"].split("-"))
            if bounds.EARLIEST_YEAR <= year <= bounds.LATEST_YEAR:
                return year, month
        return default
