"""Choosing territories by name in Chromium: the combobox on the service form and the organization list."""

from __future__ import annotations

from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.directory.models import DirectoryOrganization, Service
from toitcommun.organizations.models import Organization

OMH = "Office municipal d'habitation de Thetford Mines"


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def staff_of_omh():
    org = Organization.objects.get(name=OMH)
    return RoleFactory(user=UserFactory(username="staff-omh"), role=Role.ORGANIZATION_STAFF, organization=org).user


def test_typing_thetfort_and_choosing_thetford_mines_places_the_service_there(page, login, shot):
    load_demo()
    provider = DirectoryOrganization.objects.get(organization__name=OMH)
    login(staff_of_omh(), "/repertoire/gestion/services/nouveau/")
    page.select_option("select[name=directory_organization]", str(provider.pk))
    page.fill("input[name=name]", "Friperie du quartier")
    page.fill("textarea[name=description]", "Vêtements à petit prix.")

    # Several territories: each chosen becomes a chip.
    areas = page.locator("#id_service_area_codes")
    page.wait_for_selector("[data-combobox][data-ready]", state="attached")
    areas.press_sequentially("robert cliche")
    expect(page.locator("#id_service_area_codes_listbox [role=option]").first).to_contain_text("Beauce-Centre")
    expect(page.locator("#id_service_area_codes_listbox [role=option]").first).to_contain_text("Robert-Cliche")
    page.locator("#id_service_area_codes_listbox [role=option]").first.click()
    areas.press_sequentially("Thetfort")
    options = page.locator("#id_service_area_codes_listbox [role=option]")
    expect(options.first).to_contain_text("Thetford Mines")
    areas.press("ArrowDown")
    expect(areas).to_have_attribute("aria-activedescendant", "id_service_area_codes_listbox-0")
    areas.press("Enter")
    expect(page.locator(".combobox-chips .chip")).to_have_count(2)
    assert page.input_value("#id_service_area_codes") == ""

    # One municipality: typed with a typo, chosen with the keyboard.
    town = page.locator("#id_municipality")
    town.press_sequentially("Thetfort")
    expect(town).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_municipality_listbox [role=option]").first).to_contain_text("Thetford Mines")
    shot("territory-combobox-suggestions")
    town.press("ArrowDown")
    town.press("Enter")
    assert page.input_value("#id_municipality") == "Thetford Mines"
    assert page.input_value("input[name=municipality_code]") == "31084"
    expect(town).to_have_attribute("aria-expanded", "false")
    page.fill("input[name=address_1]", "120, rue Notre-Dame Ouest")
    page.fill("input[name=postal_code]", "G6G 1J4")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")

    expect(page.locator(".messages")).to_contain_text("Service ajouté au répertoire.")
    service = Service.objects.get(name="Friperie du quartier")
    assert sorted(service.service_areas.values_list("territory_code", flat=True)) == ["270", "31084"]
    location = service.service_at_locations.get().location
    assert (location.municipality.code, location.position_is_approximate) == ("31084", True)
    # The edit page shows the choices again, by name.
    expect(page.locator(".combobox-chips .chip")).to_have_count(2)
    assert page.input_value("#id_municipality") == "Thetford Mines"

    page.goto(f"{page.base_url}/repertoire/services/{service.pk}/")
    expect(page.locator("#approximate-position")).to_contain_text("Position approximative")
    shot("territory-service-approximate-position")


def test_organization_list_filters_by_a_territory_chosen_by_name(page, shot):
    load_demo()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{page.base_url}/organisations/")
    box = page.locator("#org-territory")
    page.wait_for_selector("[data-combobox][data-ready]", state="attached")
    box.press_sequentially("Thetfort")
    expect(page.locator("#org-territory_listbox [role=option]").first).to_contain_text("Thetford Mines")
    # The box and its suggestions fit a phone's width (the table below is the responsive work's).
    overflowing = page.evaluate("""() => Array.from(document.querySelectorAll('[data-combobox], [data-combobox] *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth).length""")
    assert overflowing == 0
    shot("territory-combobox-390px")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#org-results")).to_contain_text("Territoire : Thetford Mines")
    names = page.locator("#org-results tbody tr td:first-child").all_inner_texts()
    assert OMH in " ".join(names)
    assert "Lévis" not in " ".join(names)
