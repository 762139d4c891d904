"""Opening hours as people write them, read into HSDS schedule rules.

Staff type hours the way they would on a poster: "lundi au vendredi 9 h à 17 h",
"lun-ven 9h-12h, 13h-16h30", "du lundi au jeudi de 8 h 30 à midi et de 13 h à
16 h 30; vendredi 8h30-12h", "Mon-Fri 9am-5pm", or the short form this page has
always shown, "LU-VE 09:00-12:00,13:00-16:30; SA 10:00-12:00". Each opening
becomes one rule (days, opens at, closes at), stored as HSDS schedules; what
cannot be read is refused with the part of the text that could not be, and why.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# HSDS day codes, and the French abbreviations people type here (lundi → LU ...).
DAY_CODES = {**{d: d for d in WEEK}, "LU": "MO", "MA": "TU", "ME": "WE", "JE": "TH", "VE": "FR", "DI": "SU"}
HOURS_EXAMPLE = gettext_lazy("lundi au vendredi 9 h à 12 h et 13 h à 16 h 30; samedi 10 h à 12 h")
# "24:00" (or "minuit") closes at the end of the day (HSDS stores 23:59:59).
END_OF_DAY = datetime.time(23, 59, 59)
MAX_HOURS_RULES = 14
MAX_HOURS_LENGTH = 500


@dataclass(frozen=True)
class OpeningHours:
    """One rule of the hours: these days, from ``opens_at`` to ``closes_at``."""

    days: tuple[str, ...]
    opens_at: datetime.time
    closes_at: datetime.time

    @property
    def byday(self) -> str:
        return ",".join(self.days)


# ---- the words ----------------------------------------------------------------------------

_DAY_WORDS = {
    "MO": ("lundi", "lundis", "lun", "lu", "mo", "mon", "monday", "mondays"),
    "TU": ("mardi", "mardis", "mar", "ma", "tu", "tue", "tues", "tuesday", "tuesdays"),
    "WE": ("mercredi", "mercredis", "mer", "merc", "me", "we", "wed", "wednesday", "wednesdays"),
    "TH": ("jeudi", "jeudis", "jeu", "je", "th", "thu", "thur", "thurs", "thursday", "thursdays"),
    "FR": ("vendredi", "vendredis", "ven", "vend", "ve", "fr", "fri", "friday", "fridays"),
    "SA": ("samedi", "samedis", "sam", "sa", "sat", "saturday", "saturdays"),
    "SU": ("dimanche", "dimanches", "dim", "di", "su", "sun", "sunday", "sundays"),
}
DAY_OF_WORD = {word: code for code, words in _DAY_WORDS.items() for word in words}
# Words that stand for several days at once.
_DAY_GROUPS = {
    "semaine": WEEK[:5], "weekdays": WEEK[:5], "weekday": WEEK[:5],
    "weekend": WEEK[5:], "week-end": WEEK[5:], "fds": WEEK[5:],
    "quotidien": WEEK, "daily": WEEK, "everyday": WEEK,
}
_PHRASES = [  # several words that mean one thing, replaced before reading word by word
    (r"\bfins? de semaine\b", " weekend "), (r"\btous les jours\b", " daily "), (r"\b7 jours sur 7\b", " daily "),
    (r"\b7 ?j ?/ ?7\b", " daily "), (r"\bevery day\b", " daily "), (r"\bjours? de semaine\b", " weekdays "),
    (r"\ben semaine\b", " weekdays "), (r"\bjusqu ?a\b", " a "), (r"\bjusqu ?au\b", " au "),
    (r"\ba\.m\.", "am"), (r"\bp\.m\.", "pm"),
]
_RANGE_WORDS = {"a", "au", "to", "till", "until", "through", "thru", "-"}
_AND_WORDS = {"et", "and", ",", "&", "/", "+"}
# Words that carry no information here.
_FILLER = {"de", "du", "des", "d", "le", "les", "l", "la", "from", "the", "on", "ouvert", "ouverts", "open",
           "heures", "heure", "hours", "hrs", "hr", "h", "inclusivement", "inclusively", "inclus", "chaque",
           "every", "each", "sur", "rendez", "vous", ":", "."}
_CLOSED = {"ferme", "fermes", "fermee", "fermees", "closed"}

_TOKEN = re.compile(
    r"(?P<time>\d{1,2}\s*(?:h|:)\s*\d{2}(?!\d)\s*(?:am|pm)?|\d{1,2}\s*(?:h|:)(?!\s*\d)\s*(?:am|pm)?"
    r"|\d{1,2}\s*(?:am|pm)|\d{1,2}(?!\d))"
    r"|(?P<word>[a-z]+(?:-end)?)"
    r"|(?P<mark>[-,&/+:.])"
    r"|(?P<other>\S)"
)
_TIME_PARTS = re.compile(r"(\d{1,2})\s*(?:h|:)?\s*(\d{2})?\s*(am|pm)?")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("–", "-").replace("—", "-").replace("’", "'").replace("'", " ")
    for pattern, replacement in _PHRASES:
        plain = re.sub(pattern, replacement, plain)
    return plain


def _words(text: str) -> list[tuple[str, Any]]:
    """The segment as (kind, value) tokens: day codes, times, range and list marks."""
    tokens: list[tuple[str, Any]] = []
    for match in _TOKEN.finditer(_fold(text)):
        kind = match.lastgroup
        value = match.group().strip()
        if kind == "time":
            tokens.append(("time", value))
        elif value in ("midi", "noon"):
            tokens.append(("time", "12h"))
        elif value in ("minuit", "midnight"):
            tokens.append(("time", "24h"))
        elif value in DAY_OF_WORD:
            tokens.append(("day", DAY_OF_WORD[value]))
        elif value in _DAY_GROUPS:
            tokens.append(("days", _DAY_GROUPS[value]))
        elif value in _RANGE_WORDS:
            tokens.append(("range", value))
        elif value in _AND_WORDS:
            tokens.append(("and", value))
        elif value in _CLOSED:
            tokens.append(("closed", value))
        elif value in _FILLER:
            continue
        else:
            tokens.append(("unknown", value))
    return tokens


def _time(text: str, segment: str, *, closing: bool) -> datetime.time:
    match = _TIME_PARTS.fullmatch(text.replace(" ", ""))
    hour, minute, meridiem = (int(match[1]), int(match[2] or 0), match[3]) if match else (99, 99, None)
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if closing and (hour, minute) == (0, 0):
            hour = 24
    if closing and (hour, minute) == (24, 0):
        return END_OF_DAY
    if hour > 23 or minute > 59:
        raise ValidationError(_("Heure invalide : « %(time)s » dans « %(segment)s ». Écrivez-la ainsi : 9 h 30.")
                              % {"time": text, "segment": segment}, code="hours")
    return datetime.time(hour, minute)


def _day_range(first: str, last: str, segment: str) -> list[str]:
    start, end = WEEK.index(first), WEEK.index(last)
    if end < start:
        # "samedi au lundi" wraps over the week's end, as people mean it.
        return WEEK[start:] + WEEK[: end + 1]
    return WEEK[start : end + 1]


def _unreadable(segment: str) -> ValidationError:
    return ValidationError(
        _("Horaire illisible : « %(segment)s ». Écrivez les jours puis les heures, par exemple « %(example)s ».")
        % {"segment": segment, "example": HOURS_EXAMPLE}, code="hours")


def _read_segment(segment: str) -> list[OpeningHours]:
    """One part of the hours, between semicolons or lines: 'lun-ven 9h-12h, 13h-16h30'."""
    tokens = _words(segment)
    unknown = [value for kind, value in tokens if kind == "unknown"]
    if unknown:
        raise ValidationError(
            _("Mot non compris : « %(word)s » dans « %(segment)s ». Écrivez les jours puis les heures, par exemple "
              "« %(example)s ».") % {"word": unknown[0], "segment": segment, "example": HOURS_EXAMPLE},
            code="hours")
    rules: list[OpeningHours] = []
    days: list[str] = []
    intervals: list[tuple[datetime.time, datetime.time]] = []
    opening: str | None = None
    ranging = False
    closed = False
    previous = ""

    def flush() -> None:
        nonlocal days, intervals
        if intervals:
            if not days:
                raise _unreadable(segment)
            ordered = tuple(sorted(set(days), key=WEEK.index))
            rules.extend(OpeningHours(ordered, opens, closes) for opens, closes in intervals)
        days, intervals = [], []

    for kind, value in tokens:
        if kind in ("day", "days"):
            if intervals:
                flush()
            if kind == "day" and ranging and previous == "day" and days:
                days.extend(_day_range(days[-1], value, segment))
            else:
                days.extend([value] if kind == "day" else value)
            ranging = False
        elif kind == "time":
            if opening is None:
                opening = value
            else:
                opens_at = _time(opening, segment, closing=False)
                closes_at = _time(value, segment, closing=True)
                if closes_at <= opens_at:
                    raise ValidationError(
                        _("L'heure de fermeture doit suivre l'heure d'ouverture : « %(interval)s » dans "
                          "« %(segment)s ».") % {"interval": f"{opening} – {value}", "segment": segment},
                        code="hours")
                intervals.append((opens_at, closes_at))
                opening = None
            ranging = False
        elif kind == "range":
            ranging = True
        elif kind == "closed":
            closed = True
        previous = kind if kind != "range" else previous
    if opening is not None:
        raise ValidationError(_("Heure de fermeture manquante après « %(time)s » dans « %(segment)s ».")
                              % {"time": opening, "segment": segment}, code="hours")
    if days and not intervals:
        if closed:
            return rules  # "dimanche : fermé" says what is not open: nothing to store
        raise _unreadable(segment)
    flush()
    if not rules and not closed:
        raise _unreadable(segment)
    return rules


def parse_hours(text: str) -> list[OpeningHours]:
    """Hours as people write them -> one rule per opening; '' -> no hours. Raises ValidationError."""
    text = re.sub(r"\b([ap])\.\s?m\.", r"\1m", text, flags=re.IGNORECASE)
    if len(text) > MAX_HOURS_LENGTH:
        raise ValidationError(_("Au plus %(max)s caractères.") % {"max": MAX_HOURS_LENGTH}, code="hours")
    rules: list[OpeningHours] = []
    errors: list[ValidationError] = []
    for raw in re.split(r"[;\n]|\.\s+(?=\D)", text):
        segment = " ".join(raw.split()).strip(" .")
        if not segment:
            continue
        try:
            rules.extend(_read_segment(segment))
        except ValidationError as error:
            errors.append(error)
    if len(rules) > MAX_HOURS_RULES:
        errors.append(ValidationError(_("Au plus %(max)s plages horaires.") % {"max": MAX_HOURS_RULES}, code="hours"))
    if errors:
        raise ValidationError(errors)
    return rules


# ---- back into text, and into one row per day for the day-by-day widget ----------------------

FRENCH_CODES = {"MO": "LU", "TU": "MA", "WE": "ME", "TH": "JE", "FR": "VE", "SA": "SA", "SU": "DI"}


def hours_text(schedules: list[Any], *, french: bool = False) -> str:
    """Schedule rows back into the short text: 'MO-FR 09:00-12:00,13:00-16:30; SA 10:00-12:00'
    (HSDS day codes), or with ``french`` 'LU-VE 09:00-12:00,13:00-16:30; SA 10:00-12:00'."""
    by_days: dict[str, list[str]] = {}
    for s in sorted(schedules, key=lambda s: (s.opens_at or datetime.time(0))):
        if s.opens_at is None or s.closes_at is None:
            continue
        closes = "24:00" if s.closes_at >= END_OF_DAY else f"{s.closes_at:%H:%M}"
        by_days.setdefault(s.byday, []).append(f"{s.opens_at:%H:%M}-{closes}")
    text = "; ".join(f"{_day_ranges(byday)} {','.join(times)}" for byday, times in by_days.items())
    if french:
        text = re.sub(r"\b(MO|TU|WE|TH|FR|SU)\b", lambda m: FRENCH_CODES[m[1]], text)
    return text


def _day_ranges(byday: str) -> str:
    indexes = sorted(WEEK.index(d) for d in byday.split(",") if d in WEEK)
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ",".join(WEEK[r[0]] if len(r) == 1 else f"{WEEK[r[0]]}-{WEEK[r[-1]]}" for r in runs)


def hours_by_day(rules: list[OpeningHours]) -> dict[str, list[tuple[str, str]]]:
    """Each day of the week with its openings as HH:MM pairs, for the day-by-day widget."""
    week: dict[str, list[tuple[str, str]]] = {day: [] for day in WEEK}
    for rule in sorted(rules, key=lambda r: r.opens_at):
        closes = "24:00" if rule.closes_at >= END_OF_DAY else f"{rule.closes_at:%H:%M}"
        for day in rule.days:
            week[day].append((f"{rule.opens_at:%H:%M}", closes))
    return week


def preview_schedules(rules: list[OpeningHours]) -> list[Any]:
    """Rules as unsaved schedule rows, to be put in plain words like a service's stored hours."""
    from .models import Schedule

    return [Schedule(byday=r.byday, opens_at=r.opens_at, closes_at=r.closes_at) for r in rules]
