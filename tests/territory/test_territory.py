from django.core.management import call_command

from toitcommun.access.models import AuditEvent
from toitcommun.territory.models import Mrc, Municipality, Region
from toitcommun.territory.selectors import (
    PROVINCE,
    territory_ancestors,
    territory_get,
    territory_search,
)
from toitcommun.territory.services import territory_load_mamh
from toitcommun.territory.text import fold


def test_the_whole_province_is_loaded(db):
    assert Region.objects.count() == 17
    assert Municipality.objects.count() == 1281
    assert Mrc.objects.filter(is_equivalent_territory=False).count() == 87


def test_second_load_changes_nothing_and_writes_no_audit(db):
    events = AuditEvent.objects.count()
    report = territory_load_mamh()
    assert not report.changed
    assert report.created == {"region": 0, "mrc": 0, "municipality": 0}
    assert AuditEvent.objects.count() == events


def test_load_repairs_a_changed_name_and_records_it(db):
    Municipality.objects.filter(code="31084").update(name="Thetford")
    report = territory_load_mamh()
    assert report.updated["municipality"] == 1
    assert Municipality.objects.get(code="31084").name == "Thetford Mines"
    event = AuditEvent.objects.filter(action="territory.municipality.update", object_id="31084").get()
    assert event.before == {"name": "Thetford", "search_text": "thetford"} or event.before["name"] == "Thetford"


def test_load_command_reports_that_nothing_changed(db, capsys):
    call_command("load_territory")
    assert "rien n'a changé" in capsys.readouterr().out


def test_levis_stands_in_its_census_division_as_equivalent_territory(db):
    levis = Municipality.objects.select_related("mrc__region").get(code="25213")
    assert levis.mrc.is_equivalent_territory
    assert levis.mrc.code == "TE25"
    assert levis.mrc.region.code == "12"


def test_robert_cliche_finds_beauce_centre(db):
    found = territory_search(level="mrc", q="robert cliche")
    assert [t.code for t in found] == ["270"]
    assert found[0].name == "Beauce-Centre"
    assert "Robert-Cliche" in found[0].former_names


def test_search_ignores_case_and_accents(db):
    assert [t.code for t in territory_search(level="municipality", q="LEVIS")] == ["25213"]
    assert "31084" in [t.code for t in territory_search(level="municipality", parent="310", q="thetford")]


def test_search_by_parent_lists_the_mrcs_of_a_region(db):
    codes = {t.code for t in territory_search(level="mrc", parent="12")}
    assert {"310", "270", "TE25"} <= codes
    assert all(t.parent_code == "12" for t in territory_search(level="mrc", parent="12"))


def test_unknown_codes_are_not_found(db):
    import pytest

    from toitcommun.errors import NotFound

    for code in ("99", "999", "99999", "<script>", ""):
        with pytest.raises(NotFound):
            territory_get(code)
    with pytest.raises(NotFound):
        territory_search(level="galaxy")


def test_ancestors_go_up_to_the_province(db):
    chain = territory_ancestors(territory_get("31084"))
    assert [t.code for t in chain] == [PROVINCE.code, "12", "310"]


def test_fold_strips_accents_dashes_and_case():
    assert fold("Saint-Joseph-des-Érables") == "saint joseph des erables"
    assert fold("L'Amiante") == "l amiante"


def test_territory_pages(client, db):
    response = client.get("/territoires/", {"q": "Robert-Cliche"})
    assert response.status_code == 200
    assert "Beauce-Centre" in response.content.decode()
    response = client.get("/territoires/310/")
    assert "Thetford Mines" in response.content.decode()
    assert client.get("/territoires/999/").status_code == 404


def test_municipalities_get_their_point_from_the_open_points_file(db):
    thetford = Municipality.objects.get(code="31084")

    assert (str(thetford.latitude), str(thetford.longitude)) == ("46.106500", "-71.287300")
    assert Municipality.objects.exclude(latitude=None).count() == 1099
    # An unorganized territory has no point in the file: none is invented.
    assert Municipality.objects.get(code="02902").latitude is None


def test_load_repairs_a_changed_point(db):
    Municipality.objects.filter(code="31084").update(latitude=None, longitude=None)

    report = territory_load_mamh()

    assert report.updated["municipality"] == 1
    assert str(Municipality.objects.get(code="31084").latitude) == "46.106500"
