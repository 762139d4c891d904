"""The housing stock import: a spreadsheet with one row per unit group.

All or nothing: every row is checked first, and a single bad row imports
nothing; the refusal lists every error with its spreadsheet row number (the
header is row 1), its column as the file names it, and its reason. Idempotent:
importing the same file twice leaves the database as after the first import,
and the second import writes no audit event.

Columns and values may be written in French or English, in any case, with or
without accents and separators (``vocabulary``). The file is read safely
(``reading``), its rows checked (``checking``), then written (``writing``).

Records are matched on their natural keys: an organization by its folded name
(``Organization.key_for``), a building by (organization, municipality, site
name), a unit group by (building, clientele, bedrooms), an availability
snapshot by (building, clientele, as_of).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused
from toitcommun.organizations.models import Organization

from .. import rules
from . import vocabulary
from .checking import (
    Checker,
    Line,
    Municipalities,
    check_across_rows,
    check_permission,
    municipality_code,
)
from .errors import FILE_ROW, HEADER_ROW, ImportRejected, RowError
from .reading import MAX_ROWS, Table, read_table
from .writing import ImportSummary, Progress, make_plan, read_stored, write

__all__ = ["MAX_ROWS", "ImportRejected", "ImportSummary", "Progress", "RowError", "housing_import", "read_rows"]

# How far along an import is when each stage ends (writing and auditing take most of the time).
READ_DONE, CHECK_DONE, PLAN_DONE = 0.03, 0.2, 0.25


def _no_progress(fraction: float) -> None:
    return None


def _refuse(message: str) -> ImportRejected:
    return ImportRejected([RowError(FILE_ROW, "", message)])


def _columns(table: Table) -> tuple[dict[str, int], dict[str, str]]:
    """Each known column's position in the file, and its name as the header writes it."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, cell in enumerate(table.header):
        code = vocabulary.column_code(cell)
        if code and code not in positions:
            positions[code] = index
            names[code] = cell.replace("\ufeff", "").strip()
    return positions, names


def read_rows(file_name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts keyed by column code (``units``, ``tenure``…)."""
    table = read_table(file_name, content)
    positions, _names = _columns(table)
    return [{code: (cells[i] if i < len(cells) else "") for code, i in positions.items()} for cells in table.rows]


def housing_import(*, actor: Any, file_name: str, content: bytes, lang: str | None = None,
                   dry_run: bool = False, as_system: bool = False,
                   progress: Callable[[float], None] | None = None) -> ImportSummary:
    """Import the housing stock from a CSV or XLSX file, all or nothing.

    Creates the organizations, buildings, unit groups and availability snapshots the
    file names and updates those that differ; raises ImportRejected, having changed
    nothing, if any row is bad. ``lang`` chooses the language of the messages (the
    active one by default); accepted values are named in the file's own language.
    ``as_system`` is for an operator's command on the server: there is no actor
    then, and the audit log says "system". ``dry_run`` checks the file and counts
    what would change without writing. ``progress`` is told how far along the import
    is, from 0 to 1 (a background job shows it as a progress bar).
    """
    progress = progress or _no_progress
    if as_system and actor is not None:
        raise ValueError("An import run as the system has no actor.")
    with translation.override(lang) if lang else contextlib.nullcontext():
        if not as_system and not rules.can_import_housing(actor):
            raise PermissionRefused(_("Vous ne pouvez pas importer le parc de logements."))
        table = read_table(file_name, content)
        progress(READ_DONE)
        positions, names = _columns(table)
        language = vocabulary.language_of(table.header) or translation.get_language() or vocabulary.FRENCH
        language = vocabulary.FRENCH if language.startswith("fr") else vocabulary.ENGLISH
        cells_by_row = [
            (number, {code: (cells[i] if i < len(cells) else "") for code, i in positions.items()})
            for number, cells in enumerate(table.rows, start=HEADER_ROW + 1)
            if any(cells)
        ]
        if not cells_by_row:
            raise _refuse(_("Le fichier ne contient aucune ligne de données."))
        missing = [c for c in vocabulary.REQUIRED if c not in positions]
        if missing:
            raise ImportRejected([
                RowError(HEADER_ROW, vocabulary.COLUMN_BY_CODE[c].in_language(language),
                         _("Colonne obligatoire absente de l'en-tête."))
                for c in missing
            ])
        name = PurePath(file_name).name
        try:
            with transaction.atomic():
                summary = _import(actor=actor, as_system=as_system, file_name=name, cells_by_row=cells_by_row,
                                  dry_run=dry_run, language=language, names=names, progress=progress)
        except IntegrityError:
            # Somebody else wrote the same records meanwhile; a second try will match them.
            raise _refuse(_("Une autre modification du parc a eu lieu pendant l'importation : réessayez.")) from None
    return summary


def _import(*, actor: Any, as_system: bool, file_name: str, cells_by_row: list[tuple[int, dict[str, str]]],
            dry_run: bool, language: str, names: dict[str, str], progress: Progress) -> ImportSummary:
    municipalities = Municipalities([cells.get("municipality_code", "") for _, cells in cells_by_row])
    checker = Checker(municipalities, timezone.localdate(), language=language, names=names)
    lines: list[Line] = []
    incomplete_sites: set[tuple[str, str, str]] = set()
    for index, (number, cells) in enumerate(cells_by_row):
        if index % 2000 == 0:
            progress(READ_DONE + (CHECK_DONE - READ_DONE) * index / len(cells_by_row))
        line = checker.line(number, cells)
        if line is not None:
            lines.append(line)
        else:
            incomplete_sites.add((Organization.key_for(cells.get("organization", "")),
                                  municipality_code(cells.get("municipality_code", "")), cells.get("site", "")))
    stored = read_stored(lines)
    if not as_system:
        check_permission(actor, lines, stored.organizations, checker)
    check_across_rows(lines, list(stored.unit_groups.values()), stored.building_for, checker, incomplete_sites)
    if checker.errors:
        raise ImportRejected(checker.row_errors())

    if as_system:
        reporter, label = None, f"import {file_name}"[:200]
    else:
        reporter, label = actor, (actor.get_full_name() or actor.get_username())[:200]
    plan = make_plan(lines, stored, reporter, label)
    progress(PLAN_DONE)
    summary = ImportSummary(
        rows=len(lines),
        organizations_created=[o.name for o in plan.organizations],
        buildings_created=len(plan.new_buildings), buildings_updated=len(plan.changed_buildings),
        unit_groups_created=len(plan.new_groups), unit_groups_updated=len(plan.changed_groups),
        snapshots_created=len(plan.new_snapshots), snapshots_updated=len(plan.changed_snapshots),
        unchanged_rows=plan.unchanged_rows, dry_run=dry_run,
    )
    if summary.changed and not dry_run:
        write(plan, actor=actor, file_name=file_name, summary=summary,
              progress=lambda fraction: progress(PLAN_DONE + (1 - PLAN_DONE) * fraction))
    return summary
