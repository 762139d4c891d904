"""python manage.py export_hsds DIR: one HSDS 3.0 service document per service."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from toitcommun.directory.hsds import HSDS_VERSION, export_directory


class Command(BaseCommand):
    help = (
        "Exports the directory as Open Referral HSDS 3.0 documents: one <service id>.json per service "
        "(retired ones included), overwriting files of the same name. See docs/hsds.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="Folder to write into (created if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        written = export_directory(directory)
        self.stdout.write(f"{len(written)} HSDS {HSDS_VERSION} service documents written to {directory}")
