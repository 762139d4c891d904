from typing import Any

from django.core.management.base import BaseCommand

from toitcommun.demo import load_demo


class Command(BaseCommand):
    help = "Charge le scénario de démonstration (Chaudière-Appalaches, 2013–2016). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Scénario de démonstration chargé : Chaudière-Appalaches (12)."))
        self.stdout.write("Comptes de démonstration (nom d'utilisateur / mot de passe / rôle) :")
        for a in accounts:
            self.stdout.write(f"  {a.username:<14} {a.password:<28} {a.role}")
        self.stdout.write("Ouvrez http://127.0.0.1:8000/logement/disponibles/310/ (MRC des Appalaches).")
