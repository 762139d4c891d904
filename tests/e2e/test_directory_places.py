"""The public search's place box in Chromium: a postal code typed, taken as its FSA, results sorted
by distance with kilometres; a misspelt place gets suggestions. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from toitcommun.directory.models import Location, ServiceAtLocation
from toitcommun.directory.search import index_services
from toitcommun.territory.models import Municipality


def at(service, code, lat, lng):
    location = Location.objects.create(directory_organization=service.directory_organization,
                                       name=f"Local de {service.name}", latitude=lat, longitude=lng,
                                       municipality=Municipality.objects.get(code=code))
    ServiceAtLocation.objects.create(service=service, location=location)


def three_services():
    provider = DirectoryOrganizationFactory(name="Organisme fictif des Appalaches (test)")
    near = ServiceFactory(directory_organization=provider, name="Zèbre entraide (près)")
    farther = ServiceFactory(directory_organization=provider, name="Abeille entraide (plus loin)")
    in_levis = ServiceFactory(directory_organization=provider, name="Castor entraide (Lévis)")
    for service, area in ((near, "310"), (farther, "310"), (in_levis, "12")):
        serve(service, area)
    at(near, "31084", "46.0950", "-71.3050")
    at(farther, "31084", "46.0450", "-71.3700")
    at(in_levis, "25213", "46.8000", "-71.1800")
    index_services([near, farther, in_levis])


def test_a_tenant_types_a_postal_code_and_sorts_by_distance(page, shot):
    three_services()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/repertoire/")
    page.wait_for_selector("#directory-search [data-combobox][data-ready]", state="attached")
    box = page.locator("#territory")
    box.press_sequentially("g6g1n1", delay=30)
    option = page.locator("#territory_listbox [role=option]")
    expect(option).to_have_count(1)
    expect(option.first).to_contain_text("G6G 1N1")
    expect(option.first).to_contain_text("Code postal · Thetford Mines")
    shot("directory-place-postal-code-suggested")
    box.press("Enter")
    expect(box).to_have_value("G6G 1N1")
    expect(page.locator("#place-note")).to_contain_text(
        "Code postal G6G 1N1 pris comme sa région de tri G6G (Thetford Mines), dans la municipalité de Thetford Mines.")
    names = page.locator("#service-list .service-name a")
    expect(names).to_have_count(3)
    expect(names.first).to_have_text("Abeille entraide (plus loin)")  # relevance: name order with no words

    page.select_option("#sort", "distance")
    expect(names.first).to_have_text("Zèbre entraide (près)")
    expect(names).to_have_text(["Zèbre entraide (près)", "Abeille entraide (plus loin)", "Castor entraide (Lévis)"])
    distances = page.locator("#service-list .distance")
    expect(distances).to_have_text(["à 0,1 km", "à 7,4 km", "à 79,1 km"])
    assert "sort=distance" in page.url and "territory=G6G" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll on a phone
    shot("directory-place-sorted-by-distance")


def test_a_misspelt_place_is_read_as_the_closest_name_or_offers_the_places_meant(page, shot):
    three_services()
    page.goto(f"{page.base_url}/repertoire/")
    # Sent with the button: Enter would choose the one suggestion if the list were already open.
    page.fill("#territory", "Thetfort")
    page.click("#directory-search button[type=submit]")
    expect(page.locator("#place-note")).to_contain_text(
        "Aucun lieu ne s'appelle « Thetfort » : résultats pour Thetford Mines (Municipalité), le nom le plus proche.")
    expect(page.locator("#service-list > li")).to_have_count(3)
    shot("directory-place-typo-taken")

    page.fill("#territory", "Rimousky")
    page.click("#directory-search button[type=submit]")
    expect(page.locator("#search-errors")).to_contain_text("Territoire inconnu : Rimousky.")
    suggestion = page.locator("#search-errors .candidates a").first
    expect(suggestion).to_have_text("Rimouski")
    shot("directory-place-typo")
    suggestion.click()
    expect(page.locator("#results-count")).to_contain_text("pour Rimouski (Municipalité)")
