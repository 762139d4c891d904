"""python manage.py import_hsds DIR: bring HSDS 3.0 service documents into the directory."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from toitcommun.directory.hsds import HsdsRejected, import_documents


class Command(BaseCommand):
    help = (
        "Imports every *.json file of a folder, each one HSDS 3.0 service document. All or nothing: "
        "one invalid document and nothing is imported. Importing the same files again changes nothing. "
        "See docs/hsds.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="Folder holding the .json documents")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"Not a folder: {directory}")
        paths = sorted(directory.glob("*.json"))
        if not paths:
            raise CommandError(f"No .json file in {directory}")
        try:
            # Run by an operator on the server: the audit log names the system, not a user.
            report = import_documents(paths, as_system=True)
        except HsdsRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(error.describe())
            raise CommandError(
                f"Import refused: {len(rejected.errors)} error(s) in {len(paths)} file(s); nothing was imported."
            ) from None
        for line in report.lines():
            self.stdout.write(line)
