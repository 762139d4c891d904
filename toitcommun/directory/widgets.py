"""Form widgets of the directory's staff pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from .hours import FRENCH_CODES, WEEK, hours_by_day, parse_hours


def hours_context(text: str) -> dict[str, Any]:
    """What the hours widget shows for a text: the openings read from it, day by day, or why it cannot be read."""
    from .hours import preview_schedules
    from .views import DAY_NAMES, hours_lines  # the same plain words as the service's public page

    try:
        rules = parse_hours(text or "")
    except ValidationError as error:
        return {"hours_errors": error.messages, "hours_lines": [], "hours_week": None}
    week = hours_by_day(rules)
    return {
        "hours_errors": [],
        "hours_lines": hours_lines(preview_schedules(rules)),
        "hours_week": [(day, DAY_NAMES[day], (week[day] + [("", ""), ("", "")])[:2]) for day in WEEK],
        "hours_unreadable_day": any(len(openings) > 2 for openings in week.values()),
    }


class HoursWidget(forms.TextInput):
    """The hours as typed, what the page understood of them (live), and a day-by-day grid that writes the text."""

    template_name = "directory/widgets/hours.html"

    def format_value(self, value: Any) -> str | None:
        # Stored hours read back with HSDS day codes (MO-FR); a French reader sees LU-VE.
        text = super().format_value(value)
        if text and (translation.get_language() or "fr").startswith("fr"):
            text = re.sub(r"\b(MO|TU|WE|TH|FR|SU)\b", lambda m: FRENCH_CODES[m[1]], text)
        return text

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context.update(hours_context(str(value or "")))
        context["preview_url"] = reverse("directory_staff:hours_preview")
        return context
