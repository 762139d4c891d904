"""The regional coordinator keeps the search's synonyms; a tenant's own words then find the service."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role


def test_coordinator_adds_a_synonym_group_and_the_next_search_uses_it(page, login, shot):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(f"{page.base_url}/repertoire/?q=friperie")
    expect(page.locator("#results-count")).to_contain_text("Aucun service trouvé")

    coordinator = RoleFactory(user=UserFactory(username="coord-syn"), role=Role.REGIONAL_COORDINATOR,
                              territory_code="12").user
    login(coordinator, "/repertoire/gestion/")
    page.click("#edit-synonyms")
    expect(page.locator("#synonym-groups")).to_contain_text("banque alimentaire")
    page.fill("#synonym-form textarea[name=expressions]", "friperie")
    page.click("#synonym-form button.primary")
    expect(page.locator("#synonym-form")).to_contain_text("au moins deux expressions")
    page.fill("#synonym-form textarea[name=expressions]", "friperie\nvestiaire\nbudget")
    page.click("#synonym-form button.primary")
    group = page.locator("#synonym-groups li", has_text="friperie")
    expect(group).to_contain_text("vestiaire")
    shot("directory-synonyms")

    page.goto(f"{page.base_url}/repertoire/?q=friperie")
    expect(page.locator("#service-list")).to_contain_text("Consultation budgétaire")

    page.goto(f"{page.base_url}/repertoire/gestion/synonymes/")
    page.locator("#synonym-groups li", has_text="friperie").get_by_role("link", name="Modifier").click()
    page.fill("#synonym-form textarea[name=expressions]", "friperie\nvestiaire")
    page.click("#synonym-form button.primary")
    expect(page.locator("#synonym-groups li", has_text="friperie")).not_to_contain_text("budget")
    page.locator("#synonym-groups li", has_text="friperie").get_by_role("link", name="Modifier").click()
    page.click("#synonym-delete button")
    expect(page.locator("#synonym-groups")).not_to_contain_text("friperie")


def test_a_search_that_no_service_answers_in_full_shows_the_closest_and_says_so(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(f"{page.base_url}/repertoire/?q=dépannage+alimentaire+pour+mon+chat")
    expect(page.locator("#search-loose")).to_contain_text("voici les plus proches")
    expect(page.locator("#service-list li").first).to_contain_text("Dépannage alimentaire")
    page.goto(f"{page.base_url}/repertoire/?q=Épicerie+solidaire+Cœur-des-Appalaches")
    expect(page.locator("#service-list li").first).to_contain_text("Épicerie solidaire Cœur-des-Appalaches")
    expect(page.locator("#search-loose")).to_have_count(0)
