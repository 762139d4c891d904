"""The directory's search selectors: text, territory overlap, category, clientele, open now."""

import datetime
import zoneinfo

import pytest

from tests.directory.factories import DirectoryOrganizationFactory
from toitcommun.directory.models import (
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from toitcommun.directory.search import index_services, search_terms
from toitcommun.directory.selectors import search_query, service_get, services_search
from toitcommun.directory.taxonomy_seed import term_id
from toitcommun.errors import NotFound, ValidationFailed

TZ = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture
def world(db, thetford):
    provider = DirectoryOrganizationFactory(name="Réseaux d'entraide (test)", description="Entraide.")
    food = Service.objects.create(directory_organization=provider, name="Épicerie solidaire",
                                  description="Aide alimentaire à prix réduit.", clienteles=["families"])
    food.categories.add(term_id("category", "food"))
    ServiceArea.objects.create(service=food, territory_code="310", name="MRC des Appalaches")
    budget = Service.objects.create(directory_organization=provider, name="Consultation budgétaire",
                                    description="Aide pour le budget et les dettes.", clienteles=["seniors"])
    budget.categories.add(term_id("category", "budget_debt"))
    ServiceArea.objects.create(service=budget, territory_code="25213", name="Lévis")
    place = Location.objects.create(directory_organization=provider, name="Local", municipality=thetford)
    ServiceAtLocation.objects.create(service=budget, location=place)
    Schedule.objects.create(service=food, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(9), closes_at=datetime.time(16))
    retired = Service.objects.create(directory_organization=provider, name="Épicerie fermée", description="x",
                                     status=ServiceStatus.DEFUNCT)
    index_services([food, budget, retired])
    return {"food": food, "budget": budget, "retired": retired}


def names(query, **kwargs):
    return [s.name for s in services_search(query, **kwargs)]


def test_text_search_ignores_accents_and_case(world):
    assert names(search_query(text="EPICERIE")) == ["Épicerie solidaire"]
    assert names(search_query(text="aide alimentaire")) == ["Épicerie solidaire"]
    assert names(search_query(text="alim")) == ["Épicerie solidaire"]  # word prefixes


def test_a_service_of_the_mrc_is_found_from_its_municipalities(world):
    assert names(search_query(text="aide alimentaire", territory="31084")) == ["Épicerie solidaire"]
    assert names(search_query(territory="31056")) == ["Épicerie solidaire"]  # Adstock, also in MRC 310
    assert names(search_query(territory="25213")) == ["Consultation budgétaire"]


def test_a_service_with_a_place_in_the_territory_is_found_there(world):
    assert "Consultation budgétaire" in names(search_query(territory="31084"))


def test_a_municipal_service_is_found_from_its_region_and_the_province(world):
    assert "Consultation budgétaire" in names(search_query(territory="12"))
    assert set(names(search_query(territory="QC"))) == {"Épicerie solidaire", "Consultation budgétaire"}


def test_category_and_clientele_filters(world):
    assert names(search_query(category="food")) == ["Épicerie solidaire"]
    assert names(search_query(clientele="seniors")) == ["Consultation budgétaire"]


def test_open_now(world):
    tuesday_10 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    sunday_10 = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=TZ)
    assert names(search_query(open_now=True), moment=tuesday_10) == ["Épicerie solidaire"]
    assert names(search_query(open_now=True), moment=sunday_10) == []


def test_retired_services_are_hidden_from_the_public(world):
    assert "Épicerie fermée" not in names(search_query(text="epicerie"))
    assert "Épicerie fermée" in names(search_query(text="epicerie"), include_retired=True)
    with pytest.raises(NotFound):
        service_get(world["retired"].pk)
    assert service_get(world["retired"].pk, include_retired=True).name == "Épicerie fermée"


@pytest.mark.parametrize("bad, field", [
    ({"territory": "99999"}, "territory"),
    ({"territory": "<script>"}, "territory"),
    ({"category": "weapons"}, "category"),
    ({"clientele": "pets"}, "clientele"),
    ({"text": "x" * 201}, "q"),
])
def test_bad_search_input_names_the_field(world, bad, field):
    with pytest.raises(ValidationFailed) as refusal:
        search_query(**bad)
    assert field in refusal.value.errors


def test_garbage_ids_are_not_found(db):
    for pk in ("nope", "1", "", None, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            service_get(pk)


def test_query_punctuation_cannot_break_the_full_text_syntax(world):
    assert search_terms('"épicerie" OR * NEAR(') == ["epicer", "or", "near"]
    assert names(search_query(text='"') ) == sorted(["Épicerie solidaire", "Consultation budgétaire"])


def test_a_service_taking_the_place_of_a_deleted_one_is_found_and_the_deleted_one_is_not(db):
    provider = DirectoryOrganizationFactory(name="Fournisseur (test)", description="d")
    gone = Service.objects.create(directory_organization=provider, name="Alpha", description="Friperie.")
    index_services([gone])
    gone.delete()  # its full-text row stays on SQLite; the next service may take its rowid
    new = Service.objects.create(directory_organization=provider, name="Bravo", description="Vestiaire.")
    index_services([new])
    assert names(search_query(text="bravo vestiaire")) == ["Bravo"]
    assert names(search_query(text="alpha")) == names(search_query(text="friperie")) == []
