"""Action plans of a local table or a group: objectives tied to the agreement, actions, progress.

Whether an action is late is derived from its due date and status, never stored.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActionPlan(models.Model):
    group = models.ForeignKey("collective.Group", on_delete=models.PROTECT, related_name="action_plans",
                              verbose_name=_("groupe"))
    title = models.CharField(_("titre"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("donnée illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:action_plan", args=[self.pk])


class PlanObjective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("objectif"), max_length=300)
    agreement_objectives = models.ManyToManyField("collective.AgreementObjective", blank=True,
                                                  related_name="plan_objectives",
                                                  verbose_name=_("objectifs de l'Entente"))

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_objective_number_once")]
        verbose_name = _("objectif du plan")
        verbose_name_plural = _("objectifs du plan")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    DROPPED = "dropped", _("Abandonnée")


OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class PlanAction(models.Model):
    objective = models.ForeignKey(PlanObjective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    responsible = models.ManyToManyField("organizations.Organization", blank=True, related_name="plan_actions",
                                         verbose_name=_("organisations responsables"))
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["objective", "due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION

    def is_late(self, on: datetime.date) -> bool:
        return self.status in OPEN_ACTION and self.due_on is not None and self.due_on < on


class ProgressNote(models.Model):
    """What was done on an action, dated: the plan's follow-up."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")

    class Meta:
        ordering = ["action", "written_on", "id"]
        verbose_name = _("note de suivi")
        verbose_name_plural = _("notes de suivi")

    def __str__(self) -> str:
        return f"{self.action} · {self.written_on}"
