"""Reads on the audit log."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused

from . import rules
from .models import AuditEvent


def audit_events_visible_to(
    user: Any, *, actor: str = "", action: str = "", object_type: str = "", object_id: str = "",
    since: datetime.date | None = None, until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log, filtered; only administrators may browse it."""
    if not rules.can_browse_audit(user):
        raise PermissionRefused(_("Seule l'administration peut consulter le journal d'audit."))
    qs = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())
