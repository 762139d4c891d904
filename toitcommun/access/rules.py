"""Small named predicates about who a user is. Each domain's rules.py composes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .models import Role, RoleAssignment

if TYPE_CHECKING:
    from toitcommun.territory.models import Municipality


def assignments(user: Any) -> list[RoleAssignment]:
    """The user's role assignments, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_toit_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("organization"))
        user._toit_assignments = cached
    return cached


def forget_assignments(user: Any) -> None:
    if hasattr(user, "_toit_assignments"):
        del user._toit_assignments


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_administrator(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser) or any(a.role == Role.ADMINISTRATOR for a in assignments(user))


def has_role(user: Any, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(a.role in wanted for a in assignments(user))


def territory_covers(scope_code: str, municipality: Municipality | None) -> bool:
    """True when a territory scope (region, MRC or municipality code) contains the municipality."""
    if not scope_code or municipality is None:
        return False
    mrc = municipality.mrc
    return scope_code in {municipality.code, mrc.code, mrc.region.code}


def coordinates_territory(user: Any, municipality: Municipality | None) -> bool:
    """A regional coordinator whose territory contains this municipality."""
    return any(
        a.role == Role.REGIONAL_COORDINATOR and territory_covers(a.territory_code, municipality)
        for a in assignments(user)
    )


def is_staff_of(user: Any, organization_id: int | None, roles: Iterable[str] = (Role.ORGANIZATION_STAFF,)) -> bool:
    if organization_id is None:
        return False
    wanted = set(roles)
    return any(a.role in wanted and a.organization_id == organization_id for a in assignments(user))


def organizations_of(user: Any, roles: Iterable[str] = (Role.ORGANIZATION_STAFF,)) -> set[int]:
    wanted = set(roles)
    return {a.organization_id for a in assignments(user) if a.role in wanted and a.organization_id}


# The roles that work with partners' staff: they may see a person's name, e-mail and phone in an
# organization, who reported a vacancy, a service's contact persons. Researchers (de-identified
# figures only), tenants' representatives, accounts without a role and the public see the
# organizations' own contact points instead.
STAFF_ROLES = (Role.ADMINISTRATOR, Role.REGIONAL_COORDINATOR, Role.ORGANIZATION_STAFF, Role.WORKER)


def can_see_personal_contacts(user: Any) -> bool:
    """Signed-in staff of the network: administrators, coordinators, organizations' staff and workers."""
    return is_administrator(user) or has_role(user, STAFF_ROLES)


def can_browse_audit(user: Any) -> bool:
    return is_administrator(user)
