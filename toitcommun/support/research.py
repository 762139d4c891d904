"""De-identified aggregates for researchers: counts only, small cells suppressed, as a page, CSV and XLSX.

Three tables for a year: interventions by MRC × month × category, persons reached by MRC and
month, closed referrals by MRC and outcome. No name, contact, free text or record id ever reaches
them: they are built from ``support.selectors.research_counts``, which returns counts only.

Small cells: a count of at least 1 and below ``RESEARCH_MIN_CELL`` (5 by default) is shown as
"< 5", never as 0 (0 stays 0: nobody is described by it). Where a table shows totals, a suppressed
cell could be recovered by subtracting the others from the total: so each row and each column
(its total included) must hide either nothing or at least two cells. Complementary cells are
chosen smallest first among the row's or column's other cells, the total last, and the rule is
applied until it holds everywhere.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from toitcommun.territory.models import Mrc

from .models import InterventionCategory, ReferralOutcome
from .selectors import research_counts

Cell = tuple[int, int]


def suppress(values: Sequence[Sequence[int]], threshold: int, *, with_totals: bool = True
             ) -> tuple[list[list[int]], set[Cell]]:
    """The grid (with a totals row and column when ``with_totals``) and the cells to hide.

    Primary: every count from 1 to ``threshold - 1``. Complementary (with totals): until every
    row and column, totals included, hides no cell or at least two.
    """
    grid = [list(row) for row in values]
    if with_totals:
        for row in grid:
            row.append(sum(row))
        width = len(grid[0]) if grid else 1
        grid.append([sum(row[j] for row in grid) for j in range(width)])
    hidden = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < threshold}
    if not with_totals or not grid:
        return grid, hidden
    rows, cols = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(cols)] for i in range(rows)] + [[(i, j) for i in range(rows)]
                                                                    for j in range(cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            total = line[-1]
            others = [c for c in line[:-1] if c not in hidden]
            positive = sorted((c for c in others if grid[c[0]][c[1]] > 0), key=lambda c: grid[c[0]][c[1]])
            zeros = [c for c in others if grid[c[0]][c[1]] == 0]
            if positive:
                pick = positive[0]
            elif total not in hidden:
                pick = total
            else:
                pick = zeros[0]
            hidden.add(pick)
            changed = True
    return grid, hidden


@dataclass
class Table:
    """One research table as shown: labels, and each cell a number or "< N"."""

    key: str
    title: str
    corner: str
    columns: list[str]
    rows: list[str]
    cells: list[list[int | str]] = field(default_factory=list)
    suppressed: int = 0

    @property
    def rows_cells(self) -> list[tuple[str, list[int | str]]]:
        return list(zip(self.rows, self.cells, strict=True))


def _shown(title: str, key: str, corner: str, row_labels: list[str], col_labels: list[str],
           values: list[list[int]], threshold: int, *, with_totals: bool = True) -> Table:
    if not row_labels:
        return Table(key, title, corner, col_labels + ([_("Total")] if with_totals else []), [], [], 0)
    grid, hidden = suppress(values, threshold, with_totals=with_totals)
    masked = f"< {threshold}"
    cells: list[list[int | str]] = [[masked if (i, j) in hidden else v for j, v in enumerate(row)]
                                    for i, row in enumerate(grid)]
    return Table(key, title, corner, col_labels + ([_("Total")] if with_totals else []),
                 row_labels + ([_("Total")] if with_totals else []), cells, len(hidden))


def _mrc_names(codes: Iterable[str | None]) -> dict[str | None, str]:
    names: dict[str | None, str] = {c: f"{n} ({c})" for c, n in Mrc.objects.filter(
        code__in=[c for c in codes if c]).values_list("code", "name")}
    names[None] = _("Sans immeuble connu")
    return names


def _month(value: Any) -> int:
    return value.month if isinstance(value, datetime.date) else int(str(value)[5:7])


def research_tables(user: Any, *, year: int, threshold: int | None = None) -> list[Table]:
    """The year's three tables, small cells suppressed. A researcher only (PermissionRefused otherwise)."""
    threshold = threshold or settings.RESEARCH_MIN_CELL
    counts = research_counts(user, year=year)
    months = list(range(1, 13))
    month_names = [formats.date_format(datetime.date(year, m, 1), "F") for m in months]
    mrcs = {c for c, *_rest in counts["interventions"]} | {c for c, *_rest in counts["reached"]} | {
        c for c, *_rest in counts["referrals"]}
    names = _mrc_names(mrcs)
    order = sorted(mrcs, key=lambda c: names[c])

    categories = list(InterventionCategory)
    by_row: dict[tuple[str | None, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, month, category, n in counts["interventions"]:
        by_row[(code, _month(month))][category] += n
    keys = [(c, m) for c in order for m in months if (c, m) in by_row]
    interventions = _shown(
        _("Interventions par MRC, mois et catégorie"), "interventions", _("MRC — mois"),
        [f"{names[c]} — {month_names[m - 1]}" for c, m in keys], [str(c.label) for c in categories],
        [[by_row[k][c.value] for c in categories] for k in keys], threshold)

    reached: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, month, n in counts["reached"]:
        reached[code][_month(month)] += n
    year_total = {code: n for code, n in counts["reached_year"]}
    persons = _shown(
        _("Personnes rejointes par MRC et mois (personnes distinctes)"), "persons", _("MRC"),
        [names[c] for c in order if c in reached], month_names + [_("Année")],
        [[reached[c][m] for m in months] + [year_total.get(c, 0)] for c in order if c in reached], threshold,
        with_totals=False)

    outcomes = list(ReferralOutcome)
    closed: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, outcome, n in counts["referrals"]:
        closed[code][outcome] += n
    referrals = _shown(
        _("Références fermées par MRC et résultat"), "referrals", _("MRC"),
        [names[c] for c in order if c in closed], [str(o.label) for o in outcomes],
        [[closed[c][o.value] for o in outcomes] for c in order if c in closed], threshold)
    return [interventions, persons, referrals]


def tables_csv(tables: Sequence[Table]) -> str:
    """One long table: table, row, column, value (UTF-8 with a BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Tableau"), _("Ligne"), _("Colonne"), _("Valeur")])
    for table in tables:
        for label, row in zip(table.rows, table.cells, strict=True):
            for column, value in zip(table.columns, row, strict=True):
                writer.writerow([table.title, label, column, value])
    return "\ufeff" + out.getvalue()


def tables_xlsx(tables: Sequence[Table], *, year: int, threshold: int) -> bytes:
    """One sheet per table, as on the page; a last sheet says how small cells were suppressed."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.key)
        sheet.append([table.title])
        sheet.append([table.corner, *table.columns])
        for cell in sheet[2]:
            cell.font = bold
        for label, row in zip(table.rows, table.cells, strict=True):
            sheet.append([label, *row])
        sheet.column_dimensions["A"].width = 48
    about = book.create_sheet("source")
    about.append([_("Toit commun — données de recherche dépersonnalisées, année %(year)s") % {"year": year}])
    about.append([_("Les cellules de 1 à %(n)s sont masquées (« < %(m)s »), et d'autres avec elles lorsque les "
                    "totaux permettraient de les retrouver.") % {"n": threshold - 1, "m": threshold}])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
