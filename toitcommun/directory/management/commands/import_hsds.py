"""python manage.py import_hsds DIR: bring HSDS 3.0 service documents into the directory."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toitcommun.directory.hsds import HsdsRejected, import_documents


class Command(BaseCommand):
    help = (
        "Importe chaque fichier *.json d'un dossier, chacun un document « service » HSDS 3.0. Tout ou rien : "
        "un document invalide, et rien n'est importé. Importer de nouveau les mêmes fichiers ne change rien. "
        "Voir docs/hsds.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="Dossier des documents .json")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="Langue des messages")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        with translation.override(options["lang"]):
            if not directory.is_dir():
                raise CommandError(_("Ce n'est pas un dossier : %(path)s") % {"path": directory})
            paths = sorted(directory.glob("*.json"))
            if not paths:
                raise CommandError(_("Aucun fichier .json dans %(path)s") % {"path": directory})
            try:
                # Run by an operator on the server: the audit log names the system, not a user.
                report = import_documents(paths, as_system=True)
            except HsdsRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(error.describe())
                count = len(rejected.errors)
                raise CommandError(ngettext(
                    "Importation refusée : %(count)s erreur dans %(files)s fichier(s) ; rien n'a été importé.",
                    "Importation refusée : %(count)s erreurs dans %(files)s fichier(s) ; rien n'a été importé.",
                    count,
                ) % {"count": count, "files": len(paths)}) from None
            for line in report.lines():
                self.stdout.write(line)
