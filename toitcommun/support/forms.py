"""The pages' forms: they render the fields and keep what was typed; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toitcommun.directory.models import Service, ServiceStatus
from toitcommun.organizations.models import Organization
from toitcommun.people import bounds
from toitcommun.people.forms import DateInput
from toitcommun.people.models import Category

from .models import InterventionCategory, ReferralOutcome


class InterventionForm(forms.Form):
    category = forms.ChoiceField(label=_("Catégorie"), choices=InterventionCategory.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=bounds.DURATION_MINUTES[0],
                                          max_value=bounds.DURATION_MINUTES[1])
    summary = forms.CharField(label=_("Résumé"), max_length=bounds.SUMMARY_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Ce que les partenaires autorisés pourront lire."))
    notes = forms.CharField(label=_("Notes privées"), max_length=bounds.NOTES_LENGTH, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Visibles de votre organisation seulement, sauf consentement aux notes."))
    follow_up_on = forms.DateField(label=_("Suivi prévu le"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service du répertoire"), queryset=Service.objects.none())
    reason = forms.CharField(label=_("Motif"), max_length=bounds.REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Service.objects.filter(status=ServiceStatus.ACTIVE).order_by("name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif (facultatif)"), max_length=500, required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Résultat"), choices=ReferralOutcome.choices)
    reason = forms.CharField(label=_("Précision (facultatif)"), max_length=500, required=False)


class CaseReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date de la rencontre"), widget=DateInput())
    title = forms.CharField(label=_("Titre"), max_length=200,
                            help_text=_("Par exemple : Comité de travail de Thetford Mines."))
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations présentes"), queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("La vôtre en fait toujours partie."))
    categories = forms.MultipleChoiceField(
        label=_("Catégories d'information discutées"), choices=Category.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("L'identité l'est toujours : les personnes sont nommées. Une personne n'est "
                                    "ajoutée que si un consentement en vigueur nomme chaque organisation présente "
                                    "pour chacune de ces catégories."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        kwargs["initial"].setdefault("categories", [Category.IDENTITY])
        super().__init__(*args, **kwargs)
        field = self.fields["organizations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = Organization.objects.order_by("name")


class CaseReviewNoteForm(forms.Form):
    text = forms.CharField(label=_("Notes de votre organisation"), max_length=bounds.NOTES_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Visibles des organisations présentes seulement."))
