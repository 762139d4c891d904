"""Acts on access: the audit trail, API tokens, login locks, role assignments."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed

from . import chain, rules
from .models import ApiToken, AuditEvent, Role, RoleAssignment


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return _jsonable(value.pk)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The record's fields as JSON-ready values, for the audit's before and after."""
    if instance is None:
        return None
    data = model_to_dict(instance)
    data.pop("search_text", None)
    return {k: _jsonable(v) for k, v in data.items()}


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event, sealed at the end of the chain.

    Services call it inside their own transaction, after their other writes: on
    PostgreSQL the chain stays locked until that transaction ends.
    """
    event = _build_event(
        actor=actor, action=action, instance=instance, object_type=object_type,
        object_id=object_id, object_label=object_label, before=before, after=after,
    )
    chain.append([event])
    return event


def _build_event(
    *, actor: Any, action: str, instance: models.Model | None, object_type: str,
    object_id: str, object_label: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_label = object_label or str(instance)[:300]
    authenticated = rules.is_authenticated(actor)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:300],
        before=before,
        after=after,
    )


def audit_record_many(*, actor: Any, events: list[dict[str, Any]]) -> None:
    """Write many audit events at once (imports), sealed in order; each dict holds audit_record's arguments."""
    chain.append([
        _build_event(
            actor=actor, action=e["action"], instance=e.get("instance"),
            object_type=e.get("object_type", ""), object_id=e.get("object_id", ""),
            object_label=e.get("object_label", ""), before=e.get("before"), after=e.get("after"),
        )
        for e in events
    ])


def _token_name(name: str, request: HttpRequest | None) -> str:
    """The name given, else the client's program as its user agent names it ("curl/8.5.0")."""
    name = " ".join(name.split())
    if not name and request is not None:
        name = request.META.get("HTTP_USER_AGENT", "").split(" ")[0]
    return (name or _("jeton API"))[:100]


def api_token_issue(*, username: str, password: str, name: str = "", request: HttpRequest | None = None) -> str:
    """Exchange a username and password for a new API token; the raw token is shown once.

    Pass the HTTP request: repeated failures then lock the username from this address as the
    login page does. The user's expired tokens are cleared at the same time.
    """
    if request is None:
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request=request, username=username, password=password)
    if user is None or not user.is_active:
        raise PermissionRefused(_("Nom d'utilisateur ou mot de passe invalide."))
    raw = ApiToken.new_raw()
    now = timezone.now()
    with transaction.atomic():
        current = user.get_session_auth_hash()
        ApiToken.objects.filter(user=user).filter(Q(expires_at__lte=now) | ~Q(auth_hash=current)).delete()
        token = ApiToken.objects.create(
            user=user, digest=ApiToken.digest_of(raw), name=_token_name(name, request), auth_hash=current,
            expires_at=now + datetime.timedelta(days=settings.API_TOKEN_DAYS),
        )
        audit_record(actor=user, action="api_token.issue", instance=token, object_label=token.name,
                     after={"name": token.name, "expires_at": token.expires_at.isoformat()})
    return raw


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token a raw bearer token stands for, with its user; None when it is unknown,
    expired, its user deactivated, or their password changed since it was issued.

    Its last use is written at most once a minute, not on every request.
    """
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    now = timezone.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if not constant_time_compare(token.auth_hash, token.user.get_session_auth_hash()):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None."""
    token = api_token_authenticate(raw)
    return token.user if token is not None else None


def api_token_revoke(*, actor: Any, token_id: int) -> None:
    """The owner revokes one of their tokens: it stops working at once."""
    if not rules.is_authenticated(actor):
        raise PermissionRefused(_("Connectez-vous pour révoquer un jeton."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound(_("Ce jeton n'existe pas ou a déjà été révoqué."))
        before = {"name": token.name, "expires_at": token.expires_at.isoformat()}
        token.delete()
        audit_record(actor=actor, action="api_token.revoke", object_type="access.apitoken",
                     object_id=str(token_id), object_label=before["name"], before=before)


def api_tokens_revoke_all(*, actor: Any, user: Any, reason: str) -> int:
    """Revoke every token of a user at once (password changed or reset, account deactivated).

    ``reason`` is recorded in the audit event: ``password_change``, ``password_reset``,
    ``deactivation``. The actor is the user themself, or the administrator acting on them.
    """
    if not (rules.is_authenticated(actor) and (actor.pk == user.pk or rules.is_administrator(actor))):
        raise PermissionRefused(_("Seule l'administration peut révoquer les jetons d'une autre personne."))
    with transaction.atomic():
        count, _deleted = ApiToken.objects.filter(user=user).delete()
        if count:
            audit_record(actor=actor, action="api_token.revoke_all",
                         object_type="auth.user", object_id=str(user.pk), object_label=user.get_username(),
                         after={"reason": reason, "revoked": count})
    return count


def password_set(*, actor: Any, user: Any, new_password: str, reason: str) -> None:
    """A new password for a user (changed by them, or reset through the e-mailed link).

    Every API token of the user is revoked with it. ``reason`` is ``password_change`` or
    ``password_reset``; the form that asked for the password has already validated it.
    """
    if not (rules.is_authenticated(actor) and (actor.pk == user.pk or rules.is_administrator(actor))):
        raise PermissionRefused(_("Seule l'administration peut changer le mot de passe d'une autre personne."))
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # Tokens first, then the audit chain: the order every token revocation takes its locks in,
        # so that two acts on the same user's tokens cannot wait on each other (PostgreSQL).
        api_tokens_revoke_all(actor=actor, user=user, reason=reason)
        audit_record(actor=actor, action="user.password_set", object_type="auth.user", object_id=str(user.pk),
                     object_label=user.get_username(), after={"reason": reason})


def login_failure_record(*, request: HttpRequest, username: str | None) -> None:
    """Count a refused login attempt that never reached a password check (an unreadable request).

    It counts as any failure does: toward the lock on this username from this address and
    toward this address's slowdown.
    """
    # Credentials already came from the body, read by the caller; django-axes must not read
    # the body again (a multipart body without a boundary would raise there).
    request.POST = QueryDict()  # type: ignore[assignment]
    AxesProxyHandler.user_login_failed(sender=__name__, credentials={"username": username}, request=request)


def login_lock_release(*, actor: Any, username: str, ip_address: str) -> int:
    """An administrator lifts the lock on one username from one address before it ends."""
    if not rules.is_administrator(actor):
        raise PermissionRefused(_("Seule l'administration peut lever un verrouillage de connexion."))
    with transaction.atomic():
        count, _deleted = AccessAttempt.objects.filter(username=username or None, ip_address=ip_address).delete()
        if count:
            audit_record(actor=actor, action="login_lock.release", object_type="axes.accessattempt",
                         object_label=username, before={"username": username, "ip_address": ip_address})
    return count


def role_assign(
    *, actor: Any, user: Any, role: str, organization: Any = None, territory_code: str = "",
) -> RoleAssignment:
    """Give a user a role within a scope. Only administrators may."""
    if not rules.is_administrator(actor):
        raise PermissionRefused(_("Seule l'administration peut attribuer des rôles."))
    if role not in Role.values:
        raise ValidationFailed({"role": [_("Rôle inconnu : %(role)s.") % {"role": role}]})
    if role in (Role.ORGANIZATION_STAFF, Role.WORKER, Role.TENANT_REPRESENTATIVE) and organization is None:
        raise ValidationFailed({"organization": [_("Ce rôle s'exerce dans une organisation.")]})
    if role == Role.REGIONAL_COORDINATOR and not territory_code:
        raise ValidationFailed({"territory_code": [_("Ce rôle s'exerce sur un territoire.")]})
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user, role=role, organization=organization, territory_code=territory_code
        )
        audit_record(actor=actor, action="role.assign", instance=assignment, after=snapshot(assignment))
    rules.forget_assignments(user)
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role back. Only administrators may."""
    if not rules.is_administrator(actor):
        raise PermissionRefused(_("Seule l'administration peut retirer des rôles."))
    with transaction.atomic():
        before = snapshot(assignment)
        pk = assignment.pk
        assignment.delete()
        audit_record(actor=actor, action="role.revoke", object_type="access.roleassignment", object_id=str(pk),
                     object_label=str(assignment), before=before)
    rules.forget_assignments(assignment.user)
