"""Creating and changing collective projects and action plans, on the pages and through the API: the same
services, the same refusals (permission, bad input in plain French, a stale version), audited."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from tests.factories import api_token_for
from toitcommun.access.models import AuditEvent
from toitcommun.collective.models import (
    ActionPlan,
    AgreementObjective,
    CollectiveProject,
    Group,
    PlanAction,
    PlanObjective,
)
from toitcommun.organizations.models import Organization

pytestmark = pytest.mark.django_db
RESEAUX = "Réseaux d'entraide des Appalaches"


def user(name: str):
    return get_user_model().objects.get(username=name)


def bearer(name: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(user(name))}"}


def _project_post(**extra):
    org = Organization.objects.get(name=RESEAUX)
    other = Organization.objects.exclude(pk=org.pk).order_by("name").first()
    objectives = AgreementObjective.objects.filter(number__in=[1, 8]).values_list("pk", flat=True)
    return {"name": "Jardin collectif fictif", "goal": "Cultiver ensemble au pied des immeubles.",
            "municipality": "31084", "objectives": [str(pk) for pk in objectives], "status": "planned",
            "starts_on": "2016-05-01", "lead": org.pk, "participants_count": "12",
            "partner_1": other.pk, "contribution_1": "Les semences",
            "milestone_title_1": "Premières semences", "milestone_due_1": "2016-05-20", **extra}


def test_a_worker_creates_a_project_with_partners_and_milestones_then_changes_it(client, demo):
    client.force_login(user("intervenante"))
    answer = client.post("/vie-collective/projets/nouveau/", _project_post())
    project = CollectiveProject.objects.get(name="Jardin collectif fictif")
    assert answer.status_code == 302 and answer["Location"] == f"/vie-collective/projets/{project.pk}/"
    assert sorted(o.number for o in project.objectives.all()) == [1, 8]
    assert [p.contribution for p in project.partners.all()] == ["Les semences"]
    assert [m.title for m in project.milestones.all()] == ["Premières semences"]
    edit = client.get(f"/vie-collective/projets/{project.pk}/modifier/").content.decode()
    assert 'value="Les semences"' in edit and 'value="Premières semences"' in edit
    changed = client.post(f"/vie-collective/projets/{project.pk}/modifier/", _project_post(
        version=project.version, status="active", milestone_done_1="2016-05-21", contribution_1="Semences et outils"))
    assert changed.status_code == 302
    project.refresh_from_db()
    assert project.status == "active" and project.version == 2
    assert project.partners.get().contribution == "Semences et outils"
    assert project.milestones.get().done_on == datetime.date(2016, 5, 21)
    stale = client.post(f"/vie-collective/projets/{project.pk}/modifier/", _project_post(version=1, name="Périmé"))
    assert "pendant que vous le modifiiez" in stale.content.decode()
    assert CollectiveProject.objects.get(pk=project.pk).name == "Jardin collectif fictif"
    assert {"collective.project.create", "collective.project.update"} <= set(
        AuditEvent.objects.filter(actor=user("intervenante")).values_list("action", flat=True))


def test_a_project_form_with_mistakes_keeps_what_was_typed(client, demo):
    client.force_login(user("intervenante"))
    answer = client.post("/vie-collective/projets/nouveau/", _project_post(
        ends_on="2016-01-01", milestone_title_2="Étape sans date", partner_1="", contribution_1="Orpheline"))
    page = answer.content.decode()
    assert "La fin ne peut précéder le début." in page and "Donnez la date prévue de cette étape." in page
    assert "Choisissez le partenaire de cette contribution." in page and 'value="Étape sans date"' in page
    assert not CollectiveProject.objects.filter(name="Jardin collectif fictif").exists()
    other_lead = Organization.objects.exclude(name=RESEAUX).order_by("name").first()
    foreign = client.post("/vie-collective/projets/nouveau/", _project_post(lead=other_lead.pk, partner_1="", contribution_1=""))
    assert "Une de vos organisations doit être responsable ou partenaire du projet." in foreign.content.decode()


def test_who_may_not_create_or_change_a_project_is_refused(client, demo):
    project = CollectiveProject.objects.get(name="Carré famille Saint-Maurice")
    client.force_login(user("chercheure"))
    assert client.get("/vie-collective/projets/nouveau/").status_code == 403
    assert client.get(f"/vie-collective/projets/{project.pk}/modifier/").status_code == 403
    assert client.get("/vie-collective/projets/99999999999999999999/modifier/").status_code == 404


def test_the_coordinator_creates_a_plan_adds_an_objective_and_a_late_action(client, demo):
    table = Group.objects.filter(kind="local_table").order_by("pk").first()
    client.force_login(user("coordination"))
    created = client.post("/vie-collective/plans/nouveau/", {"group": table.pk, "title": "Plan fictif 2016-2017",
                                                             "starts_on": "2016-04-01"})
    plan = ActionPlan.objects.get(title="Plan fictif 2016-2017")
    assert created.status_code == 302
    objective = AgreementObjective.objects.get(number=3)
    client.post(f"/vie-collective/plans/{plan.pk}/objectifs/", {"title": "Mieux se connaître",
                                                               "agreement_objectives": [objective.pk]})
    plan_objective = PlanObjective.objects.get(plan=plan)
    assert plan_objective.number == 1 and list(plan_objective.agreement_objectives.all()) == [objective]
    org = Organization.objects.get(name=RESEAUX)
    client.post(f"/vie-collective/plans/{plan.pk}/objectifs/{plan_objective.pk}/actions/",
                {"title": "Tournée des sites", "responsible": [org.pk], "due_on": "2016-06-30"})
    action = PlanAction.objects.get(objective=plan_objective)
    assert list(action.responsible.all()) == [org]
    page = client.get(f"/vie-collective/plans/{plan.pk}/").content.decode()
    late = page[page.index('id="late"'):page.index("</section>", page.index('id="late"'))]
    assert "Tournée des sites" in late  # due in 2016, still planned: late, derived on reading
    bad = client.post(f"/vie-collective/plans/{plan.pk}/objectifs/{plan_objective.pk}/actions/",
                      {"title": "Action gardée", "due_on": "fin juin"})
    assert bad.status_code == 422 and 'value="Action gardée"' in bad.content.decode()
    edited = client.post(f"/vie-collective/plans/{plan.pk}/modifier/", {"group": table.pk, "title": "Plan fictif",
                                                                      "starts_on": "2016-04-01",
                                                                      "ends_on": "2016-01-01"})
    assert edited.status_code == 422 and "La fin ne peut précéder le début." in edited.content.decode()
    assert {"collective.plan.create", "collective.plan.objective_add", "collective.plan.action_add"} <= set(
        AuditEvent.objects.filter(actor=user("coordination")).values_list("action", flat=True))


def test_who_may_not_keep_a_plan_is_refused(client, demo):
    table = Group.objects.filter(kind="local_table").order_by("pk").first()
    plan = ActionPlan.objects.create(group=table, title="Plan fictif", starts_on=datetime.date(2016, 1, 1))
    client.force_login(user("chercheure"))
    assert client.get("/vie-collective/plans/nouveau/").status_code == 403
    assert client.get(f"/vie-collective/plans/{plan.pk}/modifier/").status_code == 403
    assert client.post(f"/vie-collective/plans/{plan.pk}/objectifs/", {"title": "Non"}).status_code == 403
    assert not plan.objectives.exists()
    client.logout()
    assert client.get(f"/vie-collective/plans/{plan.pk}/modifier/").status_code == 302  # to the login page


def test_projects_and_plans_through_the_api(client, demo):
    org = Organization.objects.get(name=RESEAUX)
    listed = client.get("/api/v1/projects").json()
    assert "Carré famille Saint-Maurice" in [p["name"] for p in listed["items"]]
    payload = {"name": "Cuisine collective fictive", "goal": "Cuisiner ensemble.", "municipality_code": "31084",
               "lead_id": org.pk, "objectives": [1, 3], "partners": [{"organization_id": org.pk}],
               "milestones": [{"title": "Première cuisine", "due_on": "2016-09-10"}]}
    created = client.post("/api/v1/projects", payload, content_type="application/json", **bearer("intervenante"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["objectives"] == [1, 3] and body["milestones"][0]["title"] == "Première cuisine"
    changed = client.patch(f"/api/v1/projects/{body['id']}", {"version": 1, "status": "active"},
                           content_type="application/json", **bearer("intervenante"))
    assert changed.status_code == 200 and changed.json()["status"] == "active"
    assert changed.json()["milestones"] == body["milestones"]  # what was not sent is kept
    stale = client.patch(f"/api/v1/projects/{body['id']}", {"version": 1, "status": "completed"},
                         content_type="application/json", **bearer("intervenante"))
    assert stale.status_code == 409
    unknown = client.post("/api/v1/projects", {**payload, "objectives": [9]}, content_type="application/json",
                          **bearer("intervenante"))
    assert unknown.status_code == 422
    refused = client.post("/api/v1/projects", payload, content_type="application/json", **bearer("chercheure"))
    assert refused.status_code == 403

    table = Group.objects.filter(kind="local_table").order_by("pk").first()
    assert client.get("/api/v1/plans").json()["count"] == 0  # anonymous: plans are the network's
    plan = client.post("/api/v1/plans", {"group_id": table.pk, "title": "Plan fictif API", "starts_on": "2016-04-01"},
                       content_type="application/json", **bearer("coordination"))
    assert plan.status_code == 201
    plan_id = plan.json()["id"]
    assert client.get(f"/api/v1/plans/{plan_id}").status_code == 404
    with_objective = client.post(f"/api/v1/plans/{plan_id}/objectives", {"title": "Objectif", "agreement_objectives": [3]},
                                 content_type="application/json", **bearer("coordination")).json()
    objective_id = with_objective["objectives"][0]["id"]
    with_action = client.post(f"/api/v1/plans/{plan_id}/objectives/{objective_id}/actions",
                              {"title": "Action", "responsible_ids": [org.pk], "due_on": "2016-05-01"},
                              content_type="application/json", **bearer("coordination")).json()
    assert with_action["late_actions"] == 1 and with_action["objectives"][0]["actions"][0]["late"] is True
    detail = client.get(f"/api/v1/plans/{plan_id}", **bearer("chercheure"))
    assert detail.status_code == 200 and detail.json()["title"] == "Plan fictif API"
    renamed = client.patch(f"/api/v1/plans/{plan_id}", {"group_id": table.pk, "title": "Plan renommé",
                                                        "starts_on": "2016-04-01"},
                           content_type="application/json", **bearer("chercheure"))
    assert renamed.status_code == 403 and ActionPlan.objects.get(pk=plan_id).title == "Plan fictif API"
