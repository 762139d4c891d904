"""Reads on the audit log, login locks and API tokens."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from toitcommun.dates import format_date
from toitcommun.errors import PermissionRefused

from . import rules
from .models import ApiToken, AuditEvent


def audit_events_visible_to(
    user: Any, *, actor: str = "", action: str = "", object_type: str = "", object_id: str = "",
    since: datetime.date | None = None, until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log, filtered; only administrators may browse it."""
    if not rules.can_browse_audit(user):
        raise PermissionRefused(_("Seule l'administration peut consulter le journal d'audit."))
    qs = AuditEvent.objects.all()
    if actor:
        # The page names people: a filter on "Tremblay" finds what Marie Tremblay did.
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__first_name__icontains=actor)
                       | Q(actor__last_name__icontains=actor))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def audit_filter_values(user: Any) -> tuple[list[str], list[str]]:
    """The actions and object types the log holds, to filter on; only administrators may browse it."""
    if not rules.can_browse_audit(user):
        raise PermissionRefused(_("Seule l'administration peut consulter le journal d'audit."))
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    object_types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    return list(actions), list(object_types)


# ---- login lockout and slowdown -----------------------------------------------------------


@dataclass(frozen=True)
class LoginLock:
    """One username refused from one address until a moment, after too many failures."""

    username: str
    ip_address: str
    failures: int
    until: datetime.datetime


def client_ip(request: HttpRequest) -> str:
    """The address a request comes from.

    Behind TRUSTED_PROXY_COUNT reverse proxies, the address the nearest of them saw, read from
    X-Forwarded-For; a client cannot forge it, since each proxy appends what it saw.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "")


def _cool_off() -> datetime.timedelta:
    return datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def _recent_attempts(**filters: Any) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _cool_off(), **filters)


def login_lock_of(*, username: str | None, ip_address: str) -> LoginLock | None:
    """The lock on this username from this address, if there is one now."""
    totals = _recent_attempts(username=username, ip_address=ip_address).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = totals["failures"] or 0
    if failures < settings.AXES_FAILURE_LIMIT or totals["last"] is None:
        return None
    return LoginLock(username=username or "", ip_address=ip_address, failures=failures,
                     until=totals["last"] + _cool_off())


def login_slowdown_of(*, ip_address: str) -> int:
    """Seconds this address must still wait before its next login attempt (0: none).

    Past LOGIN_IP_SLOWDOWN_AFTER recent failures from one address, whatever the usernames,
    each attempt must wait a delay after the previous failure: 1 s, then doubling with each
    failure, at most LOGIN_IP_SLOWDOWN_MAX_SECONDS. Nobody is locked out; guessing becomes slow.
    """
    totals = _recent_attempts(ip_address=ip_address).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = totals["failures"] or 0
    excess = failures - settings.LOGIN_IP_SLOWDOWN_AFTER
    if excess < 0 or totals["last"] is None:
        return 0
    delay = min(2 ** min(excess, 30), settings.LOGIN_IP_SLOWDOWN_MAX_SECONDS)
    remaining = (totals["last"] + datetime.timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def login_locks_visible_to(user: Any) -> list[LoginLock]:
    """Every lock in force now, latest first; only administrators may see them."""
    if not rules.is_administrator(user):
        raise PermissionRefused(_("Seule l'administration peut consulter les verrouillages de connexion."))
    rows = (
        _recent_attempts().order_by().values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("-last")
    )
    return [LoginLock(username=row["username"] or "", ip_address=row["ip_address"] or "",
                      failures=row["failures"], until=row["last"] + _cool_off()) for row in rows]


def lock_message(lock: LoginLock) -> str:
    """What is locked and until when, in the reader's language and the region's local time."""
    until = timezone.localtime(lock.until)
    return _(
        "Trop d'échecs de connexion : ce nom d'utilisateur est verrouillé pour les connexions "
        "depuis l'adresse %(ip_address)s jusqu'au %(date)s à %(time)s. Les autres comptes, et ce "
        "compte depuis une autre adresse, ne sont pas touchés."
    ) % {"ip_address": lock.ip_address, "date": format_date(until),
         "time": formats.time_format(until, "TIME_FORMAT")}


# ---- API tokens ---------------------------------------------------------------------------


def api_tokens_of(user: Any) -> list[ApiToken]:
    """The user's tokens that still work: not expired, issued under their current password."""
    if not rules.is_authenticated(user):
        return []
    current = user.get_session_auth_hash()
    tokens = ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at", "-id")
    return [token for token in tokens if token.auth_hash == current]


def api_token_of_raw(raw: str) -> ApiToken | None:
    """The token a raw token stands for, as stored (a read: its last use is left alone)."""
    return ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).first()
