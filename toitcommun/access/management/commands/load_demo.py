from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from toitcommun.access.models import Role
from toitcommun.demo import load_demo


class Command(BaseCommand):
    help = "Charge le scénario de démonstration (Chaudière-Appalaches, 2013–2016). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS(_("Scénario de démonstration chargé : Chaudière-Appalaches (12).")))
        self.stdout.write(_("Comptes de démonstration (nom d'utilisateur / mot de passe / rôle) :"))
        for a in accounts:
            # The role's name in the active language (French unless LANGUAGE_CODE or the caller says otherwise).
            role = str(Role(a.role).label) + (f" · {a.organization}" if a.organization else "")
            self.stdout.write(f"  {a.username:<14} {a.password:<28} {role}")
