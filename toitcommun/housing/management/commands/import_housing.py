from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toitcommun.housing.imports import ImportRejected, housing_import


class Command(BaseCommand):
    help = (
        "Importe le parc de logements d'un fichier CSV ou XLSX, une ligne par groupe de logements. "
        "Tout ou rien, idempotent. Voir docs/import_housing.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="Fichier .csv ou .xlsx")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="Langue des messages")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier le fichier sans rien enregistrer")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with translation.override(options["lang"]):
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise CommandError(_("Fichier illisible : %(reason)s") % {"reason": exc.strerror or exc}) from None
            try:
                # Run by an operator on the server: the audit log names the system, not a user.
                summary = housing_import(actor=None, as_system=True, file_name=path.name, content=content,
                                         dry_run=options["dry_run"])
            except ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(error.describe())
                count = len(rejected.errors)
                raise CommandError(ngettext(
                    "Importation refusée : %(count)s erreur, rien n'a été importé.",
                    "Importation refusée : %(count)s erreurs, rien n'a été importé.",
                    count,
                ) % {"count": count}) from None
            for line in summary.lines():
                self.stdout.write(line)
