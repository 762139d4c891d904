"""The regional coordinator starts an action plan for the table, adds an objective and an action already past
due, and sees it among what is late; a worker starts a collective project with a partner and a milestone."""

from __future__ import annotations

from django.core.management import call_command

from tests.e2e.conftest import SHOTS
from toitcommun.collective.models import ActionPlan, CollectiveProject
from toitcommun.demo import ACCOUNTS


def _sign_in(page, username: str, next_path: str) -> None:
    account = next(a for a in ACCOUNTS if a.username == username)
    page.goto(f"{page.base_url}/comptes/connexion/?next={next_path}")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", account.password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_a_plan_and_a_project_are_started_in_the_browser(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _sign_in(page, "coordination", "/vie-collective/plans/")
    page.get_by_role("link", name="Nouveau plan d'action").click()
    page.get_by_label("Table ou groupe").select_option(label="Équipe locale élargie (ÉLÉ) de la MRC des Appalaches")
    page.get_by_label("Titre").fill("Plan d'action 2016-2017 (test)")
    page.get_by_label("Début").fill("2016-04-01")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Plan d'action enregistré").wait_for()
    page.get_by_label("Objectif du plan").fill("Faire connaître les ressources")
    page.get_by_label("3. Renforcer l'action locale", exact=False).check()
    page.get_by_role("button", name="Ajouter l'objectif").click()
    page.get_by_text("Objectif ajouté au plan.").wait_for()
    page.get_by_text("Ajouter une action à l'objectif 1").click()
    page.get_by_label("Action *", exact=True).fill("Tournée des sites HLM")
    page.get_by_label("Échéance").fill("2016-06-30")
    page.get_by_role("button", name="Ajouter l'action").click()
    page.get_by_text("Action ajoutée au plan.").wait_for()
    assert "Tournée des sites HLM" in page.inner_text("#late")
    assert ActionPlan.objects.get(title="Plan d'action 2016-2017 (test)").objectives.get().actions.count() == 1

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, "intervenante", "/vie-collective/projets/")
    page.get_by_role("link", name="Nouveau projet collectif").click()
    page.get_by_label("Nom *", exact=True).fill("Jardin collectif (test)")
    page.get_by_label("But *", exact=True).fill("Cultiver ensemble au pied des immeubles.")
    box = page.locator("input[name=municipality]")
    box.fill("Thetford Mines")
    page.locator("[role=option]", has_text="Thetford Mines").first.click()
    page.get_by_label("1. Participation sociale", exact=False).check()
    page.get_by_label("Étape 1", exact=True).fill("Premières semences")
    page.get_by_label("Étape 1 prévue le").fill("2016-05-20")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Projet collectif enregistré.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    project = CollectiveProject.objects.get(name="Jardin collectif (test)")
    assert [m.title for m in project.milestones.all()] == ["Premières semences"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "collective-project-created-phone.png"), full_page=True)
