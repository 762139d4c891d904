"""The correction pages: a worker proposes from the staff list, those who keep the service decide on its edit page."""

from __future__ import annotations

import pytest

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.directory.test_staff_pages import form_data
from toitcommun.access.models import AuditEvent
from toitcommun.directory.models import Correction, CorrectionState, Phone, Service
from toitcommun.directory.services import correction_propose, service_update

LIST = "/repertoire/gestion/"
CORRECTIONS = "/repertoire/gestion/corrections/"


@pytest.fixture
def service(housing_office):
    provider = DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(s, "31084", "Thetford Mines")
    Phone.objects.create(service=s, number="418 555-0101", type="voice")
    return s


def propose_url(service):
    return f"/repertoire/gestion/services/{service.pk}/corriger/"


def proposal_data(service, **changes):
    data = form_data(service, **{"phone": "418 555-0101", **changes})
    data.pop("directory_organization")
    return data


def test_a_worker_sees_propose_a_correction_on_the_list_and_staff_do_not(client, office_worker, office_staff, service):
    client.force_login(office_worker)
    body = client.get(LIST).content.decode()
    assert body.count(f'href="{propose_url(service)}"') == 1

    client.force_login(office_staff)
    assert propose_url(service) not in client.get(LIST).content.decode()
    assert client.get(propose_url(service)).status_code == 403


def test_the_propose_page_explains_and_records_only_what_changed(client, office_worker, service):
    client.force_login(office_worker)
    page = client.get(propose_url(service))
    assert page.status_code == 200
    assert 'id="how-corrections-work"' in page.content.decode()
    assert "directory_organization" not in page.context["form"].fields

    response = client.post(propose_url(service), proposal_data(service, phone="418 555-0199",
                                                               note="Le numéro a changé."))

    assert response.status_code == 302 and response["Location"] == CORRECTIONS
    correction = Correction.objects.get()
    assert (correction.values, correction.note) == ({"phone": "418 555-0199"}, "Le numéro a changé.")
    mine = client.get(CORRECTIONS).content.decode()
    assert f'id="mine-{correction.pk}" data-state="pending"' in mine and "418 555-0199" in mine


def test_a_bad_phone_is_shown_on_its_field_and_nothing_is_recorded(client, office_worker, service):
    client.force_login(office_worker)
    response = client.post(propose_url(service), proposal_data(service, phone="12"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert Correction.objects.count() == 0


def test_staff_see_the_count_and_the_proposal_old_to_new_on_the_edit_page_and_accept_it(
        client, office_worker, office_staff, service):
    correction = correction_propose(actor=office_worker, service_id=service.pk, version=1,
                                    data={"phone": "418 555-0199", "name": "Soutien locatif"})
    service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Soutien communautaire"})
    client.force_login(office_staff)

    assert 'id="corrections-waiting">1 à décider' in client.get(LIST).content.decode()
    edit = client.get(f"/repertoire/gestion/services/{service.pk}/modifier/")
    shown = edit.context["corrections"][0]
    assert [(f.name, f.base, f.current, f.proposed, f.changed_since) for f in shown.fields] == [
        ("name", "Soutien aux locataires", "Soutien communautaire", "Soutien locatif", True),
        ("phone", "418 555-0101", "418 555-0101", "418 555-0199", False),
    ]
    body = edit.content.decode()
    assert 'value="phone" id="apply-' in body and 'name="fields" value="name"' in body

    response = client.post(f"/repertoire/gestion/corrections/{correction.pk}/accepter/",
                           {"version": "2", "fields": ["phone"], "next": "edit"})

    assert response.status_code == 302
    stored = Service.objects.get(pk=service.pk)
    assert (stored.name, stored.phones.get().number) == ("Soutien communautaire", "418 555-0199")
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.ACCEPTED


def test_staff_refuse_with_a_reason_and_the_worker_reads_it(client, office_worker, office_staff, service):
    correction = correction_propose(actor=office_worker, service_id=service.pk, version=1, data={"name": "X"})
    client.force_login(office_staff)
    client.post(f"/repertoire/gestion/corrections/{correction.pk}/refuser/", {"reason": "Le nom est exact."})

    client.force_login(office_worker)
    body = client.get(CORRECTIONS).content.decode()
    assert 'data-state="refused"' in body and "Le nom est exact." in body
    assert AuditEvent.objects.filter(action="correction.refuse").count() == 1


@pytest.mark.parametrize("who", ["other_staff", "coordinator_elsewhere"])
def test_others_cannot_decide_nor_see_a_proposal(client, request, office_worker, service, who):
    correction = correction_propose(actor=office_worker, service_id=service.pk, version=1, data={"name": "X"})
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/repertoire/gestion/corrections/{correction.pk}/accepter/", {"version": "1"}).status_code == 404
    assert client.post(f"/repertoire/gestion/corrections/{correction.pk}/refuser/",
                       {"reason": "Non"}).status_code == 404
    assert "corrections-to-decide" not in client.get(CORRECTIONS).content.decode()
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.PENDING


def test_anonymous_visitors_are_sent_to_the_login(client, service):
    for url in (propose_url(service), CORRECTIONS):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_a_place_chosen_in_the_comboboxes_is_proposed_by_code_shown_by_name_and_applied(
        client, office_worker, office_staff, service, levis):
    """The page posts a municipality as its name and chosen code, service areas as one value per chip."""
    client.force_login(office_worker)
    data = proposal_data(service, location_name="Local du comité", address_1="55, rue Notre-Dame",
                         municipality="Lévis", municipality_code="25213", postal_code="g6v 1a1",
                         service_area_codes=["31084", "Lévis (25213)"])
    response = client.post(propose_url(service), data)

    assert response.status_code == 302, response.context["form"].errors
    correction = Correction.objects.get()
    assert {k: correction.values[k] for k in ("municipality", "service_area_codes", "postal_code")} == {
        "municipality": "25213", "service_area_codes": "31084, 25213", "postal_code": "g6v 1a1"}
    client.force_login(office_staff)
    shown = {f.name: (f.current, f.proposed) for f in client.get(
        f"/repertoire/gestion/services/{service.pk}/modifier/").context["corrections"][0].fields}
    assert shown["municipality"] == ("", "Lévis")
    assert shown["service_area_codes"] == ("Thetford Mines (31084)", "Thetford Mines (31084), Lévis (25213)")

    accepted = client.post(f"/repertoire/gestion/corrections/{correction.pk}/accepter/", {"version": "1", "fields": list(correction.values)},
                           follow=True)

    assert [str(m) for m in accepted.context["messages"]] == ["Correction acceptée : le service est modifié."]
    stored = Service.objects.get(pk=service.pk)
    place = stored.service_at_locations.get().location
    assert (place.name, place.municipality.code) == ("Local du comité", "25213")
    assert sorted(stored.service_areas.values_list("territory_code", flat=True)) == ["25213", "31084"]
    assert Correction.objects.get().state == CorrectionState.ACCEPTED
