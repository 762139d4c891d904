"""Pages of collective projects and action plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.views_common import attach_errors, create_page, or_404, refuse, versioned_edit_page

from . import activity_rules
from .models import ProjectStatus
from .project_forms import ActionForm, ObjectiveForm, PlanForm, ProjectForm
from .project_selectors import (
    late_actions,
    plan_get,
    plans_visible_to,
    project_activities,
    project_get,
    projects_list,
)
from .project_services import (
    ProgressForm,
    can_create_projects,
    can_follow_action,
    can_manage_plans_of,
    plan_action_add,
    plan_action_follow,
    plan_create,
    plan_objective_add,
    plan_update,
    project_create,
    project_update,
)


def project_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("etat", "")
    projects = projects_list().order_by("name")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    return render(request, "collective/projects.html", {
        "projects": list(projects[:200]), "statuses": ProjectStatus.choices, "status": status,
        "can_create": can_create_projects(request.user)})


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = or_404(project_get, pk)
    return render(request, "collective/project.html", {
        "project": project, "activities": project_activities(request.user, project), "today": timezone.localdate(),
        "can_edit": activity_rules.can_manage_project(request.user, project)})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "collective/plans.html", {
        "plans": list(plans_visible_to(request.user).order_by("-starts_on")),
        "can_create": _manageable_groups(request.user).exists()})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    return _plan_page(request, plan)


def _plan_page(request: HttpRequest, plan: Any, *, objective_form: Any = None,
               action_forms: dict[int, Any] | None = None, status: int = 200) -> HttpResponse:
    """The plan, what is late (derived from due dates and states), and for who keeps it, the forms that add to it."""
    today = timezone.localdate()
    followable = {action.pk for objective in plan.objectives.all() for action in objective.actions.all()
                  if can_follow_action(request.user, action)}
    manage = can_manage_plans_of(request.user, plan.group)
    objectives = [(objective, (action_forms or {}).get(objective.pk)
                   or ActionForm(auto_id=f"id_%s_{objective.pk}")) for objective in plan.objectives.all()]
    return render(request, "collective/plan.html", {
        "plan": plan, "late": late_actions(plan, today), "today": today, "followable": followable,
        "form": ProgressForm(), "manage": manage, "objectives": objectives,
        "objective_form": objective_form or ObjectiveForm()}, status=status)


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


# --- create and change projects and plans -------------------------------------------------------------------


@login_required
def project_create_page(request: HttpRequest) -> HttpResponse:
    if not can_create_projects(request.user):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas créer de projet collectif.")))
    mine = sorted(activity_rules.organizing_organizations_of(request.user))
    return create_page(
        request, form_class=ProjectForm, create=lambda **sent: project_create(actor=request.user, **sent),
        template="collective/project_form.html", done=lambda p: reverse("collective:project", args=[p.pk]),
        done_message=_("Projet collectif enregistré."), initial={"lead": mine[0] if mine else None})


@login_required
def project_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = or_404(project_get, pk)
    if not activity_rules.can_manage_project(request.user, project):
        raise refuse(PermissionRefused(_("Seules les organisations du projet peuvent le modifier.")))
    return versioned_edit_page(
        request, form_class=ProjectForm, instance=project,
        update=lambda **sent: project_update(actor=request.user, project_id=pk, **sent),
        template="collective/project_form.html", context={"project": project},
        done_url=reverse("collective:project", args=[pk]))


def _manageable_groups(user: Any) -> Any:
    from .models import Group

    groups = Group.objects.select_related("region").order_by("name")
    return Group.objects.filter(pk__in=[g.pk for g in groups if can_manage_plans_of(user, g)]).order_by("name")


@login_required
def plan_create_page(request: HttpRequest) -> HttpResponse:
    groups = _manageable_groups(request.user)
    if not groups.exists():
        raise refuse(PermissionRefused(_("Vous ne pouvez pas créer de plan d'action.")))

    def narrow(form: Any) -> None:
        form.fields["group"].queryset = groups

    return create_page(
        request, form_class=PlanForm, create=lambda **sent: plan_create(actor=request.user, **sent),
        template="collective/plan_form.html", done=lambda p: reverse("collective:action_plan", args=[p.pk]),
        done_message=_("Plan d'action enregistré : ajoutez-lui ses objectifs et ses actions."), prepare=narrow,
        initial={"starts_on": timezone.localdate()})


@login_required
def plan_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    if not can_manage_plans_of(request.user, plan.group):
        raise refuse(PermissionRefused(_("Seuls les dirigeants du groupe, ses membres d'une table et la "
                                         "coordination régionale modifient ce plan.")))
    form = PlanForm(request.POST or None, instance=plan)
    form.fields["group"].queryset = _manageable_groups(request.user)  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            plan_update(actor=request.user, plan_id=plan.pk, data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("collective:action_plan", plan.pk)
    return render(request, "collective/plan_form.html", {"form": form, "plan": plan},
                  status=422 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def plan_objective_add_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    form = ObjectiveForm(request.POST)
    try:
        plan_objective_add(actor=request.user, plan_id=plan.pk, data=request.POST)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        attach_errors(form, refusal)
        return _plan_page(request, plan, objective_form=form, status=422)
    messages.success(request, _("Objectif ajouté au plan."))
    return redirect("collective:action_plan", plan.pk)


@login_required
@require_POST
def plan_action_add_page(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    plan = or_404(plan_get, request.user, pk)
    form = ActionForm(request.POST)
    try:
        plan_action_add(actor=request.user, plan_id=plan.pk, objective_id=objective_pk, data=request.POST)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        attach_errors(form, refusal)
        return _plan_page(request, plan, action_forms={objective_pk: form}, status=422)
    messages.success(request, _("Action ajoutée au plan."))
    return redirect(reverse("collective:action_plan", args=[plan.pk]) + f"#objective-{objective_pk}")
