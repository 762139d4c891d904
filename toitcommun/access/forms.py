from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Nom d'utilisateur"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class AuditFilterForm(forms.Form):
    """The audit log's filters; a filter that cannot be read is refused, never ignored."""

    actor = forms.CharField(label=_("Auteur"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Type d'objet"), required=False)
    object_id = forms.CharField(label=_("Identifiant"), required=False, max_length=64)
    since = forms.DateField(
        label=_("Depuis le"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("« Depuis le » : date illisible, écrivez-la ainsi : 2025-10-23.")},
    )
    until = forms.DateField(
        label=_("Jusqu'au"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("« Jusqu'au » : date illisible, écrivez-la ainsi : 2025-10-23.")},
    )

    def __init__(self, *args: Any, actions: Sequence[tuple[str, str]] = (),
                 object_types: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Toutes")), *actions]
        action.error_messages["invalid_choice"] = _("« Action » : action inconnue « %(value)s ». Choisissez-en une dans la liste.")
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        object_type.choices = [("", _("Tous")), *object_types]
        object_type.error_messages["invalid_choice"] = _(
            "« Type d'objet » : type inconnu « %(value)s ». Choisissez-en un dans la liste.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("« Jusqu'au » (%(until)s) précède « Depuis le » (%(since)s) : la fin de la "
                                      "période doit suivre son début.") % {"until": until.isoformat(),
                                                                           "since": since.isoformat()})
        return cleaned


class LockReleaseForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField()
