"""Dates as people write them: in French the first of the month is « 1er » (« 1er novembre 2015 »).

Django writes « 1 novembre 2015 ». ``format_date`` is ``django.utils.formats.date_format``
with that one difference; the ``|date`` filter of every template goes through it
(toitcommun/templatetags.py, registered as a builtin), so ``{{ d|date:"j F Y" }}`` and
``{{ d|date:"DATE_FORMAT" }}`` both write « 1er ». Numeric formats ("Y-m-d", "d/m/Y") are unchanged.
"""

from __future__ import annotations

import datetime
import re

from django.utils import dateformat, formats, translation

# A day of the month ("j") written before a month's name ("F", "E" or "N"), not escaped.
_DAY_BEFORE_MONTH_NAME = re.compile(r"(?<!\\)j(?=\s+[FEN])")


def first_of_month_format(fmt: str) -> str:
    """The format with the day written « 1er » (for a French date that falls on the 1st)."""
    return _DAY_BEFORE_MONTH_NAME.sub(r"j\\e\\r", fmt)


def format_date(value: datetime.date, fmt: str | None = None) -> str:
    """``value`` in ``fmt`` (a format string or a format setting's name, DATE_FORMAT by default)."""
    resolved = formats.get_format(fmt or "DATE_FORMAT")
    if getattr(value, "day", None) == 1 and (translation.get_language() or "").startswith("fr"):
        resolved = first_of_month_format(resolved)
    return dateformat.format(value, resolved)
