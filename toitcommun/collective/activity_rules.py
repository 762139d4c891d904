"""Who may do what to activities and collective projects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toitcommun.access import rules as r
from toitcommun.access.models import Role

# The roles that organize activities for their organization: its staff, its workers, and
# tenants' representatives for their association.
ORGANIZING_ROLES = (Role.ORGANIZATION_STAFF, Role.WORKER, Role.TENANT_REPRESENTATIVE)


def organizing_organizations_of(user: Any) -> set[int]:
    return r.organizations_of(user, roles=ORGANIZING_ROLES)


def can_create_activities(user: Any) -> bool:
    """Anybody who may organize for some organization or some territory."""
    return r.is_administrator(user) or r.has_role(user, (Role.REGIONAL_COORDINATOR, *ORGANIZING_ROLES))


def can_organize(user: Any, organization_ids: Iterable[int], municipality: Any) -> bool:
    """Administrators, the coordinator of the place, or someone of one of the organizers."""
    return (
        r.is_administrator(user)
        or r.coordinates_territory(user, municipality)
        or bool(organizing_organizations_of(user) & set(organization_ids))
    )


def can_manage_activity(user: Any, activity: Any) -> bool:
    if not r.is_authenticated(user):
        return False
    if activity.created_by_id is not None and activity.created_by_id == user.pk:
        return True
    return can_organize(user, [o.pk for o in activity.organizers.all()], activity.municipality)


def can_see_activity(user: Any, activity: Any) -> bool:
    return activity.is_listed or can_manage_activity(user, activity)


def can_manage_project(user: Any, project: Any) -> bool:
    partners = [project.lead_id, *(p.organization_id for p in project.partners.all())]
    return r.is_authenticated(user) and can_organize(user, partners, project.municipality)
