"""Forget finished background jobs after a while: their files are kept in the database until then."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from toitcommun.jobs.models import Job, JobStatus


class Command(BaseCommand):
    help = "Supprime les travaux en arrière-plan terminés depuis plus de N jours (7 par défaut) et leurs fichiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="garder les travaux terminés depuis moins de N jours")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 0:
            self.stderr.write("--days : un nombre de jours positif ou nul.")
            raise SystemExit(2)
        before = timezone.now() - datetime.timedelta(days=days)
        count, _ = Job.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=before).delete()
        self.stdout.write(f"Travaux supprimés : {count}.")
