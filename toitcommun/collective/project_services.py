"""Acts on collective projects (create, change) and action plans (create, change, add objectives and actions,
follow an action: its state and a dated progress note)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toitcommun.access import rules as r
from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import (
    Conflict,
    NotFound,
    PermissionRefused,
    ValidationFailed,
    VersionConflict,
    form_errors,
)
from toitcommun.versioning import expected_version

from . import activity_rules, governance_rules
from .models import (
    ActionPlan,
    ActionStatus,
    CollectiveProject,
    Group,
    GroupKind,
    PlanAction,
    PlanObjective,
    ProgressNote,
    ProjectMilestone,
    ProjectPartner,
)
from .project_forms import ActionForm, ObjectiveForm, PlanForm, ProjectForm
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


# --- collective projects: create and change -------------------------------------------------------------------


def can_create_projects(user: Any) -> bool:
    """Who may organize activities may start a project with their organizations."""
    return activity_rules.can_create_activities(user)


def _project_form(data: Any, instance: CollectiveProject | None = None) -> ProjectForm:
    form = ProjectForm(data, instance=instance)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form


def _project_snapshot(project: CollectiveProject) -> dict[str, Any]:
    """What the audit keeps of a project: its facts, never who took part by name (nobody is named)."""
    return {"name": project.name, "status": project.status, "lead": project.lead_id,
            "municipality": project.municipality_id, "participants_count": project.participants_count,
            "objectives": sorted(o.number for o in project.objectives.all()),
            "partners": sorted(p.organization_id for p in project.partners.all())}


def _save_rows(project: CollectiveProject, form: ProjectForm) -> None:
    """Partners and milestones as typed: the rows on the form are the project's."""
    project.partners.all().delete()
    ProjectPartner.objects.bulk_create([ProjectPartner(project=project, organization=org, contribution=text)
                                        for org, text in form.partners()])
    project.milestones.all().delete()
    ProjectMilestone.objects.bulk_create([ProjectMilestone(project=project, title=title, due_on=due, done_on=done)
                                          for title, due, done in form.milestones()])


def _may_hold(actor: Any, form: ProjectForm) -> bool:
    organizations = [form.cleaned_data["lead"].pk, *(org.pk for org, _text in form.partners())]
    return activity_rules.can_organize(actor, organizations, form.cleaned_data["municipality"])


def project_create(*, actor: Any, data: Any) -> CollectiveProject:
    """Start a collective project: its goal, the agreement's objectives it serves, partners and milestones."""
    if not can_create_projects(actor):
        raise PermissionRefused(_("Vous ne pouvez pas créer de projet collectif."))
    form = _project_form(data)
    if not _may_hold(actor, form):
        raise ValidationFailed({"lead": [_("Une de vos organisations doit être responsable ou partenaire du "
                                           "projet.")]})
    with transaction.atomic():
        project = form.save()
        _save_rows(project, form)
        audit_record(actor=actor, action="collective.project.create", instance=project,
                     after=_project_snapshot(project))
    return project


def project_update(*, actor: Any, project_id: Any, version: Any, data: Any) -> CollectiveProject:
    """Change a project; refused with VersionConflict if someone saved it since ``version``."""
    expected = expected_version(version)
    try:
        pk = int(project_id)
    except (TypeError, ValueError):
        pk = 0
    with transaction.atomic():
        project = (CollectiveProject.objects.select_for_update().select_related("municipality__mrc__region")
                   .filter(pk=pk).first()) if 0 < pk < 2**63 else None
        if project is None:
            raise NotFound(_("Ce projet collectif n'existe pas."))
        if not activity_rules.can_manage_project(actor, project):
            raise PermissionRefused(_("Seules les organisations du projet peuvent le modifier."))
        if project.version != expected:
            raise VersionConflict(snapshot(project) or {}, project.version)
        before = _project_snapshot(project)
        form = _project_form(data, instance=project)
        if not _may_hold(actor, form):
            raise ValidationFailed({"lead": [_("Une de vos organisations doit rester responsable ou partenaire du "
                                               "projet.")]})
        project = form.save(commit=False)
        project.version += 1
        project.save()
        form.save_m2m()
        _save_rows(project, form)
        audit_record(actor=actor, action="collective.project.update", instance=project, before=before,
                     after=_project_snapshot(project))
    return project


# --- action plans: create, change, objectives and actions ------------------------------------------------------


TABLE_KINDS = (GroupKind.LOCAL_TABLE, GroupKind.REGIONAL_TABLE, GroupKind.COORDINATION_COMMITTEE,
               GroupKind.WORKING_COMMITTEE)


def can_manage_plans_of(user: Any, group: Group) -> bool:
    """Administrators, the coordinator of the group's region, its officers, and the members of a table or
    committee (its member organizations' delegates)."""
    if not r.is_authenticated(user):
        return False
    if r.is_administrator(user) or any(a.role == "regional_coordinator" and a.territory_code == group.region.code
                                       for a in r.assignments(user)):
        return True
    return governance_rules.is_officer(user, group) or (group.kind in TABLE_KINDS
                                                         and governance_rules.is_member(user, group))


def _plan_form(data: Any, instance: ActionPlan | None = None) -> PlanForm:
    form = PlanForm(data, instance=instance)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form


def _plan_for_change(actor: Any, plan_id: Any) -> ActionPlan:
    if not can_read_plans(actor):
        raise NotFound(_("Ce plan d'action n'existe pas ou n'est pas visible pour vous."))
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        pk = 0
    plan = ActionPlan.objects.select_related("group__region").filter(pk=pk).first() if 0 < pk < 2**63 else None
    if plan is None:
        raise NotFound(_("Ce plan d'action n'existe pas ou n'est pas visible pour vous."))
    if not can_manage_plans_of(actor, plan.group):
        raise PermissionRefused(_("Seuls les dirigeants du groupe, ses membres d'une table et la coordination "
                                  "régionale modifient ce plan."))
    return plan


def plan_create(*, actor: Any, data: Any) -> ActionPlan:
    """An action plan of a table or a group, for a period."""
    if not can_read_plans(actor):
        raise PermissionRefused(_("Vous ne pouvez pas créer de plan d'action."))
    form = _plan_form(data)
    if not can_manage_plans_of(actor, form.cleaned_data["group"]):
        raise ValidationFailed({"group": [_("Choisissez une table ou un groupe dont vous êtes dirigeant ou "
                                            "membre.")]})
    with transaction.atomic():
        plan = form.save()
        audit_record(actor=actor, action="collective.plan.create", instance=plan,
                     after={"group": plan.group_id, "title": plan.title})
    return plan


def plan_update(*, actor: Any, plan_id: Any, data: Any) -> ActionPlan:
    """Change a plan's title, period or group (to another the actor may also manage)."""
    with transaction.atomic():
        plan = _plan_for_change(actor, plan_id)
        before = {"group": plan.group_id, "title": plan.title, "starts_on": str(plan.starts_on)}
        form = _plan_form(data, instance=ActionPlan.objects.select_for_update().get(pk=plan.pk))
        if not can_manage_plans_of(actor, form.cleaned_data["group"]):
            raise ValidationFailed({"group": [_("Choisissez une table ou un groupe dont vous êtes dirigeant ou "
                                                "membre.")]})
        plan = form.save()
        audit_record(actor=actor, action="collective.plan.update", instance=plan, before=before,
                     after={"group": plan.group_id, "title": plan.title, "starts_on": str(plan.starts_on)})
    return plan


def plan_objective_add(*, actor: Any, plan_id: Any, data: Any) -> PlanObjective:
    """An objective of the plan, tied to the agreement's objectives it serves; numbered in order."""
    plan = _plan_for_change(actor, plan_id)
    form = ObjectiveForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    try:
        with transaction.atomic():
            number = (plan.objectives.aggregate(m=Max("number"))["m"] or 0) + 1
            objective = PlanObjective.objects.create(plan=plan, number=number, title=form.cleaned_data["title"])
            objective.agreement_objectives.set(form.cleaned_data["agreement_objectives"])
            audit_record(actor=actor, action="collective.plan.objective_add", instance=objective,
                         after={"number": number})
    except IntegrityError:
        raise Conflict({"title": [_("Un autre objectif vient d'être ajouté : rechargez et réessayez.")]}) from None
    return objective


def plan_action_add(*, actor: Any, plan_id: Any, objective_id: Any, data: Any) -> PlanAction:
    """An action under one of the plan's objectives: who is responsible, by when."""
    plan = _plan_for_change(actor, plan_id)
    try:
        objective = plan.objectives.get(pk=int(objective_id))
    except (PlanObjective.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Cet objectif n'est pas dans ce plan.")) from None
    form = ActionForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    with transaction.atomic():
        action = PlanAction.objects.create(objective=objective, title=form.cleaned_data["title"],
                                           due_on=form.cleaned_data["due_on"])
        action.responsible.set(form.cleaned_data["responsible"])
        audit_record(actor=actor, action="collective.plan.action_add", instance=action,
                     after={"objective": objective.pk, "due_on": str(action.due_on) if action.due_on else None,
                            "responsible": sorted(o.pk for o in form.cleaned_data["responsible"])})
    return action
