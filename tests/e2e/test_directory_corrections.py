"""A worker proposes a correction to a service; the provider's staff accept it. Screenshots in test-artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, municipality
from toitcommun.access.models import Role
from toitcommun.directory.models import Correction, CorrectionState, Phone, Service


def test_a_worker_proposes_a_new_phone_and_the_staff_accept_it(page, login, shot):
    office = OrganizationFactory(name="OMH de Thetford Mines (essai)", municipality=municipality("31084"))
    provider = DirectoryOrganizationFactory(name="OMH de Thetford Mines", organization=office)
    service = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(service, "31084", "Thetford Mines")
    Phone.objects.create(service=service, number="418 555-0101", type="voice")
    worker = RoleFactory(user=UserFactory(username="tp-omh"), role=Role.WORKER, organization=office).user
    staff = RoleFactory(user=UserFactory(username="staff-omh"), role=Role.ORGANIZATION_STAFF, organization=office).user

    login(worker, "/repertoire/gestion/")
    page.locator(f"#service-{service.pk}").get_by_role("link", name="Proposer une correction").click()
    expect(page.locator("h1")).to_have_text("Proposer une correction : Soutien aux locataires")
    expect(page.locator("#how-corrections-work")).to_contain_text("accepte la proposition")
    page.fill("input[name=phone]", "418 555-0199")
    page.fill("textarea[name=note]", "Le numéro a changé en janvier.")
    shot("directory-correction-propose")
    page.click("#propose-button")
    expect(page.locator(".messages")).to_contain_text("Proposition envoyée")
    expect(page.locator("#my-corrections [data-state=pending]")).to_contain_text("418 555-0199")
    shot("directory-correction-sent")

    page.context.clear_cookies()
    login(staff, "/repertoire/gestion/")
    expect(page.locator("#corrections-waiting")).to_have_text("1 à décider")
    page.click("#corrections-link")
    proposal = page.locator("#corrections-to-decide article.correction")
    expect(proposal).to_contain_text("Le numéro a changé en janvier.")
    expect(proposal.locator("tbody tr")).to_have_text(["Téléphone 418 555-0101 418 555-0199"], use_inner_text=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("directory-correction-to-decide-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    proposal.get_by_role("button", name="Appliquer les champs cochés").click()
    expect(page.locator(".messages")).to_contain_text("Correction acceptée : le service est modifié.")

    assert Correction.objects.get().state == CorrectionState.ACCEPTED
    assert Service.objects.get(pk=service.pk).phones.get().number == "418 555-0199"

    page.context.clear_cookies()
    login(worker, "/repertoire/gestion/corrections/")
    expect(page.locator("#my-corrections [data-state=accepted]")).to_contain_text("Acceptée")
    shot("directory-correction-accepted")
