"""Who may act, within which scope, and the append-only record of every write."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrateur")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Coordination régionale")
    ORGANIZATION_STAFF = "organization_staff", _("Personnel d'organisation")
    WORKER = "worker", _("Intervenant·e")
    RESEARCHER = "researcher", _("Chercheur·e")
    TENANT_REPRESENTATIVE = "tenant_representative", _("Représentant·e des locataires")
    PRIVACY_OFFICER = "privacy_officer", _("Responsable de la protection des renseignements personnels")


class RoleAssignment(models.Model):
    """A role held by a user within a scope: an organization, a territory or a group."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rôle"), max_length=40, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, null=True, blank=True,
        related_name="role_assignments", verbose_name=_("organisation"),
    )
    # A region (2 digits), MRC (3 digits or TE..) or municipality (5 digits) code.
    territory_code = models.CharField(_("territoire"), max_length=8, blank=True)
    # A group of collective life (association, committee, table); its members' own roles come from mandates.
    group = models.ForeignKey(
        "collective.Group", on_delete=models.CASCADE, null=True, blank=True,
        related_name="role_assignments", verbose_name=_("groupe"),
    )

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôle")

    def __str__(self) -> str:
        scope = self.organization or self.territory_code or self.group or "—"
        return f"{self.user} · {self.get_role_display()} · {scope}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("bulk_update")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        objs = list(objs)
        if any(not obj.hash for obj in objs):
            raise AuditLogIsAppendOnly("insert of an unsealed event (use access.services.audit_record)")
        return super().bulk_create(objs, *args, **kwargs)


class AuditLogIsAppendOnly(Exception):
    def __init__(self, operation: str) -> None:
        super().__init__(f"The audit log is append-only: {operation} is refused.")


class AuditEvent(models.Model):
    """One write: who did what to which record, with the record before and after.

    Each event is sealed into a hash chain (see chain.py): ``hash`` covers its
    content and ``previous_hash``, the hash of the event before it.
    """

    at = models.DateTimeField(_("moment"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (nom)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=80, db_index=True)
    object_id = models.CharField(_("identifiant"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("objet"), max_length=300, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    previous_hash = models.CharField(_("empreinte précédente"), max_length=64, default="", editable=False)
    hash = models.CharField(_("empreinte"), max_length=64, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            # Two events never follow the same one: the chain cannot fork.
            models.UniqueConstraint(fields=["previous_hash"], name="access_auditevent_one_successor"),
        ]
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("save of an existing row")
        if not self.hash:
            raise AuditLogIsAppendOnly("insert of an unsealed event (use access.services.audit_record)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("delete")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the raw token is shown once.

    It acts for its user until it expires, is revoked, or the user's password changes
    (``auth_hash`` is the user's session hash when it was issued, as Django keeps for sessions).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=100, default="")
    auth_hash = models.CharField(max_length=128, default="")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)
