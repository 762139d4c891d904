"""The public directory pages, as a tenant meets them: search, a service's page, its printable sheet."""

import datetime
import re
import zoneinfo

import pytest

from tests.directory.factories import DirectoryOrganizationFactory
from toitcommun.directory import views
from toitcommun.directory.models import (
    Address,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from toitcommun.directory.search import index_services
from toitcommun.directory.taxonomy_seed import term_id

TZ = zoneinfo.ZoneInfo("America/Toronto")
SATURDAY_10 = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)


def located_service(provider, municipality, *, name, description, category, clienteles, area_code, area_name,
                    address="100, rue Test", lat="46.0917", lng="-71.3014", **fields):
    service = Service.objects.create(directory_organization=provider, name=name, description=description,
                                     clienteles=clienteles, **fields)
    service.categories.add(term_id("category", category))
    ServiceArea.objects.create(service=service, territory_code=area_code, name=area_name)
    place = Location.objects.create(directory_organization=provider, name=f"Local de {name}",
                                    municipality=municipality, latitude=lat, longitude=lng)
    Address.objects.create(location=place, address_1=address, city=municipality.name, postal_code="G6G 1A1")
    ServiceAtLocation.objects.create(service=service, location=place)
    return service


@pytest.fixture
def world(db, thetford, levis):
    provider = DirectoryOrganizationFactory(name="Réseau d'entraide des Appalaches (test)",
                                                    description="Entraide.")
    food = located_service(
        provider, thetford, name="Épicerie solidaire", description="Aide alimentaire à prix réduit.",
        category="food", clienteles=["families"], area_code="310", area_name="MRC des Appalaches",
        address="321, rue Notre-Dame Ouest", eligibility_description="Personnes à faible revenu.",
        fees_description="2 $ par panier.", application_process="Présentez-vous avec une preuve d'adresse.",
        last_verified_on=datetime.date(2026, 10, 1), verified_by_label="Julie Roy, TRAA",
    )
    Phone.objects.create(service=food, number="418 555-0101", extension=12, type="voice")
    Phone.objects.create(service=food, number="418 555-0109", type="fax")
    Language.objects.create(service=food, name="Français", code="fr")
    Schedule.objects.create(service=food, byday="MO,TU,WE,TH,FR,SA,SU", opens_at=datetime.time(0),
                            closes_at=datetime.time(23, 59))
    budget = located_service(
        provider, levis, name="Consultation budgétaire", description="Aide pour le budget et les dettes.",
        category="budget_debt", clienteles=["seniors"], area_code="25213", area_name="Lévis",
        lat="46.80", lng="-71.18",
    )
    Schedule.objects.create(service=budget, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(9),
                            closes_at=datetime.time(12))
    Schedule.objects.create(service=budget, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(13),
                            closes_at=datetime.time(16, 30))
    retired = Service.objects.create(directory_organization=provider, name="Épicerie fermée",
                                     description="Fermée.", status=ServiceStatus.DEFUNCT)
    index_services([food, budget, retired])
    return {"food": food, "budget": budget, "retired": retired, "provider": provider}


def text(response) -> str:
    """The page's HTML with non-breaking spaces (times are written '16\u00a0h\u00a030') read as spaces."""
    return response.content.decode().replace("\u00a0", " ")


def found(response) -> list[str]:
    return [row.service.name for row in response.context["rows"]]


def test_text_search_ignores_accents_and_case(client, world):
    response = client.get("/repertoire/", {"q": "EPICERIE"})
    assert response.status_code == 200
    assert found(response) == ["Épicerie solidaire"]
    assert "1 service trouvé" in response.content.decode()


def test_food_aid_in_thetford_mines_finds_the_service_of_the_mrc(client, world):
    for typed in ("Thetford Mines", "thetford", "Thetford Mines (31084)", "31084"):
        response = client.get("/repertoire/", {"q": "aide alimentaire", "territory": typed})
        assert found(response) == ["Épicerie solidaire"], typed
        assert response.context["territory"].code == "31084"
    body = response.content.decode()
    assert "pour Thetford Mines (Municipalité)" in body


def test_a_service_of_the_mrc_is_found_from_another_of_its_municipalities(client, world):
    response = client.get("/repertoire/", {"territory": "Adstock"})  # 31056, also in MRC 310
    assert found(response) == ["Épicerie solidaire"]
    response = client.get("/repertoire/", {"territory": "Les Appalaches"})
    assert response.context["territory"].code == "310"
    assert found(response) == ["Épicerie solidaire"]


def test_category_and_clientele_filters(client, world):
    assert found(client.get("/repertoire/", {"category": "food"})) == ["Épicerie solidaire"]
    assert found(client.get("/repertoire/", {"category": "budget_debt"})) == ["Consultation budgétaire"]
    assert found(client.get("/repertoire/", {"clientele": "seniors"})) == ["Consultation budgétaire"]
    assert found(client.get("/repertoire/", {"clientele": "youth"})) == []


def test_open_now_keeps_only_open_services_and_badges_them(client, world, monkeypatch):
    monkeypatch.setattr(views.timezone, "now", lambda: SATURDAY_10)
    everything = client.get("/repertoire/")
    assert found(everything) == ["Consultation budgétaire", "Épicerie solidaire"]
    assert [row.is_open for row in everything.context["rows"]] == [False, True]
    assert everything.content.decode().count('class="badge ok"') == 1
    assert found(client.get("/repertoire/", {"open_now": "1"})) == ["Épicerie solidaire"]


def test_results_list_shows_organization_category_address_phone_and_map_points(client, world):
    response = client.get("/repertoire/", {"q": "epicerie"})
    body = response.content.decode()
    assert "Réseau d&#x27;entraide des Appalaches (test)" in body
    assert ">Alimentation</span>" in body
    assert "321, rue Notre-Dame Ouest, Thetford Mines" in body
    assert 'href="tel:4185550101,12"' in body
    assert response.context["map_points"] == [{
        "name": "Épicerie solidaire", "lat": 46.0917, "lng": -71.3014,
        "url": f"/repertoire/services/{world['food'].pk}/", "municipality": "Thetford Mines",
        "tenure": "Réseau d'entraide des Appalaches (test)",
    }]
    assert 'id="site-map-points"' in body


def test_retired_services_are_not_listed(client, world):
    assert found(client.get("/repertoire/", {"q": "epicerie"})) == ["Épicerie solidaire"]


def test_unknown_territory_is_reported_and_the_input_kept(client, world):
    response = client.get("/repertoire/", {"q": "aide", "territory": "Atlantide"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="search-errors"' in body
    assert "Territoire inconnu : Atlantide." in body
    assert 'value="Atlantide"' in body and 'value="aide"' in body
    assert response.context["rows"] == []


def test_unknown_category_clientele_and_too_long_text_name_their_field(client, world):
    response = client.get("/repertoire/", {"category": "armes", "clientele": "chats", "q": "x" * 10_000})
    assert response.status_code == 200
    fields = [e["field"] for e in response.context["errors"]]
    assert fields == ["q", "category", "clientele"]
    body = response.content.decode()
    assert "Catégorie inconnue : armes." in body and "Clientèle inconnue : chats." in body
    assert "trop longue" in body


def test_an_ambiguous_place_name_offers_the_places_it_could_be(client, world):
    response = client.get("/repertoire/", {"territory": "Saint-Joseph"})
    body = response.content.decode()
    assert "Plusieurs lieux correspondent à « Saint-Joseph »" in body
    candidates = response.context["candidates"]
    assert 2 <= len(candidates) <= 10
    assert all("saint joseph" in c["ref"].name.lower().replace("-", " ") for c in candidates)
    assert f"territory={candidates[0]['ref'].code}" in candidates[0]["query"]


@pytest.mark.parametrize("params", [
    {"territory": "<script>alert(1)</script>"},
    {"q": "<script>alert(1)</script>"},
    {"q": "é" * 10_000},
    {"territory": "9" * 10_000},
    {"category": "<b>", "clientele": "rien"},  # a NUL is refused before any page (tests/test_bad_input.py)
    {"page": "abc"},
    {"page": "99999"},
    {"q": '" OR * NEAR(', "open_now": "yes"},
    {"territory": "(31084)"},
])
def test_garbage_input_never_breaks_the_page(client, world, params):
    response = client.get("/repertoire/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_script_in_a_description_is_shown_as_text(client, world):
    food = world["food"]
    food.description = '<script>alert("x")</script> Aide alimentaire.'
    food.name = "Épicerie <b>solidaire</b>"
    food.save()
    index_services([food])
    for url in ("/repertoire/?q=epicerie", f"/repertoire/services/{food.pk}/", f"/repertoire/services/{food.pk}/fiche/"):
        body = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "<b>solidaire</b>" not in body
        assert "&lt;b&gt;solidaire&lt;/b&gt;" in body


def test_empty_results_say_what_to_try(client, world):
    response = client.get("/repertoire/", {"q": "parachutisme"})
    body = response.content.decode()
    assert "Aucun service trouvé" in body
    assert "Aucun service ne correspond à votre recherche." in body
    assert 'id="site-map"' not in body


def test_live_update_answers_with_the_results_fragment_only(client, world):
    response = client.get("/repertoire/", {"q": "epicerie"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="directory-search"' not in body
    assert 'id="results-count"' in body and "Épicerie solidaire" in body
    errors = client.get("/repertoire/", {"territory": "Atlantide"}, headers={"HX-Request": "true"})
    assert 'id="search-errors"' in errors.content.decode()


def test_place_suggestions_carry_the_code(client, world):
    items = client.get("/repertoire/lieux/", {"q": "thetf"}).json()["items"]
    assert [(i["code"], i["name"], i["level_label"]) for i in items] == [("31084", "Thetford Mines", "Municipalité")]
    assert client.get("/repertoire/lieux/", {"q": "x"}).json() == {"items": []}


def test_results_are_paginated_twenty_by_twenty(client, world):
    provider = world["provider"]
    extra = [Service.objects.create(directory_organization=provider, name=f"Cuisine collective {n:02d}",
                                    description="Cuisine collective.") for n in range(25)]
    index_services(extra)
    first = client.get("/repertoire/", {"q": "cuisine"})
    assert len(first.context["rows"]) == 20
    assert "25 services trouvés" in first.content.decode()
    second = client.get("/repertoire/", {"q": "cuisine", "page": "2"})
    assert found(second) == [f"Cuisine collective {n:02d}" for n in range(20, 25)]
    assert 'href="/repertoire/?q=cuisine&amp;page=1"' in second.content.decode()


def test_results_page_queries_do_not_grow_with_the_results(client, world, thetford,
                                                          django_assert_max_num_queries):
    provider = world["provider"]
    for n in range(30):
        service = located_service(provider, thetford, name=f"Dépannage {n:02d}", description="Aide alimentaire.",
                                  category="food", clienteles=["families"], area_code="310",
                                  area_name="MRC des Appalaches")
        Phone.objects.create(service=service, number="418 555-0199")
        Schedule.objects.create(service=service, byday="MO", opens_at=datetime.time(9), closes_at=datetime.time(17))
        index_services([service])
    with django_assert_max_num_queries(15):
        response = client.get("/repertoire/", {"q": "aide alimentaire", "territory": "Thetford Mines",
                                               "category": "food", "clientele": "families"})
    assert len(response.context["rows"]) == 20
    with django_assert_max_num_queries(15):
        client.get("/repertoire/", {"q": "aide alimentaire", "territory": "Thetford Mines", "page": "2"})


def test_service_page_shows_how_to_reach_it_and_when(client, world):
    food, budget = world["food"], world["budget"]
    body = text(client.get(f"/repertoire/services/{food.pk}/"))
    assert "<h1 id=\"service-name\">Épicerie solidaire" in body
    assert "Aide alimentaire à prix réduit." in body
    assert "321, rue Notre-Dame Ouest" in body
    assert 'href="tel:4185550101,12"' in body and "poste 12" in body
    assert "(voice)" not in body and "418 555-0109</a> <span class=\"muted\">(télécopieur)</span>" in body
    assert "24 heures sur 24" in body and "tous les jours" in body
    assert "Personnes à faible revenu." in body and "2 $ par panier." in body
    assert "Présentez-vous avec une preuve d&#x27;adresse." in body
    assert "Français" in body and "Familles" in body and "MRC des Appalaches" in body
    # Who verified is a person's name: the public reads the date only (tests/test_privacy.py).
    assert "Renseignements vérifiés le 1er octobre 2026." in body and "Julie Roy" not in body
    assert f'href="/repertoire/services/{food.pk}/fiche/"' in body and "Imprimer la fiche" in body
    assert 'id="site-map-points"' in body
    budget_page = text(client.get(f"/repertoire/services/{budget.pk}/"))
    assert "du lundi au vendredi, de 9 h à 12 h et de 13 h à 16 h 30" in budget_page


@pytest.mark.parametrize("rows, expected", [
    ([("MO,TU,WE,TH,FR", (9, 0), (16, 30))], ["du lundi au vendredi, de 9 h à 16 h 30"]),
    ([("SA", (10, 0), (14, 0))], ["le samedi, de 10 h à 14 h"]),
    ([("MO,WE", (8, 15), (12, 0))], ["les lundi et mercredi, de 8 h 15 à 12 h"]),
    ([("SU,SA", (13, 0), (17, 0)), ("MO", (9, 0), (12, 0))],
     ["le lundi, de 9 h à 12 h", "les samedi et dimanche, de 13 h à 17 h"]),
])
def test_hours_read_in_plain_french(rows, expected):
    schedules = [Schedule(byday=days, opens_at=datetime.time(*o), closes_at=datetime.time(*c)) for days, o, c in rows]
    assert [line.text.replace("\u00a0", " ") for line in views.hours_lines(schedules)] == expected


@pytest.mark.parametrize("pk", ["nope", "00000000-0000-0000-0000-000000000000", "1", "%20", "zz" * 40])
def test_unknown_or_malformed_service_is_not_found(client, world, pk):
    assert client.get(f"/repertoire/services/{pk}/").status_code == 404
    assert client.get(f"/repertoire/services/{pk}/fiche/").status_code == 404


def test_retired_service_page_answers_gone_and_points_to_the_search(client, world):
    retired = world["retired"]
    for url in (f"/repertoire/services/{retired.pk}/", f"/repertoire/services/{retired.pk}/fiche/"):
        response = client.get(url)
        assert response.status_code == 410
        assert f"Le service « {retired.name} » a été retiré" in text(response)
        assert '<a href="/repertoire/">Chercher dans le répertoire des services</a>' in response.content.decode()


def test_retired_service_page_speaks_english_on_request(client, world):
    retired = world["retired"]
    response = client.get(f"/repertoire/services/{retired.pk}/", headers={"Accept-Language": "en"})
    assert response.status_code == 410
    assert f"The service “{retired.name}” has been retired" in text(response)
    assert '<a href="/repertoire/">Search the service directory</a>' in response.content.decode()


def test_unknown_service_page_is_still_not_found(client, world):
    assert client.get("/repertoire/services/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_printable_sheet_has_what_a_tenant_needs_and_a_print_button(client, world):
    food = world["food"]
    response = client.get(f"/repertoire/services/{food.pk}/fiche/")
    assert response.status_code == 200
    body = text(response)
    for expected in ("Épicerie solidaire", "Aide alimentaire à prix réduit.", "321, rue Notre-Dame Ouest",
                     "418 555-0101", "24 heures sur 24", "Présentez-vous avec une preuve", "Personnes à faible revenu.",
                     "2 $ par panier.", "http://testserver/s/"):  # the short address (test_short_address.py)
        assert expected in body, expected
    assert 'data-print hidden' in body and "js/directory_sheet.js" in body
    assert 'class="topbar"' not in body


@pytest.mark.parametrize("url", ["/repertoire/?q=epicerie", "SERVICE", "SHEET"])
def test_pages_have_no_inline_script_or_style(client, world, url):
    pk = world["food"].pk
    url = {"SERVICE": f"/repertoire/services/{pk}/", "SHEET": f"/repertoire/services/{pk}/fiche/"}.get(url, url)
    body = client.get(url).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in body and "onclick" not in body


def test_the_directory_is_first_in_the_main_navigation(client, db):
    body = client.get("/").content.decode()
    nav = body[body.index('<nav aria-label="Navigation principale">'):]
    assert re.search(r"<nav[^>]*>\s*<a href=\"/repertoire/\">Trouver un service</a>", nav)


def test_every_demo_service_has_a_page_and_a_sheet(client, demo):
    response = client.get("/repertoire/", {"q": "aide alimentaire", "territory": "Thetford Mines"})
    assert response.status_code == 200
    assert response.context["rows"], "the demo offers food aid in Thetford Mines"
    for service in Service.objects.exclude(status=ServiceStatus.DEFUNCT):
        assert client.get(f"/repertoire/services/{service.pk}/").status_code == 200, service.name
        assert client.get(f"/repertoire/services/{service.pk}/fiche/").status_code == 200, service.name
