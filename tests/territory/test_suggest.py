"""Choosing a territory by name: suggestions (accents, former names, St/Ste, typos, ranking) and resolution."""

from __future__ import annotations

import pytest

from toitcommun.errors import NotFound
from toitcommun.territory.selectors import TerritoryNotChosen, territory_resolve, territory_suggest


def codes(q, **kwargs):
    return [s.territory.code for s in territory_suggest(q, **kwargs)]


def test_thetfort_suggests_thetford_mines(db):
    found = territory_suggest("Thetfort")

    assert [(s.territory.code, s.territory.name, s.context) for s in found] == [
        ("31084", "Thetford Mines", "Les Appalaches")]


@pytest.mark.parametrize("typed", ["Lévis", "levis", "LEVIS", "  lÉvIs "])
def test_case_and_accents_do_not_matter(db, typed):
    assert codes(typed) == ["TE25", "25213"]


def test_former_name_robert_cliche_finds_beauce_centre_and_says_so(db):
    found = territory_suggest("Robert-Cliche")

    assert [(s.territory.code, s.territory.name, s.matched_name) for s in found] == [
        ("270", "Beauce-Centre", "Robert-Cliche")]


def test_st_and_ste_stand_for_saint_and_sainte(db):
    assert codes("St-Joseph-de-Beauce", levels=["municipality"])[0] == "27043"
    assert codes("ste marie", levels=["municipality"])[0] == "26030"
    assert codes("St. Georges", levels=["municipality"])[0] == "29073"


def test_exact_name_first_then_names_that_begin_with_it_then_names_that_contain_it(db):
    found = territory_suggest("Sainte-Marie", levels=["municipality"], limit=50)
    names = [s.territory.name for s in found]

    assert names[0] == "Sainte-Marie"
    beginning = [n for n in names if n.startswith("Sainte-Marie-")]
    assert beginning and names[1 : 1 + len(beginning)] == beginning
    assert names.index("Lac-Sainte-Marie") > len(beginning)


def test_a_whole_name_close_to_the_typo_ranks_before_a_longer_one(db):
    assert codes("Rimousky")[:2] == ["10043", "100"]


def test_a_code_is_found_first(db):
    assert codes("31084")[0] == "31084"
    assert codes("QC")[0] == "QC"


def test_levels_narrow_the_suggestions(db):
    found = territory_suggest("beauce", levels=["mrc"])

    assert {s.territory.level for s in found} == {"mrc"}
    assert [s.territory.code for s in found][:2] == ["270", "290"]


def test_an_unknown_level_is_refused(db):
    with pytest.raises(NotFound, match="Niveau inconnu : county."):
        territory_suggest("beauce", levels=["county"])


def test_nothing_typed_suggests_nothing(db):
    assert territory_suggest("  ") == []


def test_a_unique_name_resolves_to_its_territory(db):
    assert territory_resolve("thetford mines").code == "31084"
    assert territory_resolve("Robert-Cliche").code == "270"
    assert territory_resolve("Lévis (25213)").code == "25213"
    assert territory_resolve("TE25").code == "TE25"


def test_a_name_borne_by_several_territories_is_refused_with_their_codes(db):
    with pytest.raises(TerritoryNotChosen) as refusal:
        territory_resolve("Saint-Cyprien", levels=["municipality"])

    assert str(refusal.value) == (
        "« Saint-Cyprien » désigne plusieurs territoires : Saint-Cyprien (Rivière-du-Loup, 12005), "
        "Saint-Cyprien (Les Etchemins, 28040). Choisissez-en un dans la liste ou écrivez son code.")


def test_a_typo_is_refused_with_what_was_meant(db):
    with pytest.raises(TerritoryNotChosen, match=r"^Territoire introuvable : « Thetfort ». "
                                                  r"Vouliez-vous dire : Thetford Mines \?$"):
        territory_resolve("Thetfort", levels=["municipality"])


def test_a_territory_of_another_level_is_not_chosen(db):
    with pytest.raises(TerritoryNotChosen, match="Territoire inconnu : 310."):
        territory_resolve("310", levels=["municipality"])


def test_suggestions_cost_three_small_queries_once_the_names_are_kept(db, django_assert_num_queries):
    territory_suggest("Thetfort")
    with django_assert_num_queries(3):
        territory_suggest("Beauce")
