"""Acts on action plans: follow an action (its state and a dated progress note)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toitcommun.access import rules as r
from toitcommun.access.services import audit_record
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, form_errors

from . import activity_rules
from .models import ActionStatus, PlanAction, ProgressNote
from .project_selectors import can_read_plans


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("État"), choices=ActionStatus.choices)
    text = forms.CharField(label=gettext_lazy("Note de suivi"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def can_follow_action(user: Any, action: PlanAction) -> bool:
    """Administrators, the coordinator of the group's region, and the responsible organizations' people."""
    group = action.objective.plan.group
    if r.is_administrator(user) or any(a.role == "regional_coordinator" and a.territory_code == group.region.code
                                       for a in r.assignments(user)):
        return True
    responsible = {o.pk for o in action.responsible.all()}
    return bool(activity_rules.organizing_organizations_of(user) & responsible)


def plan_action_follow(*, actor: Any, action_id: Any, data: Any) -> PlanAction:
    """Record where an action stands: its state, with a dated note saying what was done."""
    if not can_read_plans(actor):
        raise NotFound(_("Cette action n'existe pas ou n'est pas visible pour vous."))
    form = ProgressForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    try:
        pk = int(action_id)
    except (TypeError, ValueError):
        pk = 0
    with transaction.atomic():
        action = (PlanAction.objects.select_for_update().select_related("objective__plan__group__region")
                  .filter(pk=pk).first()) if 0 < pk < 2**63 else None
        if action is None:
            raise NotFound(_("Cette action n'existe pas ou n'est pas visible pour vous."))
        if not can_follow_action(actor, action):
            raise PermissionRefused(_("Seules les organisations responsables de cette action la suivent."))
        before = {"status": action.status}
        today = timezone.localdate()
        action.status = form.cleaned_data["status"]
        action.done_on = today if action.status == ActionStatus.DONE else None
        action.version += 1
        action.save()
        ProgressNote.objects.create(action=action, written_on=today, text=form.cleaned_data["text"], author=actor)
        audit_record(actor=actor, action="plan_action.follow", instance=action, before=before,
                     after={"status": action.status})
    return action
