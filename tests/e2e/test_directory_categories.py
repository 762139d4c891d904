"""The regional coordinator keeps the directory's categories."""

from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role


def test_coordinator_adds_and_renames_a_category(page, login, shot):
    coordinator = RoleFactory(user=UserFactory(username="coord-cat"), role=Role.REGIONAL_COORDINATOR,
                              territory_code="12").user
    login(coordinator, "/repertoire/gestion/categories/")
    expect(page.locator("#categories")).to_contain_text("Alimentation")
    page.fill("#category-form input[name=code]", "clothing")
    page.fill("#category-form input[name=name]", "Vêtements")
    page.fill("#category-form input[name=name_en]", "Clothing")
    page.fill("#category-form textarea[name=description]", "Comptoirs vestimentaires et friperies.")
    page.click("#category-form button.primary")
    expect(page.locator("#categories")).to_contain_text("Vêtements")
    page.locator("#categories tr", has_text="Vêtements").locator("a").click()
    page.fill("#category-form input[name=name]", "Vêtements et friperies")
    page.click("#category-form button.primary")
    expect(page.locator("#categories")).to_contain_text("Vêtements et friperies")
    shot("directory-categories")
