"""The personal calendar feed: issue its secret address, revoke it, and what it holds."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.access.services import audit_record
from toitcommun.errors import PermissionRefused

from .models import CalendarToken, Mandate, Meeting, MeetingState


def calendar_token_issue(*, actor: Any) -> str:
    """A new secret address for the actor's personal feed; the previous one stops working."""
    if not r.is_authenticated(actor):
        raise PermissionRefused(_("Connectez-vous pour obtenir votre calendrier personnel."))
    raw = CalendarToken.new_raw()
    with transaction.atomic():
        CalendarToken.objects.filter(user=actor).delete()
        token = CalendarToken.objects.create(user=actor, digest=CalendarToken.digest_of(raw))
        audit_record(actor=actor, action="calendar_token.issue", instance=token, object_label=actor.get_username())
    return raw


def calendar_token_revoke(*, actor: Any) -> bool:
    """Revoke the actor's personal feed address; True if there was one."""
    if not r.is_authenticated(actor):
        raise PermissionRefused(_("Connectez-vous pour révoquer votre calendrier personnel."))
    with transaction.atomic():
        count, _deleted = CalendarToken.objects.filter(user=actor).delete()
        if count:
            audit_record(actor=actor, action="calendar_token.revoke", object_type="collective.calendartoken",
                         object_label=actor.get_username())
    return bool(count)


def calendar_token_user(raw: str) -> Any | None:
    """The active user a raw feed token belongs to, or None (unknown, revoked, or account closed)."""
    if not raw or len(raw) > 100:
        return None
    token = CalendarToken.objects.select_related("user").filter(digest=CalendarToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 3600:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def personal_meetings(user: Any, *, on: datetime.date | None = None) -> QuerySet[Meeting]:
    """The meetings of the groups where the person holds an active mandate today: convened, held or
    cancelled (a meeting in preparation is not announced yet)."""
    day = on or timezone.localdate()
    groups = Mandate.objects.filter(user=user, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)).values("group_id")
    return (Meeting.objects.filter(group_id__in=groups)
            .filter(state__in=[MeetingState.CONVENED, MeetingState.HELD, MeetingState.CANCELLED])
            .select_related("group").order_by("-starts_at", "-id"))
