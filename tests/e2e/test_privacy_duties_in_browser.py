"""The privacy law's duties in the browser: the privacy officer produces a person's complete file and
keeps the incident register; a researcher downloads the research export, its small cells hidden."""

from __future__ import annotations

import csv
import datetime
import io
import json

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from tests.people.world import consent, intervention, world  # noqa: F401 - the fixture
from toitcommun.access.models import Role
from toitcommun.people.models import AccessLogEntry, ConfidentialityIncident


def test_the_officer_exports_a_file_and_keeps_the_incident_register(page, login, shot, world):  # noqa: F811
    consent(world)
    intervention(world, summary="Accueil dans le logement (test)", notes="Note privée (test)")
    officer = RoleFactory(user=UserFactory(username="rprp-navigateur"), role=Role.PRIVACY_OFFICER,
                          organization=world.office).user
    page.set_viewport_size({"width": 390, "height": 844})
    login(officer, "/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Demandes d'accès").click()
    page.fill("#file-person", str(world.person.pk))
    page.get_by_role("button", name="Produire le dossier complet").click()
    expect(page.locator("h1")).to_have_text("Dossier complet d'une personne")
    main = page.locator("main")
    expect(main).to_contain_text("Tremblay-Test")
    expect(main).to_contain_text("Note privée (test)")
    expect(main).to_contain_text("Entraide Fictive (test)")  # the consent's receivers
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("person-file-officer-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en JSON").click()
    assert download.value.suggested_filename == f"dossier-personne-{world.person.pk}.json"
    data = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["person"]["last_name"] == "Tremblay-Test" and data["interventions"][0]["notes"] == "Note privée (test)"
    actions = set(AccessLogEntry.objects.filter(user=officer).values_list("action", flat=True))
    assert {"print", "export"} <= actions

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base_url + "/personnes/incidents/")
    page.get_by_role("link", name="Inscrire un incident").click()
    today = timezone.localdate()
    page.fill("input[name=occurred_on]", str(today - datetime.timedelta(days=3)))
    page.fill("input[name=learned_on]", str(today))
    page.get_by_label("identité et coordonnées").check()
    page.fill("textarea[name=information_description]", "Noms et téléphones")
    page.fill("textarea[name=circumstances]", "Liste oubliée dans une salle commune")
    page.fill("input[name=persons_affected]", "4")
    page.select_option("select[name=injury_risk]", "not_serious")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Incident inscrit au registre.")
    page.get_by_role("link", name="Registre des incidents de confidentialité").click()
    expect(page.locator("table")).to_contain_text("pas de risque de préjudice sérieux")
    shot("incident-register")
    assert ConfidentialityIncident.objects.get().persons_affected == 4


def test_the_researcher_downloads_the_export_with_small_cells_hidden(page, login, shot, world):  # noqa: F811
    year = timezone.localdate().year - 1
    for day in range(6):
        intervention(world, category="welcome", date=datetime.date(year, 5, 1 + day))
    intervention(world, category="crisis", date=datetime.date(year, 5, 20))
    login(world.researcher, "/")
    page.get_by_role("link", name="Données de recherche").click()
    page.select_option("#research-year", str(year))
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("table.research").first).to_contain_text("< 5")
    shot("research-tables")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    assert download.value.suggested_filename == f"toitcommun-recherche-{year}.csv"
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
    values = [r[3] for r in rows[1:]]
    assert "< 5" in values and "7" in values  # the year's total is shown
    assert not {"1", "2", "3", "4"} & set(values)
    assert not any("Tremblay" in cell or "555" in cell for row in rows for cell in row)
