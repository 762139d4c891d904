"""The territory tree through the API: search by level, parent and name, former names included."""

from __future__ import annotations


def test_former_name_finds_the_renamed_mrc(client):
    answer = client.get("/api/v1/territories", {"level": "mrc", "q": "robert-cliche"})

    assert answer.status_code == 200
    assert answer.json() == {
        "items": [{"code": "270", "name": "Beauce-Centre", "level": "mrc", "parent_code": "12"}],
        "count": 1,
    }


def test_search_ignores_case_and_accents(client):
    answer = client.get("/api/v1/territories", {"level": "municipality", "q": "LEVIS"})

    assert [(t["code"], t["name"]) for t in answer.json()["items"]] == [("25213", "Lévis")]


def test_mrcs_of_a_region(client):
    answer = client.get("/api/v1/territories", {"level": "mrc", "parent": "12"})

    items = answer.json()["items"]
    assert answer.json()["count"] == len(items) > 5
    assert {t["parent_code"] for t in items} == {"12"}
    assert {"270", "310", "TE25"} <= {t["code"] for t in items}


def test_regions_of_the_province(client):
    answer = client.get("/api/v1/territories", {"level": "region", "parent": "QC"})

    assert answer.json()["count"] == 17


def test_unknown_level_is_bad_input_on_level(client):
    answer = client.get("/api/v1/territories", {"level": "county"})

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == ["level"]


def test_unknown_parent_is_404_with_its_code(client):
    answer = client.get("/api/v1/territories", {"parent": "999"})

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Territoire inconnu : 999."}


def test_one_territory_with_its_former_names(client):
    answer = client.get("/api/v1/territories/270")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["code"], body["name"], body["level"], body["parent_code"]) == ("270", "Beauce-Centre", "mrc", "12")
    assert "Robert-Cliche" in body["former_names"]


def test_the_province_is_a_territory(client):
    assert client.get("/api/v1/territories/qc").json() == {
        "code": "QC", "name": "Québec", "level": "province", "parent_code": None, "former_names": [],
    }


def test_unknown_territory_is_404(client):
    answer = client.get("/api/v1/territories/00000")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Territoire inconnu : 00000."}


def test_suggest_finds_thetford_mines_for_thetfort(client):
    answer = client.get("/api/v1/territories/suggest", {"q": "Thetfort", "levels": "municipality"})

    assert answer.status_code == 200
    assert answer.json() == {"items": [{
        "code": "31084", "name": "Thetford Mines", "level": "municipality", "level_label": "Municipalité",
        "context": "Les Appalaches", "matched_name": ""}]}


def test_suggest_says_which_former_name_matched(client):
    answer = client.get("/api/v1/territories/suggest", {"q": "robert cliche"})

    assert [(t["code"], t["matched_name"]) for t in answer.json()["items"]] == [("270", "Robert-Cliche")]


def test_suggest_refuses_an_unknown_level_naming_the_field(client):
    answer = client.get("/api/v1/territories/suggest", {"q": "beauce", "levels": "county"})

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "levels", "message": "Niveau inconnu : county."}]}


def test_suggest_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/territories/suggest" in paths


def test_the_combobox_endpoint_answers_the_same_list(client):
    page = client.get("/territoires/suggestions/", {"q": "Thetfort", "levels": "municipality"})
    api = client.get("/api/v1/territories/suggest", {"q": "Thetfort", "levels": "municipality"})

    assert page.status_code == 200
    assert page.json() == api.json()
