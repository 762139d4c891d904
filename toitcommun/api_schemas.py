"""Answer shapes shared by several routers, declared on the routes that can give them."""

from __future__ import annotations

from ninja import Schema


class FieldError(Schema):
    field: str | None
    message: str


class ConflictOut(Schema):
    """409: another request took the same unique place at the same moment (same name, same report)."""

    detail: str
    errors: list[FieldError]
