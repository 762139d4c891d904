"""CSV and XLSX renderings of what the housing pages show."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(*, filename: str, fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                   title: str = "", notes: Sequence[str] = ()) -> HttpResponse:
    """A download of one table, as CSV (UTF-8 with BOM, for Excel) or XLSX."""
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
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _cell(value: Any) -> Any:
    # A cell that starts like a formula is shown as text, never run by the spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
