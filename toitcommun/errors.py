"""The errors a service raises. Pages and the API translate them; neither invents its own."""

from __future__ import annotations

from typing import Any


def form_errors(form: Any) -> dict[str, list[str]]:
    """A bound, invalid form's reasons by field name, as a ValidationFailed carries them."""
    return {field: [str(e) for e in errs] for field, errs in form.errors.items()}


class ServiceError(Exception):
    """Base of every refusal a service can give."""


class ValidationFailed(ServiceError):
    """Bad input: ``errors`` maps each field name to its reasons, in the active language."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class Conflict(ValidationFailed):
    """Another write took the same unique place at the same moment (a unique constraint fired).

    Pages show it as the field's error, like any ValidationFailed; the API answers 409.
    ``current`` and ``current_version`` describe the record as stored now, when there is one.
    """

    def __init__(self, errors: dict[str, list[str]], current: dict[str, Any] | None = None,
                 current_version: int | None = None) -> None:
        super().__init__(errors)
        self.current = current
        self.current_version = current_version


class PermissionRefused(ServiceError):
    """The actor may not do this act."""


class NotFound(ServiceError):
    """The object does not exist, or the actor may not see it: the same answer for both."""


class VersionConflict(ServiceError):
    """Somebody saved the object since the actor read it; ``current`` is what is stored now."""

    def __init__(self, current: dict[str, Any], current_version: int) -> None:
        super().__init__("stale version")
        self.current = current
        self.current_version = current_version
