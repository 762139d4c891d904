"""Template filters available in every template (registered as builtins in settings)."""

from typing import Any

from django import template
from django.utils import dateformat

from toitcommun.dates import format_date

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}``: a dict value by a variable key."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``|date``, writing « 1er » for the first of the month in French (toitcommun/dates.py)."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, arg)
    except AttributeError:
        try:
            return dateformat.format(value, arg or "")
        except AttributeError:
            return ""
