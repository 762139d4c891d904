"""The pages' forms: they render the fields and keep what was typed; the services validate."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toitcommun.housing.models import Building, Clientele
from toitcommun.organizations.models import Organization

from .models import Category, ConsentMethod, GivenBy, RevocationMethod


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False,
                            help_text=_("Par exemple 418 555-0123."))
    email = forms.CharField(label=_("Courriel"), max_length=254, required=False)
    languages = forms.CharField(label=_("Langues"), max_length=200, required=False)
    building = forms.ModelChoiceField(label=_("Immeuble"), queryset=Building.objects.none(), required=False)
    unit = forms.CharField(label=_("Logement"), max_length=20, required=False)
    clientele = forms.ChoiceField(label=_("Clientèle"), required=False,
                                  choices=[("", "—"), *Clientele.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["building"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Building.objects.select_related("municipality").order_by("municipality__name", "name")


class ConsentForm(forms.Form):
    receiving_organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations autorisées à recevoir l'information"), queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)
    categories = forms.MultipleChoiceField(label=_("Catégories d'information"), choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple, required=False)
    purpose = forms.CharField(label=_("Finalité"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    given_by = forms.ChoiceField(label=_("Donné par"), choices=GivenBy.choices)
    given_by_name = forms.CharField(label=_("Nom du parent, tuteur ou représentant"), max_length=200,
                                    required=False)
    method = forms.ChoiceField(label=_("Mode"), choices=ConsentMethod.choices)
    witness_name = forms.CharField(label=_("Témoin (consentement verbal)"), max_length=200, required=False,
                                   help_text=_("Une autre personne que vous."))
    legal_basis = forms.CharField(label=_("Article de loi (exception)"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput(),
                              help_text=_("Un an au plus après le début."))

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {}).update(
            {"starts_on": today, "ends_on": today + datetime.timedelta(days=settings.CONSENT_MAX_DAYS - 1)})
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_organizations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = organizations if organizations is not None else Organization.objects.order_by("name")


class RevokeForm(forms.Form):
    method = forms.ChoiceField(label=_("Comment la personne a révoqué son consentement"),
                               choices=RevocationMethod.choices)
    reason = forms.CharField(label=_("Motif (facultatif)"), max_length=500, required=False)
