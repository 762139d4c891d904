"""Reads on organizations. Organizations' records are public information."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from toitcommun.territory.selectors import TerritoryRef
from toitcommun.territory.text import fold

from . import rules
from .models import Membership, Organization


def organizations_list(*, territory: TerritoryRef | None = None, kind: str = "", q: str = "") -> QuerySet[Organization]:
    qs = Organization.objects.select_related("municipality").annotate(
        buildings_count=Count("buildings", distinct=True)
    )
    if territory is not None:
        qs = qs.filter(territory.municipality_filter())
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name_key__contains=fold(q)) | Q(name__icontains=q))
    return qs.order_by("name")


def memberships_visible_to(user: Any, organization: Organization) -> QuerySet[Membership]:
    """The people now in the organization, for those who may see them; nobody for the others."""
    if not rules.can_see_people_of(user, organization):
        return Membership.objects.none()
    return organization.memberships.filter(end_date__isnull=True)
