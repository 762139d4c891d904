"""Each page, as a person sees it in Chromium. Screenshots land in test-artifacts/screenshots/."""

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import BuildingFactory, RoleFactory, UnitGroupFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.housing.models import AvailabilitySnapshot, Building
from toitcommun.organizations.models import Organization

DATA = Path(__file__).resolve().parents[2] / "data" / "examples"


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def figure(page, name: str) -> str:
    return page.inner_text(f'[data-figure="{name}"] .figure').replace("\u202f", "").replace("\xa0", "").strip()


def test_worker_logs_in_and_reads_available_housing_of_the_mrc_and_of_thetford(page, login, shot):
    load_demo()
    worker = RoleFactory(user=UserFactory(username="tp-appalaches"), role=Role.WORKER).user
    login(worker, "/logement/disponibles/310/?date=2016-01-01")
    assert page.inner_text("h1") == "Logements disponibles · Les Appalaches"
    assert figure(page, "units_total") == "191"
    assert figure(page, "sites") == "11"
    assert figure(page, "adapted_units") == "2"
    seniors = page.locator('#crosstab tr[data-clientele="seniors"] td[data-col="units"]').inner_text()
    families = page.locator('#crosstab tr[data-clientele="families"] td[data-col="units"]').inner_text()
    singles = page.locator('#crosstab tr[data-clientele="singles"] td[data-col="units"]').inner_text()
    assert (seniors, families, singles) == ("106", "73", "12")
    assert page.locator("#availability tbody tr").count() == 11
    # The tiles cannot load here: the map gives way to the table and says so.
    page.wait_for_selector("#site-map-note:not([hidden])", timeout=10000)
    assert page.locator("#vacancy-chart[data-state=ready]").count() == 1
    shot("available-mrc-appalaches")

    page.click("#children >> text=Thetford Mines")
    page.wait_for_load_state("networkidle")
    assert "Thetford Mines" in page.inner_text("h1")
    assert figure(page, "units_total") == "191"
    vacant = int(figure(page, "vacant_units"))
    assert vacant == sum(s.vacant_units for s in AvailabilitySnapshot.objects.filter(
        building__municipality__code="31084", as_of="2015-12-31"))
    shot("available-thetford-mines")


def test_export_links_download_spreadsheets(page, login):
    load_demo()
    with page.expect_download() as download:
        page.goto(f"{page.base_url}/logement/disponibles/31084/?date=2016-01-01")
        page.click("text=Exporter Excel")
    assert download.value.suggested_filename == "logements-disponibles-31084-2016-01-01.xlsx"


def test_stock_page_and_building_page(page, shot):
    load_demo()
    page.goto(f"{page.base_url}/logement/parc/31084/")
    assert page.locator("#buildings tbody tr").count() == 11
    shot("stock-thetford")
    page.click("text=Résidence Saint-Alphonse")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1").startswith("Résidence Saint-Alphonse")
    assert "32" in page.inner_text("#unit-groups")
    shot("building")


def test_staff_edit_a_building_and_meet_a_conflict(page, login, shot):
    load_demo()
    staff = UserFactory(username="staff-omh")
    RoleFactory(user=staff, role=Role.ORGANIZATION_STAFF,
                organization=Organization.objects.get(name="Office municipal d'habitation de Thetford Mines"))
    building = Building.objects.get(name="Habitations Dumais")
    login(staff, f"/logement/immeubles/{building.pk}/modifier/")
    page.fill("input[name=address]", "312, rue Dumais")
    # Meanwhile somebody else saves the same building.
    Building.objects.filter(pk=building.pk).update(address="314, rue Dumais", version=building.version + 1)
    page.click("button.primary")
    page.wait_for_selector("#version-conflict")
    assert page.input_value("input[name=address]") == "312, rue Dumais"
    assert "314, rue Dumais" in page.inner_text("#version-conflict")
    shot("building-conflict")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert Building.objects.get(pk=building.pk).address == "312, rue Dumais"


def test_worker_reports_vacancies(page, login):
    load_demo()
    tech = UserFactory(username="tech")
    RoleFactory(user=tech, role=Role.WORKER,
                organization=Organization.objects.get(name="Office municipal d'habitation de Thetford Mines"))
    building = Building.objects.get(name="Habitations Dumais")
    login(tech, f"/logement/immeubles/{building.pk}/disponibilites/")
    page.fill("input[name=as_of]", "2016-02-29")
    page.fill("input[name=vacant_units]", "99")
    page.fill("input[name=waiting_list]", "8")
    page.click("button.primary")
    assert "pas plus de vacants" in page.inner_text(".errorlist")
    page.fill("input[name=vacant_units]", "2")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "2016-02-29" in page.inner_text("#snapshots")


def test_import_page_shows_row_errors_then_imports(page, login, shot, tmp_path):
    staff = RoleFactory(user=UserFactory(username="coord"), role=Role.REGIONAL_COORDINATOR, territory_code="12").user
    login(staff, "/logement/importer/")
    bad = tmp_path / "mauvais.csv"
    bad.write_text("organization,municipality_code,site,address,tenure,form,clientele,units,adapted_units,bedrooms\n"
                   "OMH Test,99999,Site A,1 rue A,hlm,multi_unit,seniors,dix,0,1\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button.primary")
    page.wait_for_selector("#import-errors")
    text = page.inner_text("#import-errors")
    assert "99999" in text or "municipality_code" in text
    assert "units" in text
    shot("import-errors")
    assert not Building.objects.exists()
    page.set_input_files("input[type=file]", str(DATA / "housing_example.csv"))
    page.click("button.primary")
    page.wait_for_selector("#import-summary")
    assert Building.objects.exists()
    shot("import-summary")


def test_organizations_pages(page, login, shot):
    load_demo()
    page.goto(f"{page.base_url}/organisations/?territory=310")
    page.wait_for_load_state("networkidle")
    assert "CDC des Appalaches" in page.inner_text("#org-results")
    page.fill("#org-q", "acef")
    expect(page.locator("#org-results tbody tr")).to_have_count(1)
    shot("organizations")
    page.click("#org-results >> text=ACEF Appalaches-Beauce-Etchemin")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "ACEF Appalaches-Beauce-Etchemin"
    admin = UserFactory(username="admin-e2e", is_superuser=True)
    login(admin, "/organisations/nouvelle/")
    page.fill("input[name=name]", "Maison des jeunes de Thetford")
    page.click("button.primary")
    assert "Ce champ est obligatoire." in page.inner_text("main form.card")
    assert page.input_value("input[name=name]") == "Maison des jeunes de Thetford"
    page.select_option("select[name=kind]", "community_organization")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "Maison des jeunes de Thetford"
    page.click("text=Modifier")
    page.fill("input[name=phone]", "418 338-0000")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "418 338-0000" in page.inner_text("dl.facts")


def test_territory_search_finds_former_names(page, shot):
    page.goto(f"{page.base_url}/territoires/")
    page.fill("#territory-q", "Robert-Cliche")
    page.wait_for_selector("#territory-results >> text=Beauce-Centre")
    shot("territories")
    page.click("#territory-results >> text=Beauce-Centre")
    page.wait_for_load_state("networkidle")
    assert "Beauce-Centre" in page.inner_text("h1")
    assert "Saint-Joseph-de-Beauce" in page.inner_text("main")


def test_home_and_language_switch(page):
    page.goto(f"{page.base_url}/")
    assert page.inner_text("h1") == "Toit commun"
    page.click("header a.lang[lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    nav = page.inner_text("header nav")
    assert "Available housing" in nav and "Logements disponibles" not in nav


def test_administrator_browses_the_audit_log(page, login, shot):
    load_demo()
    admin = UserFactory(username="admin-audit", is_superuser=True)
    BuildingFactory.reset_sequence()
    building = BuildingFactory(name="Site audité")
    UnitGroupFactory(building=building)
    from toitcommun.housing.services import building_update
    building_update(actor=admin, building_id=building.pk, version=1, data={"address": "9, rue Audit"})
    login(admin, "/comptes/audit/")
    page.select_option("select[name=action]", "building.update")
    expect(page.locator("#audit-results .audit-event")).to_have_count(1)
    event = page.inner_text("#audit-results .audit-event")
    assert "a modifié l'immeuble « Site audité » :" in event
    assert "adresse : " in event and "→ 9, rue Audit" in event
    shot("audit")
    # Dates the wrong way round: refused in the form, what was typed kept, nothing listed.
    page.fill("input[name=since]", "2025-10-23")
    page.fill("input[name=until]", "2025-10-01")
    page.click("form.toolbar button.primary")
    expect(page.locator("#audit-filter-errors [role=alert]")).to_contain_text("précède « Depuis le »")
    assert page.input_value("input[name=since]") == "2025-10-23"
    assert page.locator("#audit-results .audit-event").count() == 0
    shot("audit-refused-filter")
    # On a phone: no sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/comptes/audit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shot("audit-390").with_name("audit-390-first-screen.png")))


def test_lockout_after_failed_logins(page, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(username="victim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{page.base_url}/comptes/connexion/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "wrong-password-123")
        page.click("button.primary")
    assert "verrouillé" in page.inner_text("main")


# A 1×1 PNG stands in for the map tiles, which a test may not fetch from outside.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201e2277a8b0000000049454e44ae426082"
)


def test_map_shows_every_site_when_tiles_load(page, shot):
    load_demo()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(body=TILE, content_type="image/png"))
    page.goto(f"{page.base_url}/logement/disponibles/31084/")
    page.wait_for_selector("#site-map[data-state=ready]")
    assert page.locator("#site-map path.leaflet-interactive").count() == 11
    assert page.locator("#site-map-note").is_hidden()
    shot("map-thetford")


def test_staff_add_a_building_then_a_person(page, login, shot):
    load_demo()
    office = Organization.objects.get(name="Office municipal d'habitation de Thetford Mines")
    staff = UserFactory(username="staff-new")
    RoleFactory(user=staff, role=Role.ORGANIZATION_STAFF, organization=office)
    login(staff, "/logement/immeubles/nouveau/")
    page.fill("input[name=name]", "Habitations du Carré Saint-Maurice")
    page.select_option("select[name=organization]", str(office.pk))
    page.click("button.primary")
    assert "Ce champ est obligatoire." in page.inner_text("main form.card")
    assert page.input_value("input[name=name]") == "Habitations du Carré Saint-Maurice"
    page.wait_for_selector("[data-combobox][data-ready]", state="attached")
    page.locator("#id_municipality").press_sequentially("Thetford")
    page.locator("#id_municipality_listbox [role=option]", has_text="Thetford Mines").first.click()
    page.fill("input[name=address]", "200, rue Saint-Maurice")
    page.select_option("select[name=tenure]", "hlm")
    page.select_option("select[name=form]", "multi_unit")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1").startswith("Habitations du Carré Saint-Maurice")
    shot("building-created")

    page.goto(f"{page.base_url}/organisations/{office.pk}/")
    page.click("summary")
    page.fill("#people input[name=full_name]", "Nadia Fortin")
    page.fill("#people input[name=title]", "Organisatrice communautaire (OC)")
    page.click("#people button.primary")
    expect(page.locator("#memberships")).to_contain_text("Nadia Fortin")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#memberships tr", has_text="Nadia Fortin").locator("button").click()
    expect(page.locator("#people")).not_to_contain_text("Nadia Fortin")
    shot("organization-people")
