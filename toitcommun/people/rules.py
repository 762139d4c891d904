"""Who may work with tenants' records, and for which organization.

Only the staff, workers and administrators of an organization act on personal
records, and always for that organization: what they see is what their
organization holds (its own files and what it wrote) and what an active consent
shares with it. A regional coordinator, a researcher, a tenants' representative or
an administrator without an organization holds nothing and sees nothing personal.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.access.models import Role
from toitcommun.errors import PermissionRefused, ValidationFailed

SUPPORT_ROLES = (Role.WORKER, Role.ORGANIZATION_STAFF, Role.ADMINISTRATOR)


def support_organizations(user: Any) -> frozenset[int]:
    """The organizations for which the user works with tenants' records (none for most roles)."""
    return frozenset(r.organizations_of(user, roles=SUPPORT_ROLES))


def works_with_tenants(user: Any) -> bool:
    return bool(support_organizations(user))


def acting_organization(user: Any, organization_id: int | None = None) -> int:
    """The organization an act is done for: the one named, or the user's only one.

    Refused when the user works for none; a ValidationFailed when they work for several
    and named none, or named one they do not work for.
    """
    orgs = support_organizations(user)
    if not orgs:
        raise PermissionRefused(_("Seul le personnel d'une organisation peut consigner le suivi des locataires."))
    if organization_id is None:
        if len(orgs) == 1:
            return next(iter(orgs))
        raise ValidationFailed({"organization_id": [_("Indiquez pour quelle organisation vous agissez.")]})
    if organization_id not in orgs:
        raise ValidationFailed({"organization_id": [_("Vous n'agissez pas pour cette organisation.")]})
    return organization_id
