"""Reads on organizations. Organizations' records are public information."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from toitcommun.territory.selectors import TerritoryRef
from toitcommun.territory.text import fold

from .models import Organization


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
