"""CSV and XLSX renderings of what the housing pages show."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from toitcommun.territory.selectors import TerritoryRef

from . import rules
from .selectors import availability_rows, known_percent, stale_before


def available_table(user: Any, territory: TerritoryRef, on: datetime.date, clientele: str) -> Table:
    """The available-housing table as CSV or XLSX: an empty cell where nothing is known, never 0."""
    rows = availability_rows(territory, on, clientele)
    days = settings.HOUSING_STALE_AFTER_DAYS
    headers = [_("Municipalité"), _("Site"), _("Adresse"), _("Propriétaire"), _("Tenure"), _("Clientèle"),
               _("Logements"), _("Logements adaptés"), _("Vacants"), _("Liste d'attente"), _("En date du"),
               _("Donnée ancienne (plus de %(days)s jours)") % {"days": days}]
    data = [[r.building.municipality.name, r.building.name, r.building.address, r.building.organization.name,
             r.building.get_tenure_display(), r.clientele_label, r.units, r.adapted_units, r.vacant_units,
             r.waiting_list, r.as_of.isoformat() if r.as_of else None,
             None if r.as_of is None else (_("oui") if r.is_stale else _("non"))] for r in rows]
    if rules.can_see_reporters(user):
        headers.append(_("Signalé par"))
        for line, r in zip(data, rows, strict=True):
            line.append(r.reported_by)
    total = sum(r.units for r in rows)
    reported = sum(r.units for r in rows if r.as_of is not None)
    stale = sum(r.units for r in rows if r.is_stale)
    notes = [f"{territory.name} ({territory.code})", _("En date du %(date)s") % {"date": on.isoformat()},
             _("Figures connues pour %(reported)s logements sur %(total)s (%(percent)s %%) ; une case vide est "
               "une figure inconnue, jamais 0.") % {"reported": reported, "total": total,
                                                    "percent": known_percent(reported, total) or 0},
             _("Figures de plus de %(days)s jours (signalées avant le %(date)s) : %(stale)s logements.") % {
                 "days": days, "date": stale_before(on).isoformat(), "stale": stale}]
    return Table(filename=f"logements-disponibles-{territory.code}-{on.isoformat()}", headers=headers, rows=data,
                 title=_("Disponibles"), notes=notes)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """One table to download: what a page shows, every row."""

    filename: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str = ""
    notes: Sequence[str] = field(default_factory=tuple)


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields each line as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow(["" if v is None else _cell(v) for v in row])


def xlsx_bytes(table: Table, progress: Callable[[float], None] | None = None) -> bytes:
    """The table as an XLSX workbook, written row by row (openpyxl's write-only mode keeps memory flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet((table.title or "Export")[:31])
    sample = table.rows[:500]
    for i, header in enumerate(table.headers):
        width = max([len(str(header))] + [len(str(r[i] or "")) for r in sample])
        sheet.column_dimensions[_column_letter(i + 1)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in table.headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    total = len(table.rows) or 1
    for index, row in enumerate(table.rows):
        sheet.append([_cell(v) for v in row])
        if progress and index % 2000 == 0:
            progress(0.9 * index / total)
    if table.notes:
        info = book.create_sheet("Source")
        for note in table.notes:
            info.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def table_response(*, filename: str, fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                   title: str = "", notes: Sequence[str] = ()) -> HttpResponse | StreamingHttpResponse:
    """A download of one table, as CSV (UTF-8 with BOM, for Excel; streamed line by line) or XLSX."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = (title or "Export")[:31]
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for i, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r[i - 1] or "")) for r in rows[:500]])
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
        if notes:
            info = book.create_sheet("Source")
            for note in notes:
                info.append([note])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    streamed = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return streamed


def _cell(value: Any) -> Any:
    # A cell that starts like a formula is shown as text, never run by the spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
