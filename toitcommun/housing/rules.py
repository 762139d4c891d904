"""Who may do what to the housing stock."""

from __future__ import annotations

from typing import Any

from toitcommun.access import rules as r
from toitcommun.access.models import Role


def can_manage_stock_of(user: Any, organization_id: int | None, municipality: Any) -> bool:
    """Administrators, the regional coordinator of the territory, the owner's staff."""
    return (
        r.is_administrator(user)
        or r.coordinates_territory(user, municipality)
        or r.is_staff_of(user, organization_id)
    )


def can_change_building(user: Any, building: Any) -> bool:
    return can_manage_stock_of(user, building.organization_id, building.municipality)


def can_report_availability(user: Any, building: Any) -> bool:
    """Also the owner's workers: the rental technician reports vacancies."""
    return can_change_building(user, building) or r.is_staff_of(
        user, building.organization_id, roles=(Role.WORKER,)
    )


def can_import_housing(user: Any) -> bool:
    return r.is_administrator(user) or r.has_role(user, [Role.REGIONAL_COORDINATOR, Role.ORGANIZATION_STAFF])


def can_see_reporters(user: Any) -> bool:
    """Who reported a vacancy is a person's name: shown to the network's staff only, never to the public."""
    return r.can_see_personal_contacts(user)
