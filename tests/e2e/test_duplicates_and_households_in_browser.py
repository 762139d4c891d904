"""The duplicates page and the households pages in the browser, as the housing office's technician uses
them: compare two records of the same tenant, confirm, merge; form a household and add a member.
Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.people.world import world  # noqa: F401 - the fixture
from toitcommun.people import services as people
from toitcommun.people.models import Household, Person


def test_the_merge_page_flow(page, login, shot, world):  # noqa: F811
    twin, _count = people.person_register(actor=world.office_worker, first_name="Fictive",
                                          last_name="Tremblay-Test", building_id=world.building.pk)
    login(world.office_worker, "/personnes/")
    page.get_by_role("link", name="Doublons possibles").click()
    expect(page.locator("tbody")).to_contain_text("même nom et même immeuble")
    page.get_by_role("link", name="Comparer").click()
    expect(page.locator(".duplicate-sides")).to_contain_text("418 555-0101")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("duplicates-side-by-side-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=f"Garder cette fiche #{world.person.pk}").click()
    expect(page.locator("h1")).to_have_text("Confirmer la fusion")
    assert Person.objects.get(pk=twin.pk).merged_into_id is None
    page.get_by_role("button", name="Fusionner").click()
    expect(page.locator(".messages")).to_contain_text("Personnes fusionnées")
    expect(page.locator("h1")).to_have_text("Fictive Tremblay-Test")
    assert Person.objects.get(pk=twin.pk).merged_into_id == world.person.pk
    assert page.goto(f"{page.base_url}/personnes/{twin.pk}/").status == 404


def test_the_households_pages(page, login, shot, world):  # noqa: F811
    son, _count = people.person_register(actor=world.office_worker, first_name="Fiston", last_name="Tremblay-Test",
                                         building_id=world.building.pk)
    login(world.office_worker, f"/personnes/{world.person.pk}/")
    page.get_by_role("link", name="Créer un ménage").click()
    page.get_by_role("button", name="Créer le ménage").click()
    expect(page.locator(".messages")).to_contain_text("Ménage créé.")
    page.fill("input[name=q]", "Fiston")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="Ajouter Fiston Tremblay-Test").click()
    expect(page.locator(".household-members")).to_contain_text("Fiston Tremblay-Test")
    expect(page.locator(".household-members")).to_contain_text("Fictive Tremblay-Test")
    household = Household.objects.get()
    assert set(household.members.values_list("pk", flat=True)) == {world.person.pk, son.pk}
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("household-390")
    page.goto(f"{page.base_url}/personnes/{son.pk}/")
    expect(page.locator("main")).to_contain_text(f"Ménage #{household.pk}")
