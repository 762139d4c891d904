"""Places as people type them: designations ("MRC des", "Ville de"), articles, St/Ste, hyphens,
former names, typos, postal codes and FSAs, and the distances measured from them."""

from __future__ import annotations

import csv

import pytest

from toitcommun.territory import places
from toitcommun.territory.places import (
    FSA_FILE,
    distance_km,
    fsa_points,
    place_resolve,
    place_suggestions,
    postal_code_parts,
)
from toitcommun.territory.selectors import TerritoryNotChosen, territory_resolve, territory_suggest


def resolved(typed: str, **kwargs) -> str:
    place = place_resolve(typed, **kwargs)
    assert place is not None
    return place.territory.code


@pytest.mark.parametrize(("typed", "code"), [
    ("MRC des Appalaches", "310"),
    ("mrc des appalaches", "310"),
    ("MRC Les Appalaches", "310"),
    ("Les Appalaches", "310"),
    ("Appalaches", "310"),
    ("MRC de la Nouvelle-Beauce", "260"),
    ("MRC des Chenaux", "372"),
    ("MRC de D'Autray", "520"),
    ("MRC Robert-Cliche", "270"),  # a former name, with its designation
    ("Ville de Thetford Mines", "31084"),
    ("Municipalité de Adstock", "31056"),
    ("Région de la Chaudière-Appalaches", "12"),
    ("Chaudiere Appalaches", "12"),
    ("St-Joseph-de-Beauce", "27043"),
    ("St Joseph de Beauce", "27043"),
    ("Saint Joseph de Beauce", "27043"),
    ("ST-JOSEPH-DE-BEAUCE", "27043"),
    ("Ste-Marie", "26030"),
    ("Ste Marie", "26030"),
    ("thetford mines", "31084"),
    ("Thetford-Mines", "31084"),
    ("thetford", "31084"),  # the only name that begins so
    ("Robert-Cliche", "270"),
    ("31084", "31084"),
    ("Thetford Mines (31084)", "31084"),
])
def test_every_way_of_writing_a_place_names_it(db, typed, code):
    assert resolved(typed) == code


def test_a_designation_says_which_of_two_territories_of_the_same_name(db):
    assert resolved("Lévis") == "25213"  # the city before the equivalent territory...
    assert [ref.code for ref in place_resolve("Lévis").alternatives] == ["TE25"]  # ...which is offered
    assert resolved("Ville de Lévis") == "25213"
    assert resolved("MRC de Lévis") == "TE25"
    assert territory_resolve("MRC de Lévis").code == "TE25"


def test_the_combobox_suggestions_read_designations_too(db):
    assert [(s.territory.code, s.how) for s in territory_suggest("MRC des Appalaches", limit=1)] == [("310", "exact")]
    assert territory_suggest("Ville de Lévis", limit=1)[0].territory.code == "25213"
    assert territory_suggest("Ville-Marie", limit=1)[0].territory.name == "Ville-Marie"  # a name, not "Ville de"


@pytest.mark.parametrize(("typed", "code"), [
    ("Thetfort", "31084"), ("Tetford Mines", "31084"), ("Lac Megantik", "30030"), ("St-Jospeh-de-Beauce", "27043"),
    ("Adstok", "31056"), ("Apalaches", "310"), ("Montmagni", "18050"), ("MRC de Montmagni", "180"),
])
def test_a_small_typo_is_taken_as_the_one_close_name_and_says_so(db, typed, code):
    place = place_resolve(typed)
    assert place is not None
    assert place.territory.code == code
    assert place.misspelt == typed


@pytest.mark.parametrize(("typed", "offered"), [
    ("Rimousky", ["Rimouski", "Rimouski-Neigette"]),  # two names as close: no choice is made
    ("Disraely", ["Disraeli", "Disraeli"]),  # the town and the parish
    ("Atlantide", ["Lantier"]),  # not close enough to be taken
])
def test_a_typo_close_to_several_names_or_to_none_is_suggested_not_chosen(db, typed, offered):
    with pytest.raises(TerritoryNotChosen) as refusal:
        place_resolve(typed)
    assert str(refusal.value) == f"Territoire inconnu : {typed}."
    assert [s.territory.name for s in refusal.value.suggestions][: len(offered)] == offered


def test_thetfort_suggests_thetford_mines_in_the_place_box(db):
    assert [item["name"] for item in place_suggestions("Thetfort")] == ["Thetford Mines"]


def test_several_places_are_offered_not_chosen(db):
    with pytest.raises(TerritoryNotChosen, match="Plusieurs lieux correspondent à « Saint-Joseph »") as refusal:
        place_resolve("Saint-Joseph")
    assert 2 <= len(refusal.value.suggestions) <= 10


@pytest.mark.parametrize("typed", ["Atlantide", "zzzz", "(99999)", "99999", "x" * 101])
def test_unknown_places_are_refused_in_french(db, typed):
    with pytest.raises(TerritoryNotChosen) as refusal:
        place_resolve(typed)
    assert str(refusal.value).startswith(("Territoire inconnu", "Le nom du lieu est trop long"))


def test_nothing_typed_is_no_place(db):
    assert place_resolve("   ") is None


# ---- postal codes -----------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "parts"), [
    ("G6G 1N1", ("G6G 1N1", "G6G")), ("g6g1n1", ("G6G 1N1", "G6G")), (" g6g-1n1 ", ("G6G 1N1", "G6G")),
    ("G6G", ("G6G", "G6G")), ("g6g", ("G6G", "G6G")),
    ("G6G 1N", None), ("D6G 1N1", None), ("G6D", None), ("31084", None), ("QC", None), ("", None),
])
def test_postal_codes_are_read_in_any_case_with_or_without_the_space(typed, parts):
    assert postal_code_parts(typed) == parts


@pytest.mark.parametrize("typed", ["G6G 1N1", "g6g1n1", "G6G", "g6g"])
def test_a_postal_code_of_thetford_mines_is_taken_as_its_fsa_in_thetford_mines(db, typed):
    place = place_resolve(typed)
    assert place is not None
    assert place.territory.code == "31084"
    assert place.fsa == "G6G" and place.fsa_name == "Thetford Mines"
    assert place.postal_code == ("G6G 1N1" if len(typed) > 3 else "G6G")
    assert place.point == (46.0937, -71.3054)
    assert not place.placed_by_directory


def test_a_postal_code_outside_quebec_is_refused_with_a_reason(db):
    with pytest.raises(TerritoryNotChosen, match="n'est pas au Québec"):
        place_resolve("M5V 3L9")


def test_an_fsa_missing_from_the_open_file_is_placed_by_the_directory_addresses(db, thetford, monkeypatch):
    from tests.directory.factories import ServiceFactory, place
    from toitcommun.directory.models import Address

    monkeypatch.setattr(places, "fsa_points", lambda: {})
    with pytest.raises(TerritoryNotChosen, match="Code postal inconnu : G6G 1N1"):
        place_resolve("G6G 1N1")
    location = place(ServiceFactory(), "31084")
    Address.objects.create(location=location, address_1="1, rue Test", city="Thetford Mines", postal_code="g6g1a1")
    found = place_resolve("G6G 1N1")
    assert found is not None and found.territory.code == "31084" and found.placed_by_directory
    assert found.point == places.municipality_point("31084")


def test_every_fsa_of_the_open_file_is_placed_in_a_municipality(db):
    for fsa in fsa_points():
        place = place_resolve(fsa)
        assert place is not None and place.territory.level == "municipality" and place.point, fsa


def test_the_fsa_file_is_quebec_only_and_well_formed():
    with open(FSA_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 421
    for row in rows:
        assert postal_code_parts(row["fsa"]) == (row["fsa"], row["fsa"])
        assert row["fsa"][0] in "GHJ"
        assert 44.9 < float(row["latitude"]) < 62.6 and -79.8 < float(row["longitude"]) < -57.0


def test_the_place_box_suggests_a_postal_code_with_its_municipality(db):
    assert place_suggestions("g6g 1n1") == [{"code": "G6G 1N1", "name": "G6G 1N1", "level": "postal_code",
                                             "level_label": "Code postal", "context": "Thetford Mines",
                                             "matched_name": ""}]
    assert place_suggestions("M5V 3L9") == []
    assert place_suggestions("Thetfort")[0]["name"] == "Thetford Mines"


def test_a_chosen_code_counts_while_the_text_still_reads_it(db):
    assert resolved("Lévis", code="TE25") == "TE25"
    assert resolved("Lévis", code="31084") == "25213"  # the text says otherwise: the text wins
    assert resolved("G6G 1N1", code="G6G 1N1") == "31084"
    assert resolved("Thetford Mines", code="nonsense") == "31084"


def test_distances_are_great_circle_kilometres():
    assert distance_km((46.0937, -71.3054), (46.0937, -71.3054)) == 0
    assert round(distance_km((46.0, -71.0), (47.0, -71.0)), 1) == 111.2  # a degree of latitude
    # Along a parallel a degree of longitude shrinks with the cosine of the latitude: 77.2 km at 46° N.
    assert round(distance_km((46.0, -71.0), (46.0, -72.0)), 1) == 77.2


def test_forms_read_designations_in_a_list_of_territories(db):
    from toitcommun.territory.forms import parse_territories

    found = parse_territories("MRC des Appalaches, Ville de Lévis; Région de la Chaudière-Appalaches\nSt-Joseph-de-Beauce")
    assert [ref.code for ref in found] == ["310", "25213", "12", "27043"]
