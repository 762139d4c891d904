"""Template filters available in every template (registered as builtins in settings)."""

from typing import Any

from django import template

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
