"""Acts on access: the audit trail, API tokens, role assignments."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.auth import authenticate
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused, ValidationFailed

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


def api_token_issue(*, username: str, password: str, request: HttpRequest | None = None) -> str:
    """Exchange a username and password for a new API token; the raw token is shown once.

    Pass the HTTP request: repeated failures then lock the account as the login page does.
    """
    if request is None:
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request=request, username=username, password=password)
    if user is None or not user.is_active:
        raise PermissionRefused(_("Nom d'utilisateur ou mot de passe invalide."))
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw))
        audit_record(actor=user, action="api_token.issue", instance=token, object_label=str(user))
    return raw


def api_token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
