"""Apply the retention rules: destroy what is due, print what was destroyed, keep the fact of it.

    python manage.py apply_retention [--dry-run] [--today YYYY-MM-DD]

The report counts per category and organization; it never shows content.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from toitcommun.organizations.models import Organization
from toitcommun.people.models import RetentionCategory
from toitcommun.support.retention import retention_apply


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--today : date illisible, écrivez-la ainsi : 2025-10-23.")) from None


class Command(BaseCommand):
    help = "Destroy the personal information the retention rules say is due; keep the fact of each destruction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument("--today", type=_day, default=None, help="Apply the rules as of this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply(today=options["today"], dry_run=options["dry_run"])
        names = dict(Organization.objects.filter(
            pk__in={org for _c, org in report.counts if org is not None}).values_list("pk", "name"))
        labels = dict(RetentionCategory.choices)
        head = _("Conservation au %(day)s — simulation : rien n'est détruit.") if report.dry_run else _(
            "Conservation au %(day)s — détruit :")
        self.stdout.write(head % {"day": report.applied_on.isoformat()})
        for (category, org), count in sorted(report.counts.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
            self.stdout.write(f"  {category}\t{labels.get(category, category)}\t"
                              f"{names.get(org, '—') if org else '—'}\t{count}")
        self.stdout.write(_("Total : %(n)s") % {"n": report.total})
