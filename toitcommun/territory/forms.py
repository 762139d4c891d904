"""Choosing territories by name in a form: one combobox widget and the fields that read it.

Without JavaScript the widget is a plain text box where a person types a name or a code; with
it, static/js/combobox.js turns it into an ARIA combobox that suggests territories as one types
(and, for several territories, shows them as removable chips). Either way the server reads what
was sent and resolves it here, so a page without script and the API are checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound

from .models import Level, Municipality
from .selectors import (
    TerritoryNotChosen,
    TerritoryRef,
    looks_like_code,
    search_key,
    territory_get,
    territory_resolve,
)
from .text import fold

_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class TerritoryInput:
    """What a single combobox sent: the text in the box and the code chosen from the list, if any."""

    text: str
    code: str = ""


def resolve_input(value: TerritoryInput, *, levels: list[str] | None) -> TerritoryRef | None:
    """The territory a combobox names: its chosen code while the text still reads that territory's
    name, or else whatever the text names. Empty text chooses nothing."""
    text = value.text.strip()
    if not text:
        return None
    if value.code:
        try:
            chosen: TerritoryRef | None = territory_get(value.code)
        except NotFound:  # an unknown code reads as if none had been chosen
            chosen = None
        if chosen is not None and (not levels or chosen.level in levels) and (
                search_key(chosen.name) == search_key(text) or text.upper() == chosen.code):
            return chosen
    return territory_resolve(text, levels=levels)


def _items(item: str) -> list[str]:
    """One item, or its words when it holds codes: the API sends its codes separated by spaces."""
    words = item.split(" ")
    if len(words) > 1 and any(looks_like_code(w) for w in words):
        return words
    return [item]


def parse_territories(text: str, *, levels: list[str] | None = None) -> list[TerritoryRef]:
    """'Thetford Mines, Chaudière-Appalaches (12), 310' -> the three territories, in that order.

    Items are separated by commas, semicolons or new lines; an item may be a name, "Name (code)",
    or codes separated by spaces (as the API sends them). Each item that names no territory, or
    several, is named in the error.
    """
    refs: list[TerritoryRef] = []
    errors: list[ValidationError] = []
    for raw in _SEPARATORS.split(text or ""):
        item = " ".join(raw.split())
        if not item:
            continue
        for one in _items(item):
            try:
                ref = territory_resolve(one, levels=levels)
            except TerritoryNotChosen as missing:
                errors.append(ValidationError(str(missing), code="territory"))
                continue
            if ref.code not in [r.code for r in refs]:
                refs.append(ref)
    if errors:
        raise ValidationError(errors)
    return refs


class TerritoryCombobox(forms.TextInput):
    """A text box that suggests territories by name (see static/js/combobox.js)."""

    template_name = "territory/widgets/combobox.html"

    def __init__(self, *, levels: list[str] | None = None, multiple: bool = False,
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 5000 if multiple else 200,
                                **(attrs or {})})
        self.levels = levels or []
        self.multiple = multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            if isinstance(values, list | tuple):
                return ", ".join(str(v) for v in values if str(v).strip())
            return values
        if f"{name}_code" in data:
            return TerritoryInput(text=str(data.get(name) or ""), code=str(data.get(f"{name}_code") or ""))
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_code" not in data

    def _chips(self, value: Any) -> tuple[list[dict[str, str]], str]:
        """Resolved territories as chips, and the text that resolves to none (kept for correction)."""
        chips: list[dict[str, str]] = []
        leftover: list[str] = []
        for raw in _SEPARATORS.split(str(value or "")):
            item = " ".join(raw.split())
            if not item:
                continue
            for one in _items(item):
                try:
                    ref = territory_resolve(one, levels=self.levels or None)
                except TerritoryNotChosen:
                    leftover.append(one)
                    continue
                if ref.code not in [c["code"] for c in chips]:
                    chips.append({"code": ref.code, "label": ref.name, "level": ref.level_label})
        return chips, ", ".join(leftover)

    def _single(self, value: Any) -> tuple[str, str]:
        """(text shown, code chosen) for what the field holds: a model, a primary key, a code or input."""
        if value in (None, ""):
            return "", ""
        if isinstance(value, TerritoryInput):
            return value.text, value.code
        if isinstance(value, TerritoryRef):
            return value.name, value.code
        if isinstance(value, Municipality):
            return value.name, value.code
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and not looks_like_code(value)):
            found = Municipality.objects.filter(pk=int(value)).values_list("name", "code").first()
            return found if found else ("", "")
        text = str(value)
        try:
            ref = territory_resolve(text, levels=self.levels or None)
        except TerritoryNotChosen:
            return text, ""
        return ref.name, ref.code

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        widget = context["widget"]
        widget["source"] = reverse("territory:suggest")
        widget["levels"] = ",".join(self.levels)
        widget["multiple"] = self.multiple
        if self.multiple:
            chips, leftover = self._chips(value)
            widget["chips"] = chips
            # Without script the box holds every territory, each with its code so it reads back exactly.
            widget["value"] = ", ".join([*(f"{c['label']} ({c['code']})" for c in chips), *([leftover] if leftover else [])])
            widget["leftover"] = leftover
        else:
            text, code = self._single(value)
            widget["value"], widget["code"] = text, code
        return context


class TerritoryField(forms.Field):
    """One territory of the given levels, chosen by name or code; cleaned to a TerritoryRef."""

    def __init__(self, *, levels: list[str] | None = None, **kwargs: Any) -> None:
        self.levels = levels
        kwargs.setdefault("widget", TerritoryCombobox(levels=levels))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> TerritoryRef | None:
        if isinstance(value, TerritoryRef):
            return value
        if not isinstance(value, TerritoryInput):
            value = TerritoryInput(text=str(value or ""))
        try:
            return resolve_input(value, levels=self.levels)
        except TerritoryNotChosen as missing:
            raise ValidationError(str(missing), code="territory") from missing


class MunicipalityField(forms.ModelChoiceField):
    """A municipality chosen by name (or code) in a combobox; the API may still send its key."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Municipality.objects.select_related("mrc__region"))
        kwargs.setdefault("widget", TerritoryCombobox(levels=[Level.MUNICIPALITY]))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Municipality | None:
        if isinstance(value, Municipality):
            return value
        if isinstance(value, TerritoryInput):
            try:
                ref = resolve_input(value, levels=[Level.MUNICIPALITY])
            except TerritoryNotChosen as missing:
                raise ValidationError(str(missing), code="territory") from missing
            return None if ref is None else Municipality.objects.select_related("mrc__region").get(code=ref.code)
        if isinstance(value, str) and looks_like_code(value) and len(value.strip()) == 5:
            found = Municipality.objects.select_related("mrc__region").filter(code=value.strip()).first()
            if found is None:
                raise ValidationError(_("Municipalité inconnue : %(code)s.") % {"code": value.strip()},
                                      code="territory")
            return found
        return super().to_python(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, TerritoryInput):
            return fold(data.text) != fold(self.widget._single(initial)[0])  # type: ignore[attr-defined]
        return super().has_changed(initial, data)
