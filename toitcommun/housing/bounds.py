"""The limits of every housing figure, written once.

The models' validators (and so the forms), the API schemas (and so the OpenAPI
document) and the spreadsheet import all read these values: a figure accepted
by one face is accepted by all of them, and refused by all of them otherwise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Range:
    """Inclusive bounds of a whole number."""

    minimum: int
    maximum: int

    def validators(self) -> list[Any]:
        return [MinValueValidator(self.minimum), MaxValueValidator(self.maximum)]

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and self.minimum <= value <= self.maximum


# Units of one unit group (a site's units for one clientele and one bedroom count).
UNITS = Range(1, 5_000)
ADAPTED_UNITS = Range(0, 5_000)
BEDROOMS = Range(0, 10)
# Figures of an availability report: vacant units of a site for a clientele, households waiting.
VACANT_UNITS = Range(0, 5_000)
WAITING_LIST = Range(0, 100_000)

# No availability report can predate the data this system holds: the province-wide
# agreement on community support dates from the 2010s; 2000 leaves room for history.
EARLIEST_REPORT = datetime.date(2000, 1, 1)
# A date given as text must be written in full, YYYY-MM-DD: "0" is not a date.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def report_date_validators() -> list[Any]:
    return [MinValueValidator(EARLIEST_REPORT), validate_not_in_future]


def validate_not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future")


def report_date_problem(day: datetime.date) -> str | None:
    """Why ``day`` cannot date an availability report, or None when it can."""
    if day < EARLIEST_REPORT:
        return _("La date doit être le %(earliest)s ou après.") % {"earliest": EARLIEST_REPORT.isoformat()}
    if day > timezone.localdate():
        return _("La date %(value)s est dans le futur.") % {"value": day.isoformat()}
    return None


# ---- the same bounds as API types (pydantic): strict whole numbers, ISO dates -------------

def api_int(bounds: Range, description: str) -> Any:
    """A whole number within ``bounds``; true/false, 3.5 or "3" are refused, not read as numbers."""
    return Annotated[int, Strict(), Field(ge=bounds.minimum, le=bounds.maximum, description=description)]


def _iso_date_only(value: Any) -> Any:
    # pydantic would read 0 as 1970-01-01 and "0001-01-01" as a date: only a written date is one.
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        # The type's name starts with "date": the API answers "Entrez une date valide au format AAAA-MM-JJ".
        raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD")
    return value


def _within(earliest: datetime.date, latest: datetime.date | None = None) -> Any:
    def check(value: datetime.date) -> datetime.date:
        if value < earliest:
            raise PydanticCustomError("greater_than_equal", "Date should be {ge} or later",
                                      {"ge": earliest.isoformat()})
        if latest is not None and value > latest:
            raise PydanticCustomError("less_than_equal", "Date should be {le} or earlier",
                                      {"le": latest.isoformat()})
        return value
    return check


# Any date one may ask figures for (a summary "as of"): written in full, within reason.
EARLIEST_QUERY = datetime.date(1900, 1, 1)
LATEST_QUERY = datetime.date(2199, 12, 31)


ReportDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date_only),
    AfterValidator(_within(EARLIEST_REPORT)),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": f"YYYY-MM-DD, from {EARLIEST_REPORT.isoformat()}, not in the future"}),
]

QueryDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date_only),
    AfterValidator(_within(EARLIEST_QUERY, LATEST_QUERY)),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": f"YYYY-MM-DD, {EARLIEST_QUERY.isoformat()} to {LATEST_QUERY.isoformat()}"}),
]
