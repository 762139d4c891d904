"""Reads on collective projects (public) and action plans (the network's signed-in people)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.errors import NotFound

from .models import (
    OPEN_ACTION,
    ActionPlan,
    Activity,
    CollectiveProject,
    PlanAction,
    PlanObjective,
)


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < 2**63 else 0


def projects_list() -> QuerySet[CollectiveProject]:
    """Collective projects are public: what the partners do together, never who took part by name."""
    return CollectiveProject.objects.select_related("municipality", "lead").prefetch_related("objectives")


def project_get(project_id: Any) -> CollectiveProject:
    found = (projects_list().prefetch_related("partners__organization", "milestones")
             .filter(pk=_pk(project_id)).first())
    if found is None:
        raise NotFound(_("Ce projet collectif n'existe pas."))
    return found


def project_activities(user: Any, project: CollectiveProject) -> list[Activity]:
    from .activity_selectors import activities_visible_to

    return list(activities_visible_to(user).filter(project=project).select_related("municipality")
                .order_by("starts_at", "id"))


def can_read_plans(user: Any) -> bool:
    """The network's signed-in people: staff, workers, coordinators, researchers, tenants' representatives."""
    return r.is_authenticated(user) and (r.is_administrator(user) or bool(r.assignments(user)))


def plans_visible_to(user: Any) -> QuerySet[ActionPlan]:
    if not can_read_plans(user):
        return ActionPlan.objects.none()
    return ActionPlan.objects.select_related("group")


def plan_get(user: Any, plan_id: Any) -> ActionPlan:
    actions = PlanAction.objects.prefetch_related("responsible", "notes").order_by("due_on", "id")
    objectives = PlanObjective.objects.prefetch_related("agreement_objectives",
                                                        Prefetch("actions", queryset=actions)).order_by("number")
    found = (plans_visible_to(user).prefetch_related(Prefetch("objectives", queryset=objectives))
             .filter(pk=_pk(plan_id)).first())
    if found is None:
        raise NotFound(_("Ce plan d'action n'existe pas ou n'est pas visible pour vous."))
    return found


@dataclass(frozen=True)
class LateAction:
    objective: PlanObjective
    action: PlanAction
    days_late: int


def late_actions(plan: ActionPlan, on: datetime.date) -> list[LateAction]:
    """Open actions whose due date has passed, the latest first; derived on reading, never stored."""
    late = [LateAction(objective, action, (on - action.due_on).days)
            for objective in plan.objectives.all() for action in objective.actions.all()
            if action.status in OPEN_ACTION and action.due_on is not None and action.due_on < on]
    return sorted(late, key=lambda item: -item.days_late)
