"""Optimistic concurrency: every editable record carries a version.

A save names the version it was read at; if somebody saved since, the save is
refused with VersionConflict and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .access.services import snapshot
from .errors import ValidationFailed, VersionConflict

M = TypeVar("M", bound=models.Model)


def expected_version(version: Any) -> int:
    """The version the person read, or a ValidationFailed naming the missing field."""
    try:
        return int(version)
    except (TypeError, ValueError):
        raise ValidationFailed({"version": [_("La version est requise pour enregistrer une modification.")]}) from None


def bound_for_update(form_class: type[forms.ModelForm], instance: models.Model, data: Any) -> forms.ModelForm:
    """The form filled with the stored values, overlaid by what was sent (a partial update keeps the rest)."""
    # A QueryDict unpacks to lists: take its plain values.
    sent = data.dict() if hasattr(data, "dict") else dict(data)
    return form_class({**form_class(instance=instance).initial, **sent},
                      instance=type(instance)._default_manager.get(pk=instance.pk))


def save_if_current(model: type[M], pk: int, version: int, values: dict[str, Any], reload: Callable[[int], M]) -> M:
    """Write ``values`` only if the stored version is still ``version``; bump it. Call inside a transaction."""
    changed = model._default_manager.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        current = reload(pk)
        raise VersionConflict(snapshot(current) or {}, current.version)  # type: ignore[attr-defined]
    return reload(pk)
