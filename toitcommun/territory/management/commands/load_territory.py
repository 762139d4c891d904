from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from toitcommun.territory.services import territory_load_mamh


class Command(BaseCommand):
    help = "Charge les régions, MRC et municipalités du Québec (répertoire du MAMH). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", type=Path, default=None, help="Autre fichier MUN.csv du MAMH")

    def handle(self, *args: Any, **options: Any) -> None:
        report = territory_load_mamh(path=options["file"])
        for level in ("region", "mrc", "municipality"):
            self.stdout.write(f"{level}: {report.created[level]} créés, {report.updated[level]} mis à jour")
        if not report.changed:
            self.stdout.write("Territoire déjà à jour : rien n'a changé.")
