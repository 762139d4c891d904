"""The officers' forms: a meeting and its agenda, attendance, decisions, follow-ups, mandates.

They parse what was typed into typed values; the services decide and refuse (their reasons are shown on
the same forms, what was typed kept).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from toitcommun.organizations.models import Organization

from .activity_forms import DATETIME_WIDGET
from .models import (
    AgendaItemKind,
    Audience,
    DecisionMethod,
    FollowUpStatus,
    HolderKind,
    MandateRole,
    MeetingKind,
    Presence,
)
from .models.meetings import MAX_COUNT

# A meeting is planned with up to this many agenda items at once; more are added on its page.
AGENDA_ROWS = 6
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def _count(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=MAX_COUNT,
                              validators=[MinValueValidator(0), MaxValueValidator(MAX_COUNT)],
                              error_messages={"invalid": _("Un nombre entier, sans lettres."),
                                              "min_value": _("Un nombre de 0 à %(limit_value)s."),
                                              "max_value": _("Un nombre de 0 à %(limit_value)s.")})


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de réunion"), choices=MeetingKind.choices, initial=MeetingKind.ORDINARY)
    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DATETIME_WIDGET,
                                    error_messages={"invalid": _("Donnez la date et l'heure (jj/mm/aaaa hh:mm).")})
    place = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    audience = forms.ChoiceField(label=_("Pour qui"), choices=Audience.choices, initial=Audience.MEMBERS,
                                 help_text=_("Une réunion « pour les membres » reste entre les membres ; "
                                             "« le public » la voit paraître au calendrier une fois convoquée."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, AGENDA_ROWS + 1):
            self.fields[f"agenda_title_{n}"] = forms.CharField(
                label=_("Point %(n)s") % {"n": n}, max_length=200, required=False)
            self.fields[f"agenda_kind_{n}"] = forms.ChoiceField(
                label=_("Type du point %(n)s") % {"n": n}, choices=AgendaItemKind.choices,
                initial=AgendaItemKind.INFORMATION, required=False)

    def agenda_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"agenda_title_{n}"], self[f"agenda_kind_{n}"]) for n in range(1, AGENDA_ROWS + 1)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("title", "kind", "starts_at", "place", "audience")]

    def agenda(self) -> list[tuple[str, str]]:
        data = self.data
        return [(data.get(f"agenda_title_{n}", ""), data.get(f"agenda_kind_{n}") or AgendaItemKind.INFORMATION)
                for n in range(1, AGENDA_ROWS + 1)]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Point à ajouter"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AgendaItemKind.choices, initial=AgendaItemKind.INFORMATION)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(forms.Form):
    presence = forms.ChoiceField(label=_("Présence"), choices=Presence.choices)
    arrived_at = forms.TimeField(label=_("Arrivée"), required=False, widget=TIME_WIDGET,
                                 error_messages={"invalid": _("Une heure comme 19:05.")})
    left_at = forms.TimeField(label=_("Départ"), required=False, widget=TIME_WIDGET,
                              error_messages={"invalid": _("Une heure comme 21:30.")})


class CountedForm(forms.Form):
    tenants = _count(_("Locataires"))
    children = _count(_("Enfants"))
    observers = _count(_("Observateurs"))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Ce que le groupe a décidé, comme on l'écrira au procès-verbal."))
    agenda_item = forms.TypedChoiceField(label=_("Point de l'ordre du jour"), required=False, coerce=int,
                                         empty_value=None)
    method = forms.ChoiceField(label=_("Mode"), choices=DecisionMethod.choices, initial=DecisionMethod.CONSENSUS,
                               widget=forms.RadioSelect)
    votes_for = _count(_("Pour"), required=False)
    votes_against = _count(_("Contre"), required=False)
    abstentions = _count(_("Abstentions"), required=False)
    taken_at = forms.TimeField(label=_("Heure de la décision"), required=False, widget=TIME_WIDGET,
                               help_text=_("Le quorum est compté avec les membres présents à cette heure."),
                               error_messages={"invalid": _("Une heure comme 19:45.")})

    def __init__(self, *args: Any, agenda: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", _("— aucun —"))] + [  # type: ignore[attr-defined]
            (item.pk, f"{item.position}. {item.title} ({item.get_kind_display()})") for item in agenda]


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Suivi"), max_length=200, help_text=_("Ce qu'il faut faire."))
    owner = forms.CharField(label=_("Responsable"), max_length=200)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DATE_WIDGET,
                             error_messages={"invalid": _("Une date comme 2016-03-01.")})


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class MandateForm(forms.Form):
    holder_kind = forms.ChoiceField(label=_("Titulaire"), choices=HolderKind.choices, initial=HolderKind.PERSON,
                                    widget=forms.RadioSelect)
    holder_name = forms.CharField(label=_("Nom de la personne"), max_length=200, required=False)
    account = forms.CharField(
        label=_("Son compte Toit commun (identifiant de connexion, s'il en a un)"), max_length=150, required=False,
        help_text=_("Avec son compte, la personne pourra agir selon son rôle : convoquer, noter les présences, "
                    "rédiger le procès-verbal."))
    organization = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organization.objects.order_by("name"))
    role = forms.ChoiceField(label=_("Rôle"), choices=MandateRole.choices)
    voting = forms.BooleanField(label=_("Droit de vote"), required=False, initial=True)
    elected_by = forms.TypedChoiceField(label=_("Élu·e par la décision"), required=False, coerce=int,
                                        empty_value=None)
    delegate_of = forms.TypedChoiceField(label=_("Délégué·e de l'organisation membre"), required=False, coerce=int,
                                         empty_value=None)
    is_substitute = forms.BooleanField(label=_("Substitut"), required=False)
    starts_on = forms.DateField(label=_("Début du mandat"), widget=DATE_WIDGET,
                                error_messages={"invalid": _("Une date comme 2015-11-04.")})

    def __init__(self, *args: Any, decisions: list[Any] = (), organizations: list[Any] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elected_by"].choices = [("", _("— aucune —"))] + [  # type: ignore[attr-defined]
            (d.pk, f"{d.meeting.starts_at:%Y-%m-%d} · n° {d.number} · {d.text[:60]}") for d in decisions]
        self.fields["delegate_of"].choices = [("", _("— aucune —"))] + [  # type: ignore[attr-defined]
            (m.pk, m.display_holder) for m in organizations]


class MandateEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Fin du mandat"), widget=DATE_WIDGET,
                              error_messages={"invalid": _("Une date comme 2016-06-30.")})
