"""Wide lists on a phone: the directory's staff list becomes one card per service, its button in reach."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role


def test_staff_list_is_one_card_per_service_on_a_phone(page, login, shot):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    worker = RoleFactory(user=UserFactory(username="tp-cartes"), role=Role.WORKER, territory_code="12").user
    page.set_viewport_size({"width": 390, "height": 844})
    login(worker, "/repertoire/gestion/")
    first = page.locator("#services tbody tr").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(first.locator("td[data-label]").first).to_be_visible()
    assert first.locator("td[data-label='Statut']").evaluate(
        "td => getComputedStyle(td, '::before').content") == '"Statut : "'
    button = first.get_by_role("button", name="Marquer comme vérifié")
    if button.count():
        right = button.bounding_box()
        assert right["x"] + right["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    shot("directory-staff-list-phone-cards")
