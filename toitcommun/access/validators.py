"""Password checks beyond Django's own lists."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words that breached-password corpora show people build passwords from, here and elsewhere.
_BREACHED_STEMS = (
    "password", "motdepasse", "azerty", "qwerty", "bonjour", "soleil", "quebec", "montreal",
    "canadiens", "habs", "letmein", "welcome", "bienvenue", "admin", "toitcommun", "logement",
    "iloveyou", "jetaime", "123456", "111111", "abc123", "dragon", "monkey", "hockey",
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


class BreachedStylePasswordValidator:
    """Refuses passwords that are a common word with digits or symbols stuck on.

    Django's CommonPasswordValidator catches exact common passwords; breached
    lists show the same words dressed up ("Soleil2024!", "P@ssw0rd123").
    """

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        # The word once the digits and symbols stuck around it are taken off, then un-leeted.
        base = re.sub(r"^[\d\W_]+|[\d\W_]+$", "", lowered).translate(_LEET)
        letters = re.sub(r"[^a-z]", "", lowered.translate(_LEET))
        for stem in _BREACHED_STEMS:
            if stem.isdigit():
                if stem in lowered and len(re.sub(r"[\d\W_]", "", lowered)) <= 4:
                    raise self._error()
            elif base == stem or letters == stem:
                raise self._error()
        if len(set(password)) <= 3:
            raise self._error()

    @staticmethod
    def _error() -> ValidationError:
        return ValidationError(
            _("Ce mot de passe ressemble trop à ceux qu'on retrouve dans les listes de mots de passe volés."),
            code="password_breached_style",
        )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne peut pas être un mot courant auquel on a ajouté des chiffres ou des symboles.")
