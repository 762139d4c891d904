"""The register of confidentiality incidents an organization keeps (art. 3.8 of the private-sector Act).

The Regulation respecting confidentiality incidents (art. 2) says what an entry holds: a
description of the personal information concerned (here: by category, and in words that never
copy it), the circumstances, the date or period of the incident, the date the organization
learned of it, the number of persons concerned, the assessment of the risk of serious injury,
the dates of the notices to the Commission d'accès à l'information and to the persons, and the
measures taken. The register is kept at least five years after the organization learned of
an incident (art. 3): entries are never deleted here, only edited as the facts become known,
each edit audited (dates, counts and codes: never the texts themselves).

Only an organization's privacy officer reads and writes its register; anyone else, and any
other organization's officer, gets NotFound for an entry, the same as for one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toitcommun.access.services import audit_record
from toitcommun.errors import (
    NotFound,
    PermissionRefused,
    ValidationFailed,
    VersionConflict,
    form_errors,
)

from . import bounds
from .models import CATEGORIES, Category, ConfidentialityIncident
from .privacy import privacy_organizations

PAGE_SIZE = 20
TEXTS = ("information_description", "circumstances", "risk_assessment", "measures")
DATES = ("occurred_on", "occurred_until", "learned_on", "commission_notified_on", "persons_notified_on")


class IncidentForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Catégories de renseignements concernés"), choices=Category.choices,
        widget=forms.CheckboxSelectMultiple)
    persons_affected = forms.IntegerField(label=gettext_lazy("Nombre de personnes concernées"), min_value=0,
                                          max_value=10_000_000)

    class Meta:
        model = ConfidentialityIncident
        fields = ["occurred_on", "occurred_until", "learned_on", "information_description", "circumstances",
                  "persons_affected", "persons_affected_estimated", "injury_risk", "risk_assessment",
                  "commission_notified_on", "persons_notified_on", "measures"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in DATES}
        help_texts = {
            "information_description": gettext_lazy("Le genre de renseignements (par exemple : noms et numéros "
                                                    "de téléphone), jamais les renseignements eux-mêmes."),
            "persons_affected": gettext_lazy("Cochez « nombre approximatif » si vous ne le connaissez pas "
                                             "exactement."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = self.instance.categories

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in DATES:
            value = data.get(name)
            if value is not None and not bounds.EARLIEST_DATE <= value <= today:
                self.add_error(name, _("Une date entre le 1er janvier 2000 et aujourd'hui."))
        occurred, learned = data.get("occurred_on"), data.get("learned_on")
        if occurred and learned and learned < occurred:
            self.add_error("learned_on", _("L'organisation ne peut en avoir pris connaissance avant l'incident."))
        until = data.get("occurred_until")
        if occurred and until and until < occurred:
            self.add_error("occurred_until", _("La fin de la période précède son début."))
        for name in ("commission_notified_on", "persons_notified_on"):
            notified = data.get(name)
            if notified and occurred and notified < occurred:
                self.add_error(name, _("Un avis ne peut précéder l'incident."))
        return data


def _officer_organizations(user: Any) -> frozenset[int]:
    orgs = privacy_organizations(user)
    if not orgs:
        raise PermissionRefused(_("Seul le ou la responsable de la protection des renseignements personnels d'une "
                                  "organisation tient son registre des incidents de confidentialité."))
    return orgs


def incident_snapshot(incident: ConfidentialityIncident) -> dict[str, Any]:
    """What the audit keeps of an entry: dates, counts and codes; the texts only as their length."""
    return {
        "organization_id": incident.organization_id,
        **{name: getattr(incident, name).isoformat() if getattr(incident, name) else None for name in DATES},
        "categories": incident.categories, "persons_affected": incident.persons_affected,
        "persons_affected_estimated": incident.persons_affected_estimated, "injury_risk": incident.injury_risk,
        **{f"{name}_length": len(getattr(incident, name)) for name in TEXTS},
    }


def _validated(fields: dict[str, Any], instance: ConfidentialityIncident | None = None) -> IncidentForm:
    data = {k: ("" if v is None else v) for k, v in fields.items()}
    if not data.get("persons_affected_estimated"):
        data.pop("persons_affected_estimated", None)
    form = IncidentForm(data=data, instance=instance)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form


def _apply(form: IncidentForm) -> ConfidentialityIncident:
    incident = form.save(commit=False)
    wanted = set(form.cleaned_data["categories"])
    for code in CATEGORIES:
        setattr(incident, code, code in wanted)
    return incident


def incident_record(*, actor: Any, organization_id: int | None = None, **fields: Any) -> ConfidentialityIncident:
    """The privacy officer enters an incident in her organization's register."""
    orgs = _officer_organizations(actor)
    if organization_id is None:
        if len(orgs) > 1:
            raise ValidationFailed({"organization_id": [_("Indiquez pour quelle organisation vous agissez.")]})
        organization_id = next(iter(orgs))
    elif organization_id not in orgs:
        raise ValidationFailed({"organization_id": [_("Vous n'agissez pas pour cette organisation.")]})
    form = _validated(fields)
    with transaction.atomic():
        incident = _apply(form)
        incident.organization_id = organization_id
        incident.recorded_by = actor
        incident.save()
        audit_record(actor=actor, action="incident.record", instance=incident, after=incident_snapshot(incident))
    return incident


def incident_update(*, actor: Any, incident_id: int, version: Any, **fields: Any) -> ConfidentialityIncident:
    """The officer edits an entry as the facts become known (version-checked, audited, never deleted)."""
    orgs = _officer_organizations(actor)
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise ValidationFailed({"version": [_("Rechargez la page : la version lue est illisible.")]}) from None
    with transaction.atomic():
        current = (ConfidentialityIncident.objects.select_for_update()
                   .filter(pk=incident_id, organization_id__in=orgs).first())
        if current is None:
            raise NotFound(_("Cet incident n'existe pas ou vous n'y avez pas accès."))
        if current.version != expected:
            raise VersionConflict({**IncidentForm(instance=current).initial, "categories": current.categories},
                                  current.version)
        before = incident_snapshot(current)
        form = _validated(fields, instance=current)
        incident = _apply(form)
        incident.version = current.version + 1
        incident.save()
        after = incident_snapshot(incident)
        changed = sorted(name for name in TEXTS if form.initial.get(name) != form.cleaned_data.get(name))
        audit_record(actor=actor, action="incident.update", instance=incident, before=before,
                     after=after | {"texts_changed": changed})
    return incident


def incident_get(user: Any, incident_id: int) -> ConfidentialityIncident:
    """One entry of the register of an organization the caller is privacy officer of; NotFound otherwise."""
    orgs = privacy_organizations(user)
    incident = ConfidentialityIncident.objects.filter(pk=incident_id, organization_id__in=orgs).first() \
        if orgs else None
    if incident is None:
        raise NotFound(_("Cet incident n'existe pas ou vous n'y avez pas accès."))
    return incident


def incidents_of(user: Any) -> Any:
    """The register of the caller's organizations (as their privacy officer), newest learned first."""
    orgs = _officer_organizations(user)
    return ConfidentialityIncident.objects.filter(organization_id__in=orgs).select_related(
        "organization").order_by("-learned_on", "-id")


def incident_page_slice(user: Any, *, offset: int = 0, limit: int = PAGE_SIZE
                        ) -> tuple[int, list[ConfidentialityIncident]]:
    """The API's reading: the count and one slice of the register. Not a privacy officer: NotFound."""
    try:
        rows = incidents_of(user)
    except PermissionRefused as refusal:
        raise NotFound(str(refusal)) from refusal
    return rows.count(), list(rows[offset:offset + limit])

