"""The issue's story in the browser: a worker of the housing office logs an intervention and a referral;
a worker of another organization sees the summary only while the consent stands, not after it is revoked.
Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.people.world import consent, world  # noqa: F401 - the fixture
from toitcommun.support.models import Intervention, Referral


def test_the_partner_sees_the_summary_while_the_consent_stands(page, login, shot, world):  # noqa: F811
    given = consent(world)
    person_url = f"/personnes/{world.person.pk}/"

    login(world.office_worker, person_url)
    expect(page.locator("h1")).to_have_text("Fictive Tremblay-Test")
    expect(page.locator("#h-consents + .consent")).to_contain_text("Entraide Fictive (test)")
    page.get_by_role("link", name="Consigner une intervention").click()
    page.select_option("select[name=category]", "accompaniment")
    page.fill("input[name=duration_minutes]", "45")
    page.fill("textarea[name=summary]", "Accompagnement au CLSC pour un rendez-vous.")
    page.fill("textarea[name=notes]", "Note privée de l'office.")
    page.get_by_role("button", name="Consigner").click()
    expect(page.locator(".messages")).to_contain_text("Intervention consignée.")
    expect(page.locator("#h-interventions + p + ul")).to_contain_text("Note privée de l'office.")

    page.get_by_role("link", name="Référer à un service").click()
    page.select_option("select[name=service]", label="Accompagnement fictif")
    page.fill("textarea[name=reason]", "Besoin d'accompagnement régulier.")
    page.get_by_role("button", name="Préparer la référence").click()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".messages")).to_contain_text("Référence mise à jour.")
    expect(page.locator("dl")).to_contain_text("envoyée")
    shot("support-referral-sent")
    assert Intervention.objects.count() == 1 and Referral.objects.get().state == "sent"

    page.context.clear_cookies()
    login(world.entraide_worker, person_url)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#h-interventions + p + ul")).to_contain_text("Accompagnement au CLSC")
    expect(page.locator("main")).not_to_contain_text("Note privée de l'office.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("support-person-partner-390")
    page.goto(page.base_url + "/soutien/references/recues/")
    expect(page.locator("tbody")).to_contain_text("Accompagnement fictif")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.context.clear_cookies()
    login(world.office_worker, f"/personnes/consentements/{given.pk}/revoquer/")
    page.select_option("select[name=method]", "written")
    page.get_by_role("button", name="Révoquer").click()
    expect(page.locator(".messages")).to_contain_text("Consentement révoqué")
    expect(page.locator("#h-consents + .consent")).to_contain_text("révoqué")

    page.context.clear_cookies()
    login(world.entraide_worker, person_url)
    expect(page.locator("h1")).not_to_contain_text("Tremblay")
    assert page.goto(page.base_url + person_url).status == 404
    page.goto(page.base_url + "/personnes/")
    expect(page.locator("tbody")).to_contain_text("Aucune personne ne correspond.")
    assert Referral.objects.get().state == "suspended"
    shot("support-people-after-revocation")
