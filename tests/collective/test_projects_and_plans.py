"""Collective projects (public) and the table's action plan: what is late, followed by the responsible."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from toitcommun.collective.models import ActionPlan, ActionStatus, CollectiveProject, PlanAction
from toitcommun.collective.project_selectors import late_actions, plan_get
from toitcommun.collective.project_services import plan_action_follow
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def test_a_project_page_shows_objectives_partners_milestones_and_activities(client, demo):
    project = CollectiveProject.objects.get(name="Carré famille Saint-Maurice")
    text = client.get(reverse("collective:project", args=[project.pk])).content.decode()
    assert "8. Projets collectifs" in text
    assert "Réseaux d&#x27;entraide des Appalaches" in text
    assert "Lancement du Carré famille Saint-Maurice" in text
    assert "Carré famille Saint-Maurice" in client.get(reverse("collective:projects")).content.decode()
    assert client.get(reverse("collective:project", args=[10**6])).status_code == 404


@pytest.fixture
def plan(demo):
    """The table's plan; the table itself comes with the governance demo, or is made here if it has not."""
    from toitcommun.collective.models import Group
    from toitcommun.demo_activities import _load_action_plan
    from toitcommun.organizations.models import Organization
    from toitcommun.territory.models import Mrc

    if not Group.objects.filter(kind="local_table", mrc__code="310").exists():
        mrc = Mrc.objects.select_related("region").get(code="310")
        Group.objects.create(name="ÉLÉ des Appalaches (test)", kind="local_table", region=mrc.region, mrc=mrc)
        _load_action_plan({o.name: o for o in Organization.objects.all()}, None)
    return ActionPlan.objects.get()


def test_the_plan_shows_its_four_objectives_and_what_is_late(client, plan, django_assert_max_num_queries):
    loaded = plan_get(user("coordination"), plan.pk)
    assert [o.number for o in loaded.objectives.all()] == [1, 2, 3, 4]
    late = late_actions(loaded, datetime.date(2016, 1, 15))
    assert [item.action.title for item in late] == [
        "Présenter les ressources du milieu aux équipes du CISSS",
        "Tenir une séance d'information par site"]
    client.force_login(user("coordination"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("collective:action_plan", args=[plan.pk]))
    assert "En retard" in response.content.decode()


def test_anonymous_visitors_do_not_see_plans(client, plan):
    with pytest.raises(NotFound):
        plan_get(None, plan.pk)
    assert client.get(reverse("collective:action_plan", args=[plan.pk])).status_code == 302


def test_a_responsible_organization_follows_its_action(plan):
    action = PlanAction.objects.get(title="Tenir une séance d'information par site")
    plan_action_follow(actor=user("intervenante"), action_id=action.pk,
                       data={"status": "done", "text": "Séances tenues dans les onze sites."})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on is not None
    assert action.notes.last().text == "Séances tenues dans les onze sites."


def test_an_organization_not_responsible_may_not_follow_it_and_nothing_changes(plan):
    action = PlanAction.objects.get(title="Présenter les ressources du milieu aux équipes du CISSS")
    with pytest.raises(PermissionRefused):
        plan_action_follow(actor=user("technicienne"), action_id=action.pk, data={"status": "done", "text": "x"})
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED and not action.notes.exists()


def test_bad_input_is_refused_naming_the_field(plan):
    action = PlanAction.objects.get(title="Présenter les ressources du milieu aux équipes du CISSS")
    with pytest.raises(ValidationFailed) as refused:
        plan_action_follow(actor=user("oc.cisss"), action_id=action.pk, data={"status": "fini", "text": ""})
    assert set(refused.value.errors) == {"status", "text"}
