"""Pages of collective projects and action plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.views_common import or_404, refuse

from .models import ProjectStatus
from .project_selectors import (
    late_actions,
    plan_get,
    plans_visible_to,
    project_activities,
    project_get,
    projects_list,
)
from .project_services import ProgressForm, can_follow_action, plan_action_follow


def project_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("etat", "")
    projects = projects_list().order_by("name")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    return render(request, "collective/projects.html", {
        "projects": list(projects[:200]), "statuses": ProjectStatus.choices, "status": status})


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = or_404(project_get, pk)
    return render(request, "collective/project.html", {
        "project": project, "activities": project_activities(request.user, project), "today": timezone.localdate()})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "collective/plans.html", {"plans": list(plans_visible_to(request.user).order_by("-starts_on"))})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    today = timezone.localdate()
    followable = {action.pk for objective in plan.objectives.all() for action in objective.actions.all()
                  if can_follow_action(request.user, action)}
    return render(request, "collective/plan.html", {
        "plan": plan, "late": late_actions(plan, today), "today": today, "followable": followable,
        "form": ProgressForm()})


@login_required
@require_POST
def plan_action_follow_page(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    if not any(a.pk == action_pk for o in plan.objectives.all() for a in o.actions.all()):
        raise Http404
    try:
        plan_action_follow(actor=request.user, action_id=action_pk, data=request.POST)
    except ValidationFailed as refusal:
        for reasons in refusal.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    else:
        messages.success(request, _("Suivi enregistré."))
    return redirect("collective:action_plan", pk)
