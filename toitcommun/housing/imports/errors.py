"""Why a file was refused: each reason with its spreadsheet row and column."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from toitcommun.errors import ServiceError

# The row number of an error about the file as a whole rather than one of its rows.
FILE_ROW = 0
HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    """One reason to refuse the file: spreadsheet row (1 is the header, 0 the whole file), column, reason.

    ``column`` is the column's name as the file's header writes it.
    """

    row: int
    column: str
    message: str

    def describe(self) -> str:
        """The error as one line, in the active language: ``ligne 4, colonne « logements » : …``."""
        if self.row == FILE_ROW:
            return _("fichier : %(message)s") % {"message": self.message}
        if not self.column:
            return _("ligne %(row)s : %(message)s") % {"row": self.row, "message": self.message}
        return _("ligne %(row)s, colonne « %(column)s » : %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


class ImportRejected(ServiceError):
    """The file was refused and nothing was imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.describe() for e in errors[:5]))
        self.errors = errors
