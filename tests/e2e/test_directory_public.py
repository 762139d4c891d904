"""The public directory in Chromium, as a tenant uses it. Screenshots land in test-artifacts/screenshots/."""

import datetime
import re

from playwright.sync_api import expect

from tests.directory.factories import DirectoryOrganizationFactory
from tests.e2e.conftest import SHOTS
from toitcommun.directory.models import (
    Address,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from toitcommun.directory.search import index_services
from toitcommun.directory.taxonomy_seed import term_id
from toitcommun.territory.models import Municipality


def place(provider, code, name, address, lat, lng):
    location = Location.objects.create(directory_organization=provider, name=name, latitude=lat, longitude=lng,
                                       municipality=Municipality.objects.get(code=code))
    Address.objects.create(location=location, address_1=address, city=location.municipality.name,
                           postal_code="G6G 1A1")
    return location


def directory_world():
    """A food bank serving the MRC des Appalaches, a budget service in Lévis, and enough others to page."""
    provider = DirectoryOrganizationFactory(
        name="Comptoir alimentaire des Appalaches", description="Sécurité alimentaire dans la MRC.",
        website="https://comptoir.example")
    food = Service.objects.create(
        directory_organization=provider, name="Dépannage alimentaire",
        description="Aide alimentaire d'urgence : paniers d'épicerie pour les personnes et les familles "
                    "qui manquent de nourriture.",
        eligibility_description="Personnes et familles à faible revenu de la MRC des Appalaches.",
        fees_description="Contribution volontaire de 2 $ par panier.",
        application_process="Appelez pour prendre rendez-vous; apportez une preuve d'adresse et de revenu.",
        clienteles=["families", "singles", "seniors"], last_verified_on=datetime.date(2026, 10, 1),
        verified_by_label="Table régionale des ressources")
    food.categories.add(term_id("category", "food"))
    ServiceArea.objects.create(service=food, territory_code="310", name="MRC des Appalaches")
    location = place(provider, "31084", "Comptoir de Thetford Mines", "217, rue Notre-Dame Est",
                     "46.0963", "-71.3025")
    ServiceAtLocation.objects.create(service=food, location=location)
    Phone.objects.create(service=food, number="418 555-0142")
    Language.objects.create(service=food, name="Français", code="fr")
    for opens, closes in ((datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(16, 30))):
        Schedule.objects.create(service=food, byday="MO,TU,WE,TH", opens_at=opens, closes_at=closes)
    Schedule.objects.create(service=food, byday="FR", opens_at=datetime.time(9), closes_at=datetime.time(12))

    budget_org = DirectoryOrganizationFactory(name="ACEF Rive-Sud (test)", description="Budget.")
    budget = Service.objects.create(directory_organization=budget_org, name="Consultation budgétaire",
                                    description="Aide pour faire un budget et régler ses dettes.",
                                    clienteles=["seniors"])
    budget.categories.add(term_id("category", "budget_debt"))
    ServiceArea.objects.create(service=budget, territory_code="25213", name="Lévis")
    ServiceAtLocation.objects.create(service=budget, location=place(budget_org, "25213", "Bureau de Lévis",
                                                                     "5, rue Test", "46.80", "-71.18"))
    kitchens = [Service.objects.create(directory_organization=provider, name=f"Cuisine collective {n:02d}",
                                       description="Cuisiner ensemble, à petit prix.") for n in range(1, 24)]
    for kitchen in kitchens:
        kitchen.categories.add(term_id("category", "food"))
        ServiceAtLocation.objects.create(service=kitchen, location=location)
    index_services([food, budget, *kitchens])
    return food


def test_a_tenant_finds_food_aid_in_thetford_mines_and_prints_its_sheet(page, shot):
    food = directory_world()
    page.goto(f"{page.base_url}/")
    page.click("nav >> text=Trouver un service")
    expect(page.locator("h1")).to_have_text("Trouver un service")
    expect(page.locator("#results-count")).to_contain_text("25 services trouvés")
    shot("directory-search-all")

    page.fill("#q", "paniers")  # "aide alimentaire" now finds every food service (the thesaurus)
    expect(page.locator("#results-count")).to_contain_text("1 service trouvé")
    # The place field suggests municipalities and MRCs as the person types.
    page.wait_for_selector("#directory-search [data-combobox][data-ready]", state="attached")
    page.locator("#territory").press_sequentially("Thetf", delay=40)
    options = page.locator("#territory_listbox [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Thetford Mines")
    expect(options.first).to_contain_text("Municipalité · Les Appalaches")
    page.fill("#territory", "Thetford Mines")
    page.press("#territory", "Tab")
    expect(page.locator("#results-count")).to_contain_text("pour Thetford Mines (Municipalité)")
    results = page.locator("#service-list > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Dépannage alimentaire")
    expect(results.first).to_contain_text("Comptoir alimentaire des Appalaches")
    expect(results.first).to_contain_text("217, rue Notre-Dame Est, Thetford Mines")
    expect(results.first.locator("a[href^='tel:']")).to_have_text("418 555-0142")
    assert re.search(r"q=paniers.*territory=Thetford(\+|%20)Mines", page.url)  # the address bar follows
    # The tiles cannot load here: the map says so, the list stays.
    expect(page.locator("#site-map")).to_have_attribute("data-markers", "1")
    expect(page.locator("#site-map-note")).to_be_visible(timeout=10000)
    expect(page.locator("#site-map-note")).to_contain_text("les services sont dans la liste")
    shot("directory-search-thetford")

    page.click("#service-list >> text=Dépannage alimentaire")
    expect(page.locator("h1")).to_contain_text("Dépannage alimentaire")
    hours = page.locator("#hours li")
    expect(hours).to_have_count(2)
    expect(hours.nth(0)).to_contain_text("du lundi au jeudi, de 9 h à 12 h et de 13 h à 16 h 30", ignore_case=True)
    expect(hours.nth(1)).to_contain_text("le vendredi, de 9 h à 12 h", ignore_case=True)
    expect(page.locator("#reach a[href='tel:4185550142']")).to_have_text("418 555-0142")
    expect(page.locator("#service-areas")).to_contain_text("MRC des Appalaches")
    # Who verified may be a person's name: an anonymous reader gets the date only.
    expect(page.locator("#verified")).to_have_text("Renseignements vérifiés le 1er octobre 2026.")
    shot("directory-service")

    page.add_init_script("window.print = () => { document.body.dataset.printed = 'yes'; };")
    page.click("text=Imprimer la fiche")
    expect(page).to_have_url(re.compile(rf"/repertoire/services/{food.pk}/fiche/$"))
    button = page.locator("#print-button")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    shot("directory-sheet")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    expect(button).to_be_hidden()
    expect(page.locator(".sheet")).to_contain_text("Contribution volontaire de 2 $ par panier.")
    shot("directory-sheet-print")
    pdf = page.pdf(path=str(SHOTS / "directory-sheet.pdf"), format="A4", print_background=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one sheet of paper


def test_search_errors_pages_and_filters_live(page, shot):
    directory_world()
    page.goto(f"{page.base_url}/repertoire/")
    page.fill("#territory", "Atlantide")
    page.press("#territory", "Enter")
    expect(page.locator("#search-errors")).to_contain_text("Territoire inconnu : Atlantide.")
    expect(page.locator("#territory")).to_have_value("Atlantide")
    shot("directory-search-error")

    page.fill("#territory", "")
    page.select_option("#category", "food")
    expect(page.locator("#results-count")).to_contain_text("24 services trouvés")
    expect(page.locator("#service-list > li")).to_have_count(20)
    page.wait_for_load_state("networkidle")
    page.click("nav.pagination >> text=Suivants")
    expect(page.locator("#service-list > li")).to_have_count(4)
    expect(page.locator("#results-count")).to_contain_text("page 2 de 2")

    page.select_option("#clientele", "seniors")
    expect(page.locator("#results-count")).to_contain_text("1 service trouvé")
    page.select_option("#category", "")
    expect(page.locator("#results-count")).to_contain_text("2 services trouvés")

    page.fill("#q", "parachutisme")
    expect(page.locator("#empty-state")).to_contain_text("Aucun service ne correspond à votre recherche.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#q", "")
    expect(page.locator("#results-count")).to_contain_text("2 services trouvés")
    shot("directory-search-phone")


# A 1×1 PNG stands in for the map tiles, which a test may not fetch from outside.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201e2277a8b0000000049454e44ae426082"
)


def test_the_map_follows_the_live_results_when_tiles_load(page, shot):
    food = directory_world()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(body=TILE, content_type="image/png"))
    page.goto(f"{page.base_url}/repertoire/?category=budget_debt")
    expect(page.locator("#site-map")).to_have_attribute("data-state", "ready")
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)

    # Each live search is waited for: a search typed while the last one is still on its way replaces it
    # (hx-sync), and the history would then hold one step fewer than the going back below expects.
    page.select_option("#category", "food")
    expect(page).to_have_url(re.compile(r"category=food"))
    page.fill("#q", "paniers")
    expect(page).to_have_url(re.compile(r"q=paniers"))
    expect(page.locator("#service-list > li")).to_have_count(1)
    expect(page.locator("#service-list")).to_contain_text("Dépannage alimentaire")
    expect(page.locator("#site-map")).to_have_attribute("data-state", "ready")
    marker = page.locator("#site-map path.leaflet-interactive")
    expect(marker).to_have_count(1)
    expect(page.locator("#site-map-note")).to_be_hidden()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Thetford Mines · Comptoir alimentaire des Appalaches")
    shot("directory-search-map")
    if not popup.is_visible():  # a full-page screenshot resizes the page, and Leaflet closes its popup
        marker.click()
    popup.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/repertoire/services/{food.pk}/$"))
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)

    # Back to the results, then back through the live searches: the map is drawn again each time.
    page.go_back()
    expect(page.locator("#service-list > li")).to_have_count(1)
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)
    page.go_back()
    page.go_back()
    expect(page.locator("#results-count")).to_contain_text("1 service trouvé")
    expect(page.locator("#service-list")).to_contain_text("Consultation budgétaire")
    expect(page.locator("#site-map")).to_have_attribute("data-state", "ready")
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)
