"""An anonymous visitor reports an error on a service's page; a coordinator finds it in "à vérifier" and closes it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, municipality
from toitcommun.access.models import AuditEvent, Role
from toitcommun.directory.models import Correction, CorrectionState


def test_an_anonymous_visitor_reports_an_error_and_a_coordinator_closes_it(page, login, shot):
    office = OrganizationFactory(name="OMH de Thetford Mines (essai)", municipality=municipality("31084"))
    provider = DirectoryOrganizationFactory(name="OMH de Thetford Mines", organization=office)
    service = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(service, "31084", "Thetford Mines")
    coordinator = RoleFactory(user=UserFactory(username="coord-essai"), role=Role.REGIONAL_COORDINATOR,
                              territory_code="12").user

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/repertoire/services/{service.pk}/")
    page.get_by_role("link", name="Signaler une erreur").click()
    expect(page.locator("h1")).to_have_text("Signaler une erreur")
    page.get_by_label("Qu'est-ce qui est inexact ?").fill("Le bureau a déménagé au 200, rue Fictive.")
    page.get_by_label("Pour vous joindre (facultatif)").fill("418 555-0142")
    expect(page.locator("#id_website")).not_to_be_in_viewport()  # the spam trap is out of sight
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("directory-report-form-390")
    page.click("#send-report")
    expect(page.locator(".messages")).to_contain_text("Merci ! Votre signalement est transmis")
    expect(page.locator("#service-name")).to_contain_text("Soutien aux locataires")

    report = Correction.objects.get()
    assert (report.proposed_by, report.reporter_contact) == (None, "418 555-0142")

    page.set_viewport_size({"width": 1280, "height": 900})
    login(coordinator, "/repertoire/gestion/")
    page.get_by_label("À vérifier seulement").check()
    row = page.locator(f"#report-{report.pk}")
    expect(row).to_contain_text("Le bureau a déménagé au 200, rue Fictive.")
    expect(row).to_contain_text("418 555-0142")
    expect(page.locator(f"#service-{service.pk}")).to_contain_text("1 erreur signalée")
    shot("directory-report-to-verify")
    row.get_by_role("button", name="Corrigé").click()
    expect(page.locator(".messages")).to_contain_text("Signalement traité")
    expect(page.locator(f"#report-{report.pk}")).to_have_count(0)

    report.refresh_from_db()
    assert (report.state, report.decided_by) == (CorrectionState.ACCEPTED, coordinator)
    assert AuditEvent.objects.filter(action="correction.report_fixed", actor=coordinator).count() == 1
