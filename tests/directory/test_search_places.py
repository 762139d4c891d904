"""The public search's place box and its API: names as people write them, postal codes, and
results sorted by distance with kilometres shown (page and API)."""

from __future__ import annotations

import re

import pytest

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from toitcommun.directory.models import Location, ServiceAtLocation
from toitcommun.directory.search import index_services

API = "/api/v1/directory"
G6G = (46.0937, -71.3054)  # the point of the FSA G6G in data/quebec/fsa_points.csv


def at(service, municipality, lat, lng):
    location = Location.objects.create(directory_organization=service.directory_organization,
                                       name=f"Local de {service.name}", municipality=municipality,
                                       latitude=lat, longitude=lng)
    ServiceAtLocation.objects.create(service=service, location=location)


@pytest.fixture
def region(db, thetford, levis):
    """Four services found from Thetford Mines: near G6G's point, farther, in Lévis, and placeless."""
    provider = DirectoryOrganizationFactory(name="Organisme fictif des Appalaches (test)")
    near = ServiceFactory(directory_organization=provider, name="Zèbre entraide (près)")
    farther = ServiceFactory(directory_organization=provider, name="Abeille entraide (plus loin)")
    in_levis = ServiceFactory(directory_organization=provider, name="Castor entraide (Lévis)")
    placeless = ServiceFactory(directory_organization=provider, name="Baleine ligne d'écoute (sans lieu)")
    serve(near, "310")
    serve(farther, "310")
    serve(in_levis, "12")
    serve(placeless, "12")
    at(near, thetford, "46.0950", "-71.3050")
    at(farther, thetford, "46.0450", "-71.3700")
    at(in_levis, levis, "46.8000", "-71.1800")
    index_services([near, farther, in_levis, placeless])
    return {"near": near, "farther": farther, "levis": in_levis, "placeless": placeless}


def names(response) -> list[str]:
    return [row.service.name for row in response.context["rows"]]


def test_a_postal_code_sorted_by_distance_puts_the_nearest_first_and_shows_kilometres(client, region):
    response = client.get("/repertoire/", {"territory": "g6g1n1", "sort": "distance"})
    assert response.status_code == 200
    assert names(response) == ["Zèbre entraide (près)", "Abeille entraide (plus loin)", "Castor entraide (Lévis)",
                               "Baleine ligne d'écoute (sans lieu)"]
    assert [row.distance_km for row in response.context["rows"]] == [0.1, 7.4, 79.1, None]
    body = response.content.decode()
    assert "Code postal G6G 1N1 pris comme sa région de tri G6G (Thetford Mines), dans la municipalité de " \
           "Thetford Mines." in body
    assert "à 0,1 km" in body and "à 79,1 km" in body
    assert 'name="territory_code" value="G6G 1N1"' in body
    assert re.search(r'<option value="distance"\s+selected>', body)


def test_relevance_keeps_the_usual_order_and_still_shows_distances(client, region):
    response = client.get("/repertoire/", {"territory": "Thetford Mines"})
    assert names(response)[0] == "Abeille entraide (plus loin)"  # name order when nothing is typed
    assert {row.service.name: row.distance_km for row in response.context["rows"]}["Zèbre entraide (près)"] == 1.9


@pytest.mark.parametrize("typed", ["MRC des Appalaches", "St-Joseph-de-Beauce", "Ville de Thetford Mines",
                                   "G6G 1N1", "g6g", "Thetford Mines (31084)"])
def test_every_form_of_place_is_accepted_by_the_page(client, region, typed):
    response = client.get("/repertoire/", {"territory": typed})
    assert response.status_code == 200
    assert response.context["errors"] == [], typed
    assert response.context["place"] is not None


def test_an_mrc_has_no_point_so_distance_sort_says_so_and_keeps_relevance(client, region):
    response = client.get("/repertoire/", {"territory": "MRC des Appalaches", "sort": "distance"})
    assert response.context["territory"].code == "310"
    assert response.context["sort"] == "relevance"
    assert "Le tri par distance demande un lieu précis" in response.content.decode()
    assert all(row.distance_km is None for row in response.context["rows"])


def test_a_typo_in_the_place_is_taken_as_the_closest_name_and_the_page_says_so(client, region):
    response = client.get("/repertoire/", {"territory": "Thetfort"})
    assert response.status_code == 200
    assert response.context["territory"].code == "31084"
    assert len(response.context["rows"]) == 4
    assert "Aucun lieu ne s'appelle « Thetfort » : résultats pour Thetford Mines (Municipalité), le nom le " \
           "plus proche." in response.content.decode()


def test_an_unknown_place_gives_a_french_message_and_suggestions(client, region):
    response = client.get("/repertoire/", {"territory": "Rimousky"})
    assert response.status_code == 200
    assert "Territoire inconnu : Rimousky." in response.content.decode()
    candidates = response.context["candidates"]
    assert [c["ref"].name for c in candidates][:2] == ["Rimouski", "Rimouski-Neigette"]
    assert "territory=10043" in candidates[0]["query"]
    assert response.context["rows"] == []


@pytest.mark.parametrize("params", [
    {"territory": "M5V 3L9"}, {"territory": "G9Z 9Z9"}, {"territory": "G6G 1N1", "sort": "nearest"},
    {"territory": "G6G 1N1", "territory_code": "<b>"}, {"territory": "g6g", "territory_code": "9" * 500},
    {"sort": "distance"},
])
def test_bad_places_and_sorts_never_break_the_page(client, region, params):
    response = client.get("/repertoire/", params)
    assert response.status_code == 200


def test_the_distance_sorted_page_counts_its_queries(client, region, django_assert_max_num_queries):
    client.get("/repertoire/", {"territory": "G6G 1N1", "sort": "distance"})  # warm the per-process caches
    with django_assert_max_num_queries(15):
        client.get("/repertoire/", {"territory": "G6G 1N1", "sort": "distance"})


# ---- the API -----------------------------------------------------------------------------------

def test_the_api_takes_a_postal_code_sorts_by_distance_and_gives_kilometres(client, region):
    body = client.get(f"{API}/services", {"territory": "G6G 1N1", "sort": "distance"}).json()
    assert [(item["name"], item["distance_km"]) for item in body["items"]] == [
        ("Zèbre entraide (près)", 0.1), ("Abeille entraide (plus loin)", 7.4), ("Castor entraide (Lévis)", 79.1),
        ("Baleine ligne d'écoute (sans lieu)", None)]
    assert body["place"] == {"code": "31084", "name": "Thetford Mines", "level": "municipality",
                             "postal_code": "G6G 1N1", "fsa_name": "Thetford Mines", "misspelt": "",
                             "latitude": G6G[0], "longitude": G6G[1]}


def test_the_api_takes_names_as_people_write_them(client, region):
    body = client.get(f"{API}/services", {"territory": "MRC des Appalaches"}).json()
    assert body["place"]["code"] == "310" and body["place"]["latitude"] is None
    assert client.get(f"{API}/services", {"territory": "St-Joseph-de-Beauce"}).json()["place"]["code"] == "27043"


def test_the_api_refuses_unknown_places_and_distance_without_a_point_with_422(client, region):
    answer = client.get(f"{API}/services", {"territory": "Rimousky"})
    assert answer.status_code == 422
    assert "Territoire inconnu : Rimousky." in str(answer.json())
    taken = client.get(f"{API}/services", {"territory": "Thetfort"}).json()["place"]
    assert (taken["code"], taken["misspelt"]) == ("31084", "Thetfort")
    answer = client.get(f"{API}/services", {"territory": "MRC des Appalaches", "sort": "distance"})
    assert answer.status_code == 422
    assert "Le tri par distance demande un lieu précis" in str(answer.json())
    assert client.get(f"{API}/services", {"sort": "nearest"}).status_code == 422


def test_the_place_notes_and_distances_read_in_english(client, region):
    response = client.get("/repertoire/", {"territory": "G6G 1N1", "sort": "distance"},
                          headers={"Accept-Language": "en"})
    body = response.content.decode()
    assert "Postal code G6G 1N1 taken as its forward sortation area G6G (Thetford Mines), in the municipality " \
           "of Thetford Mines." in body
    assert "0.1 km away" in body
    typo = client.get("/repertoire/", {"territory": "Thetfort"}, headers={"Accept-Language": "en"})
    assert "No place is called “Thetfort”: results for Thetford Mines (Municipality), the closest name." in \
        typo.content.decode()
