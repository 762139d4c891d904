"""Territories chosen by name in the forms: what the combobox sends, what a page without script sends,
and what comes back on the page (buildings, organizations, the directory's service form, the list filter)."""

from __future__ import annotations

from django.http import QueryDict

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import BuildingFactory
from toitcommun.directory.forms import ServiceForm
from toitcommun.housing.models import Building
from toitcommun.organizations.forms import OrganizationForm
from toitcommun.organizations.models import Organization
from toitcommun.territory.forms import parse_territories


def org_form(**data):
    return OrganizationForm({"name": "Popote roulante", "kind": "community_organization", **data})


def test_a_municipality_chosen_in_the_list_is_read_by_its_code(db):
    form = org_form(municipality="Thetford Mines", municipality_code="31084")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"].code == "31084"


def test_a_municipality_typed_without_script_is_read_by_its_name(db):
    form = org_form(municipality="thetford mines", municipality_code="")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"].code == "31084"


def test_text_changed_after_a_choice_wins_over_the_stale_code(db):
    # Without script the hidden code keeps the old choice while the person types another name.
    form = org_form(municipality="Lévis", municipality_code="31084")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"].code == "25213"


def test_a_typo_is_refused_in_french_with_what_was_meant(db):
    form = org_form(municipality="Thetfort", municipality_code="")

    assert not form.is_valid()
    assert form.errors["municipality"] == ["Territoire introuvable : « Thetfort ». Vouliez-vous dire : Thetford Mines ?"]


def test_a_name_two_municipalities_bear_asks_which_one(db):
    form = org_form(municipality="Saint-Cyprien", municipality_code="")

    assert not form.is_valid()
    assert form.errors["municipality"] == [
        "« Saint-Cyprien » désigne plusieurs territoires : Saint-Cyprien (Rivière-du-Loup, 12005), "
        "Saint-Cyprien (Les Etchemins, 28040). Choisissez-en un dans la liste ou écrivez son code."]


def test_an_mrc_is_not_a_municipality(db):
    form = org_form(municipality="Beauce-Centre", municipality_code="270")

    assert not form.is_valid()
    assert form.errors["municipality"] == ["Territoire introuvable : « Beauce-Centre »."]


def test_the_server_checks_the_submitted_code(db):
    form = org_form(municipality="Nulle part", municipality_code="99999")

    assert not form.is_valid()
    assert form.errors["municipality"] == ["Territoire introuvable : « Nulle part »."]


def test_an_empty_box_chooses_no_municipality(db):
    form = org_form(municipality="", municipality_code="31084")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] is None


def test_the_api_still_sends_the_municipality_key(db, thetford):
    form = org_form(municipality=thetford.pk)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == thetford


def test_the_organization_page_round_trip_shows_the_name_and_keeps_the_code(client, admin_user):
    client.force_login(admin_user)
    answer = client.post("/organisations/nouvelle/", {"name": "Popote roulante", "kind": "community_organization",
                                                      "municipality": "Thetfort", "municipality_code": ""})
    body = answer.content.decode()
    assert "Territoire introuvable : « Thetfort ». Vouliez-vous dire : Thetford Mines ?" in body
    assert 'name="municipality" value="Thetfort"' in body

    answer = client.post("/organisations/nouvelle/", {"name": "Popote roulante", "kind": "community_organization",
                                                      "municipality": "Thetford Mines", "municipality_code": "31084"})
    assert answer.status_code == 302
    org = Organization.objects.get(name="Popote roulante")
    assert org.municipality.code == "31084"
    page = client.get(f"/organisations/{org.pk}/modifier/").content.decode()
    assert 'name="municipality" value="Thetford Mines"' in page
    assert 'name="municipality_code" value="31084"' in page
    assert '<select name="municipality"' not in page


def test_the_building_form_reads_a_municipality_by_name(client, coordinator, housing_office):
    building = BuildingFactory(organization=housing_office)
    client.force_login(coordinator)
    data = {"name": building.name, "organization": building.organization_id, "municipality": "Lévis",
            "municipality_code": "", "address": "1, rue Neuve", "tenure": "hlm", "form": "multi_unit", "version": "1"}

    assert client.post(f"/logement/immeubles/{building.pk}/modifier/", data).status_code == 302
    assert Building.objects.get(pk=building.pk).municipality.code == "25213"


def test_service_areas_from_chips_and_from_typed_text(db):
    chips = QueryDict(mutable=True)
    chips.setlist("service_area_codes", ["270", "31084", "Chaudière-Appalaches"])
    widget = ServiceForm.base_fields["service_area_codes"].widget

    assert widget.value_from_datadict(chips, {}, "service_area_codes") == "270, 31084, Chaudière-Appalaches"
    assert [r.code for r in parse_territories("270, 31084, Chaudière-Appalaches")] == ["270", "31084", "12"]
    assert [r.code for r in parse_territories("Beauce-Centre (270); Québec (QC)\nrobert cliche")] == ["270", "QC"]
    assert [r.code for r in parse_territories("310 31084")] == ["310", "31084"]  # the API's codes


def test_service_area_errors_name_each_item(db):
    form = ServiceForm({"service_area_codes": "Thetfort, 99999, Les Appalaches"})

    form.is_valid()
    assert form.errors["service_area_codes"] == [
        "Territoire introuvable : « Thetfort ». Vouliez-vous dire : Thetford Mines ?",
        "Territoire inconnu : 99999."]


def test_the_service_edit_page_shows_areas_and_municipality_by_name(client, coordinator):
    provider = DirectoryOrganizationFactory()
    service = ServiceFactory(directory_organization=provider)
    serve(service, "270", "Beauce-Centre")
    serve(service, "31084", "Thetford Mines")
    client.force_login(coordinator)

    page = client.get(f"/repertoire/gestion/services/{service.pk}/modifier/").content.decode()

    assert '<li class="chip" data-code="270" data-label="Beauce-Centre">' in page
    assert '<li class="chip" data-code="31084" data-label="Thetford Mines">' in page
    # Without script the box holds each territory with its code, so it reads back exactly.
    assert 'value="Beauce-Centre (270), Thetford Mines (31084)"' in page
    assert 'data-source="/territoires/suggestions/"' in page


def test_the_organization_list_filters_by_a_territory_named_or_chosen(client, housing_office, other_office):
    by_name = client.get("/organisations/", {"territory": "Thetford Mines"})
    by_choice = client.get("/organisations/", {"territory": "Thetford Mines", "territory_code": "31084"})
    by_former_name = client.get("/organisations/", {"territory": "Robert-Cliche"})

    assert [o.name for o in by_name.context["page"]] == [housing_office.name]
    assert [o.name for o in by_choice.context["page"]] == [housing_office.name]
    assert by_former_name.context["territory"].code == "270"
    assert "Code de territoire" not in by_name.content.decode()
