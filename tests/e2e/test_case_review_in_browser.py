"""The working committee's case review in the browser: the housing office's technician convenes it and
puts a tenant on it; the proximity worker sees the tenant; once the consent is revoked, the tenant is gone
from the proximity worker's page at the next request. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.people.world import consent, world  # noqa: F401 - the fixture
from toitcommun.people import services as people
from toitcommun.support.models import CaseReview, CaseReviewItem


def test_a_review_shows_the_tenant_to_the_partner_until_the_consent_is_revoked(page, login, shot, world):  # noqa: F811
    given = consent(world)
    login(world.office_worker, "/soutien/")
    page.get_by_role("link", name="Revues de cas").click()
    page.get_by_role("link", name="Convoquer une revue de cas").click()
    page.fill("input[name=title]", "Comité de travail fictif")
    page.get_by_label("Entraide Fictive (test)").check()
    page.get_by_label("CISSS Imaginaire (test)").check()
    page.get_by_label("résumés d'intervention").check()
    page.get_by_role("button", name="Convoquer").click()
    expect(page.locator("h1")).to_have_text("Comité de travail fictif")
    page.get_by_role("link", name="Ajouter une personne").click()
    page.fill("input[name=q]", "Tremblay")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="Ajouter Fictive Tremblay-Test").click()
    expect(page.locator(".messages")).to_contain_text("Personne ajoutée à la revue.")
    expect(page.locator(".review-items")).to_contain_text("Fictive Tremblay-Test")
    review = CaseReview.objects.get()
    assert CaseReviewItem.objects.filter(review=review, person=world.person).exists()

    page.context.clear_cookies()
    login(world.entraide_worker, f"/soutien/revues/{review.pk}/")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".review-items")).to_contain_text("Fictive Tremblay-Test")
    page.get_by_role("link", name="Écrire des notes").click()
    page.fill("textarea[name=text]", "Visite prévue la semaine prochaine.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".review-items")).to_contain_text("Visite prévue la semaine prochaine.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("case-review-partner-390")

    people.consent_revoke(actor=world.office_worker, consent_id=given.pk, method="written")
    page.reload()
    expect(page.locator(".review-items")).not_to_contain_text("Tremblay")
    expect(page.locator(".review-items")).not_to_contain_text("Visite prévue")
    expect(page.locator(".review-items")).to_contain_text("Personne retirée de la revue")
    shot("case-review-partner-after-revocation-390")
