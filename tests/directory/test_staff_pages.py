"""The directory's staff pages: the list with its filters, adding, changing, verifying, retiring."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, place, serve
from toitcommun.directory.models import DirectoryOrganization, Service, ServiceStatus
from toitcommun.directory.search import index_services
from toitcommun.directory.taxonomy_seed import term_id

LIST = "/repertoire/gestion/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def provider(housing_office):
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


@pytest.fixture
def service(provider):
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.",
                       last_verified_on=timezone.localdate() - datetime.timedelta(days=400))
    s.categories.add(term_id("category", "housing"))
    serve(s, "31084", "Thetford Mines")
    index_services([s])
    return s


def edit_url(service):
    return f"/repertoire/gestion/services/{service.pk}/modifier/"


def form_data(service, **changes):
    """What the edit page posts for this service, unchanged unless told."""
    return {
        "version": str(service.version), "directory_organization": str(service.directory_organization_id),
        "name": service.name, "alternate_name": "", "description": service.description, "url": "", "email": "",
        "status": service.status, "interpretation_services": "", "application_process": "",
        "fees_description": "", "eligibility_description": "", "accessibility": "", "minimum_age": "",
        "maximum_age": "", "alert": "", "categories": [str(c.pk) for c in service.categories.all()],
        "languages": "", "service_area_codes": "31084", "location_name": "", "address_1": "",
        "municipality": "", "postal_code": "", "latitude": "", "longitude": "", "phone": "", "hours": "",
    } | changes


# --- The list ------------------------------------------------------------------------------------

def test_the_list_needs_a_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


@pytest.mark.parametrize("who", ["researcher", "nobody"])
def test_the_list_is_refused_to_people_outside_the_directory(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403


def test_the_list_shows_retired_services_and_flags_those_to_verify(client, office_worker, service, provider):
    fresh = ServiceFactory(directory_organization=provider, name="Popote roulante",
                           last_verified_on=timezone.localdate())
    ServiceFactory(directory_organization=provider, name="Ancien comptoir", status=ServiceStatus.DEFUNCT)
    client.force_login(office_worker)

    response = client.get(LIST)

    assert response.status_code == 200
    rows = {row.service.name: row for row in response.context["rows"]}
    assert list(rows) == ["Ancien comptoir", "Popote roulante", "Soutien aux locataires"]
    assert (rows["Soutien aux locataires"].stale, rows["Popote roulante"].stale) == (True, False)
    # A worker verifies the services of their organization, and changes none.
    assert rows["Soutien aux locataires"].can_verify and not rows["Soutien aux locataires"].can_edit
    assert not rows["Ancien comptoir"].can_verify  # retired: restore it first
    body = response.content.decode()
    assert body.count('data-stale="1"') == 1
    assert f"/repertoire/gestion/services/{fresh.pk}/verifier/" in body
    assert 'id="add-service"' not in body


def test_the_list_filters_by_text_status_and_to_verify(client, coordinator, service, provider):
    ServiceFactory(directory_organization=provider, name="Popote roulante", last_verified_on=timezone.localdate())
    gone = ServiceFactory(directory_organization=provider, name="Ancien comptoir", status=ServiceStatus.DEFUNCT)
    index_services([gone])
    client.force_login(coordinator)

    def names(**params):
        return [row.service.name for row in client.get(LIST, params).context["rows"]]

    assert names(q="locataires") == ["Soutien aux locataires"]
    assert names(q="comptoir") == ["Ancien comptoir"]
    assert names(status="defunct") == ["Ancien comptoir"]
    assert names(to_verify="1") == ["Soutien aux locataires"]
    assert names(status="nonsense") == ["Ancien comptoir", "Popote roulante", "Soutien aux locataires"]


def test_a_too_long_search_says_so(client, coordinator, service):
    client.force_login(coordinator)
    response = client.get(LIST, {"q": "x" * 201})
    assert response.status_code == 200
    assert "La recherche est trop longue" in response.content.decode()


def test_htmx_filters_get_the_results_only(client, coordinator, service):
    client.force_login(coordinator)
    body = client.get(LIST, {"q": "soutien"}, headers=HTMX).content.decode()
    assert 'id="services"' in body and "<html" not in body and "Soutien aux locataires" in body


def test_the_list_costs_the_same_queries_for_many_services(client, coordinator, provider,
                                                           django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            s = ServiceFactory(directory_organization=provider)
            s.categories.add(term_id("category", "food"))
            serve(s, "310")
            place(s, "31084", f"Lieu {i}")

    client.force_login(coordinator)
    add(2)
    # 15: one of them reads the public's error reports waiting on the page's services.
    with django_assert_max_num_queries(15):
        assert client.get(LIST).status_code == 200
    add(40)
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 42
    assert all(row.can_edit for row in response.context["rows"])


# --- Adding --------------------------------------------------------------------------------------

def test_staff_add_a_service_and_land_on_its_page(client, office_staff, provider, thetford):
    client.force_login(office_staff)
    assert client.get("/repertoire/gestion/services/nouveau/").status_code == 200

    response = client.post("/repertoire/gestion/services/nouveau/", {
        "directory_organization": str(provider.pk), "name": "Épicerie solidaire",
        "description": "Aide alimentaire.", "categories": [str(term_id("category", "food"))],
        "clienteles": ["families"], "service_area_codes": "310", "location_name": "Local",
        "address_1": "55, rue Notre-Dame", "municipality": thetford.pk, "postal_code": "G6G 1J1",
        "phone": "418 555-0101", "hours": "LU-VE 09:00-16:00"})

    service = Service.objects.get(name="Épicerie solidaire")
    assert response.status_code == 302 and response["Location"] == edit_url(service)
    assert [s.byday for s in service.schedules.all()] == ["MO,TU,WE,TH,FR"]


def test_bad_input_shows_french_errors_and_keeps_what_was_typed(client, office_staff, provider):
    client.force_login(office_staff)

    response = client.post("/repertoire/gestion/services/nouveau/", {
        "directory_organization": str(provider.pk), "name": "Épicerie solidaire", "description": "Aide.",
        "service_area_codes": "310 99999", "postal_code": "12345", "address_1": "55, rue Notre-Dame",
        "phone": "555", "hours": "lundi matin", "minimum_age": "70", "maximum_age": "18"})

    assert response.status_code == 200
    body = response.content.decode()
    for message in ("Territoire inconnu : 99999.", "Entrez un code postal canadien",
                    "Entrez un numéro de téléphone à 10 chiffres", "Mot non compris : « matin » dans « lundi matin »",
                    "L&#x27;âge maximum doit être au moins l&#x27;âge minimum.",
                    "Ce champ est obligatoire pour indiquer une adresse."):
        assert message in body, message
    assert body.count("Territoire inconnu : 99999.") == 1  # the form and the service agree: said once
    assert 'value="Les Appalaches (310), 99999"' in body and 'value="lundi matin"' in body and 'value="55, rue Notre-Dame"' in body
    assert not Service.objects.exists()


@pytest.mark.parametrize("who", ["office_worker", "researcher"])
def test_the_add_page_is_refused_to_those_who_only_verify_or_read(client, request, who, provider):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/repertoire/gestion/services/nouveau/").status_code == 403
    assert client.post("/repertoire/gestion/services/nouveau/", {"name": "x"}).status_code == 403
    assert not Service.objects.exists()


def test_staff_pick_only_their_own_providers(client, office_staff, provider, other_office):
    DirectoryOrganizationFactory(name="Autre fournisseur", organization=other_office)
    client.force_login(office_staff)
    form = client.get("/repertoire/gestion/services/nouveau/").context["form"]
    assert list(form.fields["directory_organization"].queryset) == [provider]


def test_staff_add_their_organization_then_its_first_service(client, office_staff, housing_office, other_office):
    client.force_login(office_staff)
    page = client.get("/repertoire/gestion/organisations/nouvelle/")
    assert list(page.context["form"].fields["organization"].queryset) == [housing_office]

    missing = client.post("/repertoire/gestion/organisations/nouvelle/", {"name": "OMH", "description": ""})
    assert "Ce champ est obligatoire." in missing.content.decode()
    response = client.post("/repertoire/gestion/organisations/nouvelle/", {
        "name": "OMH de Thetford Mines", "description": "Office municipal d'habitation.",
        "organization": housing_office.pk})

    provider = DirectoryOrganization.objects.get()
    assert response["Location"] == f"/repertoire/gestion/services/nouveau/?provider={provider.pk}"
    assert client.get(response["Location"]).context["form"]["directory_organization"].value() == str(provider.pk)


# --- Changing ------------------------------------------------------------------------------------

def test_the_edit_page_shows_the_stored_service_as_text(client, office_staff, provider, thetford):
    from toitcommun.directory.services import service_create

    service = service_create(actor=office_staff, data={
        "directory_organization": str(provider.pk), "name": "Épicerie", "description": "Aide.",
        "languages": "français, anglais", "service_area_codes": "310 31084", "address_1": "1, rue A",
        "municipality": thetford.pk, "postal_code": "G6G1J1", "phone": "4185550101 poste 3",
        "hours": "LU-VE 9-12; SA 10-11"})
    client.force_login(office_staff)

    form = client.get(edit_url(service)).context["form"]

    assert {name: form[name].value() for name in ("languages", "service_area_codes", "postal_code", "phone",
                                                  "hours")} == {
        "languages": "anglais, français", "service_area_codes": "310, 31084", "postal_code": "G6G 1J1",
        "phone": "418 555-0101 poste 3", "hours": "MO-FR 09:00-12:00; SA 10:00-11:00"}


def test_saving_the_page_unchanged_keeps_everything_and_unticking_clears(client, office_staff, service):
    client.force_login(office_staff)
    assert client.post(edit_url(service), form_data(service)).status_code == 302
    assert [c.code for c in Service.objects.get(pk=service.pk).categories.all()] == ["housing"]

    service.refresh_from_db()
    data = form_data(service)
    del data["categories"]  # nothing ticked: the browser sends nothing
    assert client.post(edit_url(service), data).status_code == 302
    assert not Service.objects.get(pk=service.pk).categories.exists()


def test_a_conflict_shows_what_changed_and_keeps_what_was_typed(client, coordinator, office_staff, service):
    client.force_login(coordinator)
    assert client.post(edit_url(service), form_data(service, name="Soutien communautaire")).status_code == 302
    client.force_login(office_staff)

    response = client.post(edit_url(service), form_data(service, name="Soutien aux locataires (OMH)",
                                                        hours="LU 09:00-12:00"))

    assert response.status_code == 200
    conflict = {row["label"]: (row["stored"], row["typed"]) for row in response.context["conflict"]}
    assert conflict == {"Nom": ("Soutien communautaire", "Soutien aux locataires (OMH)"),
                        "Heures d'ouverture": ("", "LU 09:00-12:00")}
    body = response.content.decode()
    assert 'id="version-conflict"' in body and 'value="Soutien aux locataires (OMH)"' in body
    assert 'name="version" value="2"' in body  # saving again now keeps what was typed
    assert Service.objects.get(pk=service.pk).name == "Soutien communautaire"


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher"])
def test_the_edit_page_is_refused_to_others(client, request, who, service):
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(service)).status_code == 403
    assert client.post(edit_url(service), form_data(service, name="x")).status_code == 403
    assert Service.objects.get(pk=service.pk).name == "Soutien aux locataires"


def test_unknown_or_malformed_services_are_404(client, admin_user):
    client.force_login(admin_user)
    for pk in ("00000000-0000-0000-0000-000000000000", "nope", "1"):
        assert client.get(f"/repertoire/gestion/services/{pk}/modifier/").status_code == 404
        assert client.post(f"/repertoire/gestion/services/{pk}/verifier/").status_code == 404


def test_text_is_stored_as_typed_and_shown_escaped(client, office_staff, service):
    client.force_login(office_staff)
    typed = "<script>alert('x')</script>"
    client.post(edit_url(service), form_data(service, name=typed, description=typed))
    assert Service.objects.get(pk=service.pk).description == typed
    for body in (client.get(edit_url(service)).content.decode(), client.get(LIST).content.decode()):
        assert typed not in body
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


# --- Verifying, retiring, restoring --------------------------------------------------------------

def test_a_worker_verifies_from_the_list_and_htmx_swaps_the_row(client, office_worker, service):
    client.force_login(office_worker)

    response = client.post(f"/repertoire/gestion/services/{service.pk}/verifier/", {"next": LIST}, headers=HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="service-{service.pk}"')
    assert timezone.localdate().isoformat() in body and 'data-stale="1"' not in body
    assert Service.objects.get(pk=service.pk).verified_by == office_worker


def test_verifying_without_htmx_goes_back(client, office_staff, service):
    client.force_login(office_staff)
    response = client.post(f"/repertoire/gestion/services/{service.pk}/verifier/", {"next": f"{LIST}?q=x"})
    assert response["Location"] == f"{LIST}?q=x"
    response = client.post(f"/repertoire/gestion/services/{service.pk}/verifier/", {"next": "https://evil.example/"})
    assert response["Location"] == edit_url(service)
    assert client.get(f"/repertoire/gestion/services/{service.pk}/verifier/").status_code == 405


@pytest.mark.parametrize("who", ["other_staff", "coordinator_elsewhere", "researcher"])
def test_others_may_not_verify(client, request, who, service):
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/repertoire/gestion/services/{service.pk}/verifier/", headers=HTMX).status_code == 403
    assert Service.objects.get(pk=service.pk).verified_by is None


def test_retire_needs_a_reason_then_restore(client, office_staff, service):
    client.force_login(office_staff)
    retire = f"/repertoire/gestion/services/{service.pk}/retirer/"

    response = client.post(retire, {"reason": "  "})
    assert response.status_code == 200
    assert "Indiquez pourquoi ce service est retiré." in response.content.decode()
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.ACTIVE

    assert client.post(retire, {"reason": "Fermé en mars."})["Location"] == edit_url(service)
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DEFUNCT
    page = client.get(edit_url(service)).content.decode()
    assert 'id="retired-notice"' in page and 'id="restore-button"' in page and 'id="save-button"' not in page

    client.post(f"/repertoire/gestion/services/{service.pk}/retablir/")
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.ACTIVE


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "researcher"])
def test_others_may_not_retire_or_restore(client, request, who, service):
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/repertoire/gestion/services/{service.pk}/retirer/", {"reason": "x"}).status_code == 403
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
    assert client.post(f"/repertoire/gestion/services/{service.pk}/retablir/").status_code == 403
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DEFUNCT


def test_pages_in_english_on_request(client, coordinator, service):
    client.force_login(coordinator)
    response = client.get(LIST, headers={"Accept-Language": "en"})
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()


def test_the_admin_browses_the_directory_without_changing_it(client, admin_user, service):
    client.force_login(admin_user)
    for url in ("/admin/directory/service/", f"/admin/directory/service/{service.pk}/change/",
                "/admin/directory/directoryorganization/", "/admin/directory/taxonomyterm/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/directory/service/add/").status_code == 403
    client.post(f"/admin/directory/service/{service.pk}/change/", {"name": "Changé"})
    assert Service.objects.get(pk=service.pk).name == "Soutien aux locataires"
