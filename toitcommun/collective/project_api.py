"""Collective projects and action plans as JSON: the same selectors and services as the pages.

Projects are public. Action plans are read by the network's signed-in people (a plan they may not read
answers 404); both are written by the same people as on the pages, through the same forms' validation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Offset, RecordId, required_text, text
from toitcommun.errors import ValidationFailed
from toitcommun.territory.api import municipality_pk_for

from .governance_api import viewer_of
from .models import ActionPlan, AgreementObjective, CollectiveProject, ProjectStatus
from .project_forms import MILESTONE_ROWS, PARTNER_ROWS
from .project_selectors import late_actions, plan_get, plans_visible_to, project_get, projects_list
from .project_services import (
    plan_action_add,
    plan_create,
    plan_objective_add,
    plan_update,
    project_create,
    project_update,
)

router = Router(tags=["collective"])


class PartnerIO(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1)
    contribution: text(300) = ""  # type: ignore[valid-type]


class MilestoneIO(Schema):
    title: required_text(200)  # type: ignore[valid-type]
    due_on: datetime.date
    done_on: datetime.date | None = None


class ProjectIn(Schema):
    name: required_text(200)  # type: ignore[valid-type]
    goal: required_text(4000)  # type: ignore[valid-type]
    municipality_code: str = Field(min_length=5, max_length=5, pattern=r"^\d{5}$")
    lead_id: int = Field(ge=1, le=2**63 - 1, description="The organization responsible")
    objectives: list[int] = Field(default_factory=list, description="Numbers (1-8) of the agreement's objectives "
                                                                     "the project serves")
    status: ProjectStatus = ProjectStatus.PLANNED
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    participants_count: int = Field(0, ge=0, le=1_000_000)
    partners: list[PartnerIO] = Field(default_factory=list, max_length=PARTNER_ROWS)
    milestones: list[MilestoneIO] = Field(default_factory=list, max_length=MILESTONE_ROWS)


class ProjectPatch(Schema):
    version: int = Field(ge=1, le=2**31)
    name: required_text(200) | None = None  # type: ignore[valid-type]
    goal: required_text(4000) | None = None  # type: ignore[valid-type]
    municipality_code: str | None = Field(None, min_length=5, max_length=5, pattern=r"^\d{5}$")
    lead_id: int | None = Field(None, ge=1, le=2**63 - 1)
    objectives: list[int] | None = None
    status: ProjectStatus | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    participants_count: int | None = Field(None, ge=0, le=1_000_000)
    partners: list[PartnerIO] | None = Field(None, max_length=PARTNER_ROWS)
    milestones: list[MilestoneIO] | None = Field(None, max_length=MILESTONE_ROWS)


class ProjectOut(Schema):
    id: int
    name: str
    goal: str
    municipality_code: str
    lead_id: int
    objectives: list[int]
    status: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    participants_count: int
    partners: list[PartnerIO]
    milestones: list[MilestoneIO]
    version: int


class ProjectList(Schema):
    items: list[ProjectOut]
    count: int
    limit: int
    offset: int


class ListFilters(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class ActionOut(Schema):
    id: int
    title: str
    responsible_ids: list[int]
    due_on: datetime.date | None
    status: str
    late: bool = Field(description="Open and past its due date: derived on reading, never stored")


class ObjectiveOut(Schema):
    id: int
    number: int
    title: str
    agreement_objectives: list[int]
    actions: list[ActionOut]


class PlanOut(Schema):
    id: int
    group_id: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    objectives: list[ObjectiveOut]
    late_actions: int


class PlanSummary(Schema):
    id: int
    group_id: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class PlanList(Schema):
    items: list[PlanSummary]
    count: int
    limit: int
    offset: int


class PlanIn(Schema):
    group_id: int = Field(ge=1, le=2**63 - 1)
    title: required_text(200)  # type: ignore[valid-type]
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class ObjectiveIn(Schema):
    title: required_text(300)  # type: ignore[valid-type]
    agreement_objectives: list[int] = Field(default_factory=list, description="Numbers (1-8)")


class ActionIn(Schema):
    title: required_text(300)  # type: ignore[valid-type]
    responsible_ids: list[int] = Field(default_factory=list)
    due_on: datetime.date | None = None


def _objective_pks(numbers: list[int]) -> list[int]:
    found = dict(AgreementObjective.objects.filter(number__in=numbers).values_list("number", "pk"))
    unknown = sorted(set(numbers) - set(found))
    if unknown:
        raise ValidationFailed({"objectives": [_("Objectifs de l'Entente inconnus : %(n)s (de 1 à 8).") % {
            "n": ", ".join(str(n) for n in unknown)}]})
    return [found[n] for n in numbers]


def _project_out(project: CollectiveProject) -> dict[str, Any]:
    return {"id": project.pk, "name": project.name, "goal": project.goal,
            "municipality_code": project.municipality.code, "lead_id": project.lead_id,
            "objectives": [o.number for o in project.objectives.all()], "status": project.status,
            "starts_on": project.starts_on, "ends_on": project.ends_on,
            "participants_count": project.participants_count,
            "partners": [{"organization_id": p.organization_id, "contribution": p.contribution}
                         for p in project.partners.all()],
            "milestones": [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in project.milestones.all()],
            "version": project.version}


def _project_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The API's fields as the project form reads them (the form validates both faces alike)."""
    data: dict[str, Any] = {k: ("" if v is None else v) for k, v in fields.items()
                            if k not in ("partners", "milestones", "objectives", "municipality_code", "lead_id")}
    data["municipality"] = municipality_pk_for(fields.get("municipality_code") or "") or ""
    data["lead"] = fields.get("lead_id") or ""
    data["objectives"] = _objective_pks(list(fields.get("objectives") or []))
    for n, partner in enumerate(fields.get("partners") or [], start=1):
        data[f"partner_{n}"] = partner["organization_id"]
        data[f"contribution_{n}"] = partner.get("contribution") or ""
    for n, milestone in enumerate(fields.get("milestones") or [], start=1):
        data[f"milestone_title_{n}"] = milestone["title"]
        data[f"milestone_due_{n}"] = milestone["due_on"] or ""
        data[f"milestone_done_{n}"] = milestone.get("done_on") or ""
    return data


def _stored(project: CollectiveProject) -> dict[str, Any]:
    out = _project_out(project)
    return {**{k: out[k] for k in ("name", "goal", "municipality_code", "lead_id", "objectives", "status",
                                   "starts_on", "ends_on", "participants_count", "partners", "milestones")}}


def _plan_out(plan: ActionPlan) -> dict[str, Any]:
    today = timezone.localdate()
    objectives = [{"id": o.pk, "number": o.number, "title": o.title,
                   "agreement_objectives": [a.number for a in o.agreement_objectives.all()],
                   "actions": [{"id": a.pk, "title": a.title, "responsible_ids": [r.pk for r in a.responsible.all()],
                                "due_on": a.due_on, "status": a.status, "late": a.is_late(today)}
                               for a in o.actions.all()]} for o in plan.objectives.all()]
    return {"id": plan.pk, "group_id": plan.group_id, "title": plan.title, "starts_on": plan.starts_on,
            "ends_on": plan.ends_on, "objectives": objectives, "late_actions": len(late_actions(plan, today))}


@router.get("/projects", response=ProjectList, summary="Collective projects (public)")
def project_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    found = projects_list().prefetch_related("partners", "milestones").order_by("name", "pk")
    page = [_project_out(p) for p in found[filters.offset: filters.offset + filters.limit]]
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset}


@router.get("/projects/{project_id}", response=ProjectOut, summary="One collective project")
def project_detail(request: HttpRequest, project_id: RecordId) -> dict[str, Any]:
    return _project_out(project_get(project_id))


@router.post("/projects", response={201: ProjectOut}, auth=write_auth,
             summary="Start a collective project (one of your organizations leads it or is a partner)")
def project_add(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    project = project_create(actor=actor_of(request), data=_project_data(payload.model_dump(mode="json")))
    return Status(201, _project_out(project_get(project.pk)))


@router.patch("/projects/{project_id}", response=ProjectOut, auth=write_auth,
              summary="Change a project (send the version you read; partners and milestones sent replace the "
                      "stored ones)")
def project_change(request: HttpRequest, project_id: RecordId, payload: ProjectPatch) -> dict[str, Any]:
    current = project_get(project_id)
    sent = payload.model_dump(mode="json", exclude_unset=True)
    version = sent.pop("version")
    fields = {**_stored(current), **{k: v for k, v in sent.items()}}
    for key in ("starts_on", "ends_on"):
        if isinstance(fields.get(key), datetime.date):
            fields[key] = fields[key].isoformat()
    fields["milestones"] = [{**m, "due_on": str(m["due_on"]), "done_on": str(m["done_on"]) if m.get("done_on") else None}
                            for m in fields.get("milestones") or []]
    project = project_update(actor=actor_of(request), project_id=current.pk, version=version,
                             data=_project_data(fields))
    return _project_out(project_get(project.pk))


@router.get("/plans", response=PlanList, summary="Action plans (the network's signed-in people)")
def plan_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    found = plans_visible_to(viewer_of(request)).order_by("-starts_on", "pk")
    page = list(found[filters.offset: filters.offset + filters.limit])
    return {"items": page, "count": found.count(), "limit": filters.limit, "offset": filters.offset}


@router.get("/plans/{plan_id}", response=PlanOut, summary="An action plan: objectives, actions, what is late")
def plan_detail(request: HttpRequest, plan_id: RecordId) -> dict[str, Any]:
    return _plan_out(plan_get(viewer_of(request), plan_id))


def _plan_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = {k: ("" if v is None else v) for k, v in fields.items() if k != "group_id"}
    data["group"] = fields.get("group_id") or ""
    return data


@router.post("/plans", response={201: PlanOut}, auth=write_auth, summary="Start an action plan of a table or group")
def plan_add(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    user = actor_of(request)
    plan = plan_create(actor=user, data=_plan_data(payload.model_dump(mode="json")))
    return Status(201, _plan_out(plan_get(user, plan.pk)))


@router.patch("/plans/{plan_id}", response=PlanOut, auth=write_auth, summary="Change a plan's group, title or period")
def plan_change(request: HttpRequest, plan_id: RecordId, payload: PlanIn) -> dict[str, Any]:
    user = actor_of(request)
    plan_get(user, plan_id)
    plan_update(actor=user, plan_id=plan_id, data=_plan_data(payload.model_dump(mode="json")))
    return _plan_out(plan_get(user, plan_id))


@router.post("/plans/{plan_id}/objectives", response={201: PlanOut}, auth=write_auth,
             summary="Add an objective to a plan, tied to the agreement's objectives")
def plan_objective_add_api(request: HttpRequest, plan_id: RecordId, payload: ObjectiveIn) -> Status[dict[str, Any]]:
    user = actor_of(request)
    plan_get(user, plan_id)
    plan_objective_add(actor=user, plan_id=plan_id, data={
        "title": payload.title, "agreement_objectives": _objective_pks(payload.agreement_objectives)})
    return Status(201, _plan_out(plan_get(user, plan_id)))


@router.post("/plans/{plan_id}/objectives/{objective_id}/actions", response={201: PlanOut}, auth=write_auth,
             summary="Add an action under one of a plan's objectives")
def plan_action_add_api(request: HttpRequest, plan_id: RecordId, objective_id: RecordId,
                        payload: ActionIn) -> Status[dict[str, Any]]:
    user = actor_of(request)
    plan_get(user, plan_id)
    plan_action_add(actor=user, plan_id=plan_id, objective_id=objective_id, data={
        "title": payload.title, "responsible": payload.responsible_ids,
        "due_on": payload.due_on.isoformat() if payload.due_on else ""})
    return Status(201, _plan_out(plan_get(user, plan_id)))
