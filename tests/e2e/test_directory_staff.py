"""The directory's staff pages in Chromium. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.directory.models import DirectoryOrganization, Service, ServiceStatus
from toitcommun.directory.selectors import services_to_verify
from toitcommun.organizations.models import Organization

OMH = "Office municipal d'habitation de Thetford Mines"


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def person(username: str, role: str, organization: str | None = None, territory_code: str = ""):
    org = Organization.objects.get(name=organization) if organization else None
    return RoleFactory(user=UserFactory(username=username), role=role, organization=org,
                       territory_code=territory_code).user


def omh_service() -> Service:
    return Service.objects.filter(directory_organization__organization__name=OMH).order_by("name").first()


def test_a_worker_finds_the_services_to_verify_and_verifies_one(page, login, shot):
    load_demo()
    worker = person("tp-omh", Role.WORKER, OMH)
    service = omh_service()
    Service.objects.filter(pk=service.pk).update(last_verified_on=timezone.localdate() - datetime.timedelta(days=800))
    login(worker, "/repertoire/gestion/")
    assert page.inner_text("h1") == "Gestion du répertoire"
    row = page.locator(f"#service-{service.pk}")
    expect(row.locator("[data-stale]")).to_have_text("à vérifier")

    page.check("#staff-to-verify")
    stale = services_to_verify().count()
    expect(page.locator("#services tbody tr")).to_have_count(stale)
    expect(page.locator("#services tbody tr [data-stale]")).to_have_count(stale)
    expect(row).to_be_visible()
    shot("directory-staff-to-verify")

    row.get_by_role("button", name="Marquer comme vérifié").click()
    expect(row).to_contain_text(timezone.localdate().isoformat())
    expect(row.locator("[data-stale]")).to_have_count(0)
    assert Service.objects.get(pk=service.pk).verified_by == worker
    # A worker verifies; only those who keep the directory change a service.
    expect(row.locator("a[href$='/modifier/']")).to_have_count(0)
    expect(row.get_by_role("link", name="Proposer une correction")).to_have_count(1)  # and proposes corrections
    expect(page.locator("#add-service")).to_have_count(0)
    shot("directory-staff-verified")

    page.fill("#staff-q", "zzz introuvable")
    expect(page.locator("#services tbody")).to_contain_text("Aucun service ne correspond.")


def test_staff_add_a_service_see_french_errors_then_save_it(page, login, shot):
    load_demo()
    staff = person("staff-omh", Role.ORGANIZATION_STAFF, OMH)
    provider = DirectoryOrganization.objects.get(organization__name=OMH)
    login(staff, "/repertoire/gestion/")
    page.click("#add-service")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "Ajouter un service"
    page.select_option("select[name=directory_organization]", str(provider.pk))
    page.fill("input[name=name]", "Aide aux déménagements")
    typed = "<script>alert('x')</script> Boîtes et bras pour le 1er juillet."
    page.fill("textarea[name=description]", typed)
    page.get_by_label("Logement").check()
    page.get_by_label("Familles").check()
    page.fill("#id_service_area_codes", "310, 99999")
    page.fill("input[name=address_1]", "555, rue Saint-Alphonse Sud")
    page.fill("#id_municipality", "Thetford Mines")  # typed in full, not chosen from the list
    page.fill("input[name=postal_code]", "123")
    page.fill("input[name=phone]", "555-01")
    page.fill("input[name=hours]", "lundi matin")
    page.click("#save-button")

    expect(page.locator("#form-errors")).to_be_visible()
    main = page.inner_text("#service-form")
    for message in ("Territoire inconnu : 99999.", "Entrez un code postal canadien",
                    "Entrez un numéro de téléphone à 10 chiffres", "Mot non compris : « matin »"):
        assert message in main, message
    assert page.input_value("input[name=name]") == "Aide aux déménagements"
    assert page.input_value("textarea[name=description]") == typed
    assert page.input_value("input[name=hours]") == "lundi matin"
    expect(page.get_by_label("Logement")).to_be_checked()
    shot("directory-service-errors")

    # 310 came back as a chip; the unknown code stays in the box to be corrected.
    expect(page.locator(".combobox-chips .chip")).to_have_count(1)
    assert page.input_value("#id_service_area_codes") == "99999"
    page.fill("#id_service_area_codes", "")
    page.fill("input[name=postal_code]", "g6g 3v9")
    page.fill("input[name=phone]", "418 555-0140 poste 2")
    page.fill("input[name=hours]", "LU-VE 9-12; SA 10-12")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")

    assert page.inner_text("h1") == "Modifier Aide aux déménagements"
    expect(page.locator(".messages")).to_contain_text("Service ajouté au répertoire.")
    assert page.input_value("input[name=hours]") == "LU-VE 09:00-12:00; SA 10:00-12:00"  # French readers see LU-VE
    assert page.input_value("input[name=postal_code]") == "G6G 3V9"
    assert page.input_value("textarea[name=description]") == typed  # kept as typed, shown as text
    shot("directory-service-created")
    assert Service.objects.get(name="Aide aux déménagements").description == typed


def test_two_people_edit_the_same_service_and_the_second_sees_what_changed(page, login, shot):
    load_demo()
    staff = person("staff-omh", Role.ORGANIZATION_STAFF, OMH)
    service = omh_service()
    login(staff, f"/repertoire/gestion/services/{service.pk}/modifier/")
    page.fill("input[name=alert]", "Bureau fermé le 24 juin.")
    # Meanwhile somebody else saves the same service.
    Service.objects.filter(pk=service.pk).update(alert="Bureau fermé le 1er juillet.", version=service.version + 1)
    page.click("#save-button")

    expect(page.locator("#version-conflict")).to_contain_text("Bureau fermé le 1er juillet.")
    assert page.input_value("input[name=alert]") == "Bureau fermé le 24 juin."
    shot("directory-service-conflict")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("Modifications enregistrées.")
    assert Service.objects.get(pk=service.pk).alert == "Bureau fermé le 24 juin."


def test_a_coordinator_retires_a_service_with_a_reason_then_restores_it(page, login, shot):
    load_demo()
    coordinator = person("coord-12", Role.REGIONAL_COORDINATOR, territory_code="12")
    service = omh_service()
    login(coordinator, f"/repertoire/gestion/services/{service.pk}/modifier/")
    page.click("#retire summary")
    page.click("#retire-button")
    expect(page.locator("#retire")).to_contain_text("Indiquez pourquoi ce service est retiré.")
    page.fill("input[name=reason]", "Le service a fermé en octobre.")
    page.click("#retire-button")
    page.wait_for_load_state("networkidle")

    expect(page.locator("#retired-notice")).to_be_visible()
    expect(page.locator("#save-button")).to_have_count(0)
    expect(page.locator("input[name=name]")).to_be_disabled()
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DEFUNCT
    shot("directory-service-retired")

    page.click("#restore-button")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("Service rétabli")
    expect(page.locator("#save-button")).to_be_visible()
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.ACTIVE


def test_a_coordinator_adds_a_provider_then_its_first_service(page, login, shot):
    load_demo()
    coordinator = person("coord-12", Role.REGIONAL_COORDINATOR, territory_code="12")
    login(coordinator, "/repertoire/gestion/")
    page.click("#add-organization")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=name]", "Maison de la famille des Appalaches")
    page.click("#organization-form button.primary")
    expect(page.locator("#organization-form")).to_contain_text("Ce champ est obligatoire.")
    assert page.input_value("input[name=name]") == "Maison de la famille des Appalaches"
    shot("directory-provider-errors")
    page.fill("textarea[name=description]", "Activités et soutien pour les familles.")
    page.select_option("select[name=kind]", "community_organization")
    page.wait_for_selector("[data-combobox][data-ready]", state="attached")
    page.locator("#id_municipality").press_sequentially("Thetford")
    page.locator("#id_municipality_listbox [role=option]").first.click()
    assert page.input_value("input[name=municipality_code]") == "31084"
    page.click("#organization-form button.primary")
    page.wait_for_load_state("networkidle")

    assert page.inner_text("h1") == "Ajouter un service"
    provider = DirectoryOrganization.objects.get(name="Maison de la famille des Appalaches")
    assert page.input_value("select[name=directory_organization]") == str(provider.pk)
    assert provider.organization.name == "Maison de la famille des Appalaches"  # now in the registry too
    shot("directory-provider-then-service")


def test_the_staff_pages_are_refused_to_a_researcher(page, login):
    researcher = person("chercheuse", Role.RESEARCHER)
    login(researcher, "/")
    response = page.goto(f"{page.base_url}/repertoire/gestion/")
    assert response is not None and response.status == 403


def test_hours_typed_as_on_a_poster_or_chosen_day_by_day(page, login, shot):
    load_demo()
    staff = person("staff-omh", Role.ORGANIZATION_STAFF, OMH)
    service = omh_service()
    page.set_viewport_size({"width": 390, "height": 900})
    login(staff, f"/repertoire/gestion/services/{service.pk}/modifier/")

    page.fill("input[name=hours]", "lun-ven 9h-12h, 13h-16h30")
    preview = page.locator("#id_hours-preview")
    expect(preview).to_contain_text("du lundi au vendredi, de 9\u00a0h à 12\u00a0h et de 13\u00a0h à 16\u00a0h\u00a030")

    page.get_by_text("Choisir jour par jour").click()
    saturday = page.locator('[data-hours-day="SA"]')
    expect(saturday.locator('[data-hours-edge="opens"]').first).to_have_value("")
    expect(page.locator('[data-hours-day="MO"] [data-hours-edge="opens"]').first).to_have_value("09:00")
    saturday.locator('[data-hours-edge="opens"]').first.fill("10:00")
    saturday.locator('[data-hours-edge="closes"]').first.fill("12:00")
    saturday.locator('[data-hours-edge="closes"]').first.dispatch_event("change")

    expect(page.locator("input[name=hours]")).to_have_value("LU-VE 09:00-12:00,13:00-16:30; SA 10:00-12:00")
    expect(preview).to_contain_text("le samedi, de 10\u00a0h à 12\u00a0h")
    shot("directory-hours-day-by-day")
    # The grid stacks on a phone: nothing in it is wider than the form around it.
    assert page.evaluate("""() => { const t = document.querySelector('.hours-week');
        return t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().width
            <= t.closest('[data-hours-widget]').getBoundingClientRect().width + 1; }""")

    page.click("#save-button")
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    saved = sorted((s.byday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"))
                   for s in Service.objects.get(pk=service.pk).schedules.all())
    assert saved == [("MO,TU,WE,TH,FR", "09:00", "12:00"), ("MO,TU,WE,TH,FR", "13:00", "16:30"),
                     ("SA", "10:00", "12:00")]


def test_an_organization_page_lists_its_directory_services_on_a_phone(page, shot):
    load_demo()
    provider = DirectoryOrganization.objects.select_related("organization").filter(services__isnull=False).first()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{page.base_url}/organisations/{provider.organization_id}/")

    names = sorted(s.name for s in provider.services.exclude(status=ServiceStatus.DEFUNCT))
    assert sorted(page.locator("#services li").all_inner_texts()) == names
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("organization-services-390")
