"""Reading a spreadsheet safely: CSV in a known encoding, XLSX checked before it is opened.

A file comes from anybody who may import. Before any parsing, an XLSX archive's
declared sizes, its compression ratios and the number of its shared strings
and cells are checked, so that a small archive that would expand to gigabytes
(a "zip bomb") is refused in milliseconds; rows are then streamed and reading
stops at the row limit. A CSV is decoded as UTF-8, or as Windows-1252 when it
is not UTF-8; a file whose text shows the marks of a double decoding ("Ã©" for
"é") is refused with the line where they appear, never imported as it reads.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from .errors import ImportRejected, RowError

MAX_ROWS = 200_000
# What an honest housing spreadsheet of MAX_ROWS rows needs, with room to spare.
XLSX_MAX_ENTRIES = 1_000
XLSX_MAX_EXPANDED_BYTES = 100 * 1024 * 1024
XLSX_MAX_RATIO = 200  # spreadsheet XML compresses 5 to 50 times; bombs thousands of times
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress as they like
XLSX_MAX_SHARED_STRINGS = 200_000
XLSX_MAX_CELLS = MAX_ROWS * 40
_CHUNK = 1024 * 1024


@dataclass
class Table:
    """A file's header and rows, every cell as trimmed text."""

    header: list[str]
    rows: list[list[str]]


def _refuse(message: str, row: int = 0) -> ImportRejected:
    return ImportRejected([RowError(row, "", message)])


def read_table(file_name: str, content: bytes) -> Table:
    """The header and rows of a CSV or XLSX file. Raises ImportRejected when it cannot be read safely."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        table = _csv_table(content)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx_table(content)
    else:
        raise _refuse(_("Format de fichier non pris en charge : utilisez un fichier .csv ou .xlsx."))
    if not table:
        return Table(header=[], rows=[])
    return Table(header=table[0], rows=table[1:])


def _limited(rows: Any) -> Iterator[Any]:
    for count, cells in enumerate(rows):
        if count > MAX_ROWS:
            raise _refuse(_("Le fichier dépasse %(max)s lignes : découpez-le.") % {"max": MAX_ROWS})
        yield cells


# ---- CSV ----------------------------------------------------------------------------------

# "é" written in UTF-8 and read as Windows-1252 becomes "Ã©": a lead byte shown as Â or Ã
# (or another Latin-1 capital of C2–DF), then one of the continuation bytes' characters.
_DOUBLE_DECODED = re.compile("[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                             "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                             "\u2039\u203a\u20ac\u2122]")


def _double_decoded_line(text: str) -> tuple[int, str] | None:
    """The first line whose text is UTF-8 read as Windows-1252, with the damaged word."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _DOUBLE_DECODED.finditer(line):
            try:
                repaired = match.group().encode("cp1252").decode("utf-8")
            except UnicodeError:
                continue
            if repaired != match.group():
                start = line.rfind(" ", 0, match.start()) + 1
                end = line.find(" ", match.end())
                word = line[start:end if end != -1 else len(line)]
                return number, word[:40]
    return None


def _first_non_utf8_line(content: bytes) -> int:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return content.count(b"\n", 0, error.start) + 1
    return 0


def decode(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1252 (French Excel's "CSV")."""
    try:
        text = content.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
        encoding = "cp1252"
    if "\x00" in text:
        raise _refuse(_("Fichier illisible : ce n'est pas un fichier texte CSV en UTF-8."))
    damaged = _double_decoded_line(text)
    if damaged is not None:
        line, word = damaged
        if encoding == "utf-8":
            message = _(
                "le texte « %(word)s » est de l'UTF-8 lu comme du Windows-1252 (« é » devenu « Ã© ») : "
                "corrigez le fichier d'origine puis enregistrez-le de nouveau en UTF-8."
            ) % {"word": word}
        else:
            message = _(
                "le fichier mêle deux encodages : il est en UTF-8 (« %(word)s » lu autrement), mais la "
                "ligne %(bad)s contient un caractère qui n'en est pas. Enregistrez-le de nouveau en UTF-8."
            ) % {"word": word, "bad": _first_non_utf8_line(content)}
        raise _refuse(message, row=line)
    return text


def _csv_table(content: bytes) -> list[list[str]]:
    text = decode(content)
    header_line = text.split("\n", 1)[0]
    # French Excel exports use ";" because "," is the decimal separator: trust the header line.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    try:
        return [
            [cell.strip() for cell in cells]
            for cells in _limited(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        ]
    except csv.Error as exc:
        raise _refuse(_("Fichier CSV illisible : %(reason)s") % {"reason": exc}) from None


# ---- XLSX ---------------------------------------------------------------------------------

def _count_in_part(archive: zipfile.ZipFile, name: str, needles: tuple[bytes, ...], limit: int) -> int:
    """How many times the needles occur in one part of the archive, read in chunks; stops past ``limit``."""
    keep = max(len(needle) for needle in needles) - 1
    count, tail = 0, b""
    with archive.open(name) as part:
        while count <= limit and (chunk := part.read(_CHUNK)):
            window = tail + chunk
            # A needle cut by the previous chunk's end is whole in this window; one wholly
            # inside the kept tail was counted with the previous window.
            count += sum(window.count(n) - tail.count(n) for n in needles)
            tail = window[-keep:]
    return count


def check_xlsx_archive(content: bytes) -> None:
    """Refuse an archive that would expand beyond what a housing spreadsheet needs, before parsing it."""
    unreadable = _("Fichier illisible : ce n'est pas un classeur Excel (.xlsx) valide.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(unreadable) from None
    too_big = _("Classeur refusé : son contenu décompressé dépasserait ce qu'un fichier de %(rows)s lignes "
                "peut contenir. Enregistrez-le de nouveau depuis votre tableur, ou envoyez un CSV.") % {
        "rows": MAX_ROWS}
    with archive:
        entries = archive.infolist()
        if len(entries) > XLSX_MAX_ENTRIES:
            raise _refuse(too_big)
        if sum(entry.file_size for entry in entries) > XLSX_MAX_EXPANDED_BYTES:
            raise _refuse(too_big)
        for entry in entries:
            if entry.file_size > XLSX_RATIO_FROM_BYTES and entry.file_size > XLSX_MAX_RATIO * max(
                    entry.compress_size, 1):
                raise _refuse(too_big)
        names = {entry.filename for entry in entries}
        try:
            if "xl/sharedStrings.xml" in names:
                strings = _count_in_part(archive, "xl/sharedStrings.xml", (b"<si>", b"<si "),
                                         XLSX_MAX_SHARED_STRINGS)
                if strings > XLSX_MAX_SHARED_STRINGS:
                    raise _refuse(too_big)
            for name in names:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    cells = _count_in_part(archive, name, (b"<c>", b"<c "), XLSX_MAX_CELLS)
                    if cells > XLSX_MAX_CELLS:
                        raise _refuse(too_big)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            raise _refuse(unreadable) from None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as trimmed text. Integral floats (3.0) become integers, dates ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# Columns past this one are not read: the import knows 13, a sheet may carry notes beside them.
XLSX_MAX_COLUMNS = 60


def _xlsx_table(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    check_xlsx_archive(content)
    unreadable = _("Fichier illisible : ce n'est pas un classeur Excel (.xlsx) valide.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in many ways (zip, XML, KeyError)
        raise _refuse(unreadable) from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
        return [[cell_text(v) for v in cells] for cells in _limited(rows)]
    except ImportRejected:
        raise
    except Exception:  # cells are parsed lazily in read-only mode
        raise _refuse(unreadable) from None
    finally:
        workbook.close()
