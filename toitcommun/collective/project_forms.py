"""Forms of collective projects and action plans: what the pages and the API send to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toitcommun.organizations.models import Organization
from toitcommun.territory.forms import MunicipalityField

from .governance_forms import DATE_WIDGET
from .models import ActionPlan, AgreementObjective, CollectiveProject, Group

# Partners and milestones are typed on the project's form, a few rows at a time.
PARTNER_ROWS = 5
MILESTONE_ROWS = 5
DATE_ERRORS = {"invalid": _("Une date comme 2016-03-01.")}


class ProjectForm(forms.ModelForm):
    municipality = MunicipalityField(label=_("Municipalité"))
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectifs de l'Entente servis"), queryset=AgreementObjective.objects.order_by("number"),
        required=False, widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelChoiceField(label=_("Organisation responsable"), queryset=Organization.objects.order_by("name"))
    starts_on = forms.DateField(label=_("Début"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("Fin"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    class Meta:
        model = CollectiveProject
        fields = ["name", "goal", "municipality", "objectives", "status", "starts_on", "ends_on", "lead",
                  "participants_count"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.order_by("name")
        for n in range(1, PARTNER_ROWS + 1):
            self.fields[f"partner_{n}"] = forms.ModelChoiceField(
                label=_("Partenaire %(n)s") % {"n": n}, queryset=organizations, required=False)
            self.fields[f"contribution_{n}"] = forms.CharField(
                label=_("Contribution du partenaire %(n)s") % {"n": n}, max_length=300, required=False)
        for n in range(1, MILESTONE_ROWS + 1):
            self.fields[f"milestone_title_{n}"] = forms.CharField(
                label=_("Étape %(n)s") % {"n": n}, max_length=200, required=False)
            self.fields[f"milestone_due_{n}"] = forms.DateField(
                label=_("Étape %(n)s prévue le") % {"n": n}, required=False, widget=DATE_WIDGET,
                error_messages=DATE_ERRORS)
            self.fields[f"milestone_done_{n}"] = forms.DateField(
                label=_("Étape %(n)s franchie le") % {"n": n}, required=False, widget=DATE_WIDGET,
                error_messages=DATE_ERRORS)
        if self.instance.pk and not self.is_bound:
            for n, partner in enumerate(self.instance.partners.all()[:PARTNER_ROWS], start=1):
                self.initial[f"partner_{n}"] = partner.organization_id
                self.initial[f"contribution_{n}"] = partner.contribution
            for n, milestone in enumerate(self.instance.milestones.all()[:MILESTONE_ROWS], start=1):
                self.initial[f"milestone_title_{n}"] = milestone.title
                self.initial[f"milestone_due_{n}"] = milestone.due_on
                self.initial[f"milestone_done_{n}"] = milestone.done_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin ne peut précéder le début."))
        seen: set[int] = set()
        for n in range(1, PARTNER_ROWS + 1):
            partner = cleaned.get(f"partner_{n}")
            if partner is None and cleaned.get(f"contribution_{n}"):
                self.add_error(f"partner_{n}", _("Choisissez le partenaire de cette contribution."))
            if partner is not None and partner.pk in seen:
                self.add_error(f"partner_{n}", _("Ce partenaire est déjà nommé."))
            if partner is not None:
                seen.add(partner.pk)
        for n in range(1, MILESTONE_ROWS + 1):
            title, due = cleaned.get(f"milestone_title_{n}"), cleaned.get(f"milestone_due_{n}")
            if title and due is None and f"milestone_due_{n}" not in self.errors:
                self.add_error(f"milestone_due_{n}", _("Donnez la date prévue de cette étape."))
            if not title and (due or cleaned.get(f"milestone_done_{n}")):
                self.add_error(f"milestone_title_{n}", _("Nommez cette étape."))
        return cleaned

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self._meta.fields]  # type: ignore[union-attr]

    def partner_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"partner_{n}"], self[f"contribution_{n}"]) for n in range(1, PARTNER_ROWS + 1)]

    def milestone_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"milestone_title_{n}"], self[f"milestone_due_{n}"], self[f"milestone_done_{n}"])
                for n in range(1, MILESTONE_ROWS + 1)]

    def partners(self) -> list[tuple[Organization, str]]:
        return [(self.cleaned_data[f"partner_{n}"], self.cleaned_data.get(f"contribution_{n}", ""))
                for n in range(1, PARTNER_ROWS + 1) if self.cleaned_data.get(f"partner_{n}") is not None]

    def milestones(self) -> list[tuple[str, Any, Any]]:
        return [(self.cleaned_data[f"milestone_title_{n}"], self.cleaned_data[f"milestone_due_{n}"],
                 self.cleaned_data.get(f"milestone_done_{n}"))
                for n in range(1, MILESTONE_ROWS + 1) if self.cleaned_data.get(f"milestone_title_{n}")]


class PlanForm(forms.ModelForm):
    group = forms.ModelChoiceField(label=_("Table ou groupe"), queryset=Group.objects.order_by("name"))
    starts_on = forms.DateField(label=_("Début"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("Fin"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    class Meta:
        model = ActionPlan
        fields = ["group", "title", "starts_on", "ends_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin ne peut précéder le début."))
        return cleaned


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objectif du plan"), max_length=300)
    agreement_objectives = forms.ModelMultipleChoiceField(
        label=_("Objectifs de l'Entente"), queryset=AgreementObjective.objects.order_by("number"), required=False,
        widget=forms.CheckboxSelectMultiple)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    responsible = forms.ModelMultipleChoiceField(label=_("Organisations responsables"), required=False,
                                                 queryset=Organization.objects.order_by("name"))
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
