"""Minutes in the browser: a tenant representative drafts them, the secretary has them adopted by the next
meeting and publishes them, and an anonymous visitor reads them on a phone."""

from __future__ import annotations

import datetime

from tests.collective.governance_world import build_world, held_meeting
from tests.e2e.conftest import SHOTS


def test_minutes_drafted_adopted_published_and_read_on_a_phone(page, login, settings, browser, live_server):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    first = held_meeting(world, datetime.date(2016, 1, 20), title="Assemblée des locataires fictive")
    later = held_meeting(world, datetime.date(2016, 2, 10), title="Conseil d'administration fictif",
                         audience="members")

    # The president, a tenant representative, drafts the minutes and submits them to the members.
    login(world.president, f"/vie-collective/reunions/{first.pk}/")
    page.get_by_role("link", name="Rédiger le procès-verbal").click()
    page.get_by_label("Procès-verbal").fill("Dix-sept locataires présents. La fête d'hiver aura lieu le 13 février.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon : ce texte n'est pas adopté.").wait_for()
    page.get_by_role("button", name="Soumettre aux membres").click()
    page.get_by_text("Procès-verbal soumis aux membres.").wait_for()

    # The secretary: publishing before adoption is refused, adoption at the next meeting, then publication.
    page.context.clear_cookies()
    login(world.secretary, f"/vie-collective/reunions/{later.pk}/")
    page.get_by_label("Adopter le procès-verbal d'une réunion précédente").select_option(
        label="Assemblée des locataires fictive (20 janvier 2016, v1)")
    page.get_by_role("button", name="Adopter").click()
    page.get_by_text("Procès-verbal adopté.").wait_for()
    page.goto(f"{live_server.url}/vie-collective/reunions/{first.pk}/")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Procès-verbal publié.").wait_for()

    # Anyone reads them on a phone, without signing in.
    phone = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    visitor = phone.new_page()
    visitor.goto(f"{live_server.url}/vie-collective/reunions/{first.pk}/")
    visitor.get_by_text("La fête d'hiver aura lieu le 13 février.").wait_for()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Brouillon" not in visitor.locator("#minutes").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=str(SHOTS / "collective-minutes-published-phone.png"), full_page=True)
    phone.close()
