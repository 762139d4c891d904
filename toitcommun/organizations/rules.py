"""Who may do what to organizations."""

from __future__ import annotations

from typing import Any

from toitcommun.access import rules as r
from toitcommun.access.models import Role


def can_create_organization(user: Any, municipality: Any) -> bool:
    return r.is_administrator(user) or (municipality is not None and r.coordinates_territory(user, municipality))


def can_move_organization(user: Any, organization: Any, municipality: Any) -> bool:
    """May place the organization in this municipality (its new value): checked as well as the change itself.

    Administrators anywhere; a coordinator only inside their territory (not out of every territory);
    the organization's own staff wherever it moves.
    """
    return (
        r.is_administrator(user)
        or (municipality is not None and r.coordinates_territory(user, municipality))
        or r.is_staff_of(user, organization.pk, roles=(Role.ORGANIZATION_STAFF,))
    )


def can_change_organization(user: Any, organization: Any) -> bool:
    return (
        r.is_administrator(user)
        or r.coordinates_territory(user, organization.municipality)
        or r.is_staff_of(user, organization.pk, roles=(Role.ORGANIZATION_STAFF,))
    )


def can_see_people_of(user: Any, organization: Any) -> bool:
    """The people of an organization (names, roles, e-mails, phones): the network's signed-in staff only.

    The public, researchers and tenants' representatives reach the organization through its own
    phone, e-mail and website.
    """
    return r.can_see_personal_contacts(user) or can_change_organization(user, organization)
