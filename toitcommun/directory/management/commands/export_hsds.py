"""python manage.py export_hsds DIR: one HSDS 3.0 service document per service."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from toitcommun.directory.hsds import HSDS_VERSION, export_directory


class Command(BaseCommand):
    help = (
        "Exporte le répertoire en documents Open Referral HSDS 3.0 : un <id du service>.json par service "
        "(y compris les services retirés), en remplaçant les fichiers du même nom. Voir docs/hsds.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="Dossier où écrire (créé au besoin)")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="Langue des messages")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        with translation.override(options["lang"]):
            written = export_directory(directory)
            self.stdout.write(_("%(n)s documents « service » HSDS %(version)s écrits dans %(path)s")
                              % {"n": len(written), "version": HSDS_VERSION, "path": directory})
