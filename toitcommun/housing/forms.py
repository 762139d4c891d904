from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from toitcommun.territory.forms import MunicipalityField

from . import bounds
from .models import AvailabilitySnapshot, Building, Clientele


class BuildingForm(forms.ModelForm):
    municipality = MunicipalityField(label=_("Municipalité"))

    class Meta:
        model = Building
        fields = ["name", "organization", "municipality", "address", "tenure", "form",
                  "has_common_room", "latitude", "longitude"]

    def clean(self):
        cleaned = super().clean()
        org, municipality, name = (cleaned.get(k) for k in ("organization", "municipality", "name"))
        if org and municipality and name:
            twins = Building.objects.filter(organization=org, municipality=municipality, name=name)
            if self.instance.pk:
                twins = twins.exclude(pk=self.instance.pk)
            if twins.exists():
                self.add_error("name", _("Ce propriétaire a déjà un site de ce nom dans cette municipalité."))
        return cleaned

    def validate_unique(self):
        # The one uniqueness rule is checked in clean(), where it can name the field.
        return


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = AvailabilitySnapshot
        fields = ["clientele", "as_of", "vacant_units", "waiting_list"]
        widgets = {"as_of": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Une ligne par groupe de logements. Voir le modèle de fichier."),
    )


class SummaryQueryForm(forms.Form):
    date = forms.DateField(label=_("En date du"), required=False,
                           validators=[MinValueValidator(bounds.EARLIEST_QUERY), MaxValueValidator(bounds.LATEST_QUERY)],
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    clientele = forms.ChoiceField(label=_("Clientèle"), required=False,
                                  choices=[("", _("Toutes"))] + list(Clientele.choices))
