"""The privacy officer of the housing office finds who read a tenant's file, on a phone-sized window."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from tests.people.world import consent, world  # noqa: F401 - the fixture
from toitcommun.access.models import Role
from toitcommun.people import selectors


def test_the_privacy_officer_sees_the_partners_read_and_filters_by_person(page, login, shot, world):  # noqa: F811
    given = consent(world)
    selectors.person_get(world.entraide_worker, world.person.pk)
    officer = RoleFactory(user=UserFactory(username="rprp-navigateur"), role=Role.PRIVACY_OFFICER,
                          organization=world.office).user
    page.set_viewport_size({"width": 390, "height": 844})
    login(officer, "/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Journal des accès").click()
    expect(page.locator("h1")).to_have_text("Journal des accès")
    page.fill("#log-person", str(world.person.pk))
    page.get_by_role("button", name="Filtrer").click()
    table = page.locator("table")
    expect(table).to_contain_text("Entraide Fictive (test)")
    expect(table).to_contain_text(f"un consentement #{given.pk}")
    expect(page.locator("main")).not_to_contain_text("Tremblay-Test")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("access-log-officer-phone")
    page.fill("#log-since", "2026-05-01")
    page.fill("#log-until", "2026-04-01")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#log-errors")).to_contain_text("La fin de la période précède son début.")
