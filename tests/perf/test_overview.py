"""The available-housing page's figures, found with one pass over the latest snapshots, are the same
as housing_summary, summary_by_child and crosstab give one by one; its table comes a page at a time
and its map's points as JSON."""

from __future__ import annotations

import datetime
import random

import pytest

from tests.factories import (
    BuildingFactory,
    OrganizationFactory,
    SnapshotFactory,
    UnitGroupFactory,
    municipality,
)
from toitcommun.housing.selectors import (
    availability_overview,
    crosstab,
    housing_summary,
    summary_by_child,
)
from toitcommun.territory.selectors import territory_get

D = datetime.date
pytestmark = pytest.mark.django_db
CODES = ["QC", "12", "05", "310", "TE25", "31084", "43027"]


@pytest.fixture
def scattered():
    """Buildings in a few municipalities of two regions, with reports old and new, some never reported."""
    rng = random.Random(10)
    owner = OrganizationFactory()
    for code in ("31084", "31056", "25213", "43027", "31084"):
        for _ in range(4):
            building = BuildingFactory(organization=owner, municipality=municipality(code),
                                       tenure=rng.choice(["hlm", "coop", "obnl"]))
            for clientele in rng.sample(["seniors", "families", "singles"], rng.randint(1, 3)):
                UnitGroupFactory(building=building, clientele=clientele, bedrooms=rng.randint(0, 3),
                                 units=rng.randint(1, 30), adapted_units=0)
                for _ in range(rng.randint(0, 3)):
                    SnapshotFactory(building=building, clientele=clientele,
                                    as_of=D(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 400)),
                                    vacant_units=rng.randint(0, 1), waiting_list=rng.randint(0, 9))


@pytest.mark.parametrize("on", [D(2023, 6, 1), D(2024, 6, 1), D(2025, 3, 1)])
def test_overview_gives_the_same_figures(scattered, on):
    for code in CODES:
        territory = territory_get(code)
        overview = availability_overview(territory, on)
        assert overview.summary == housing_summary(territory, on), code
        assert overview.children == summary_by_child(territory, on), code
        assert overview.crosstab == crosstab(territory, on), code


def test_overview_of_the_demo(demo):
    for code in ("QC", "12", "310", "31084", "TE25"):
        territory = territory_get(code)
        on = D(2016, 1, 1)
        overview = availability_overview(territory, on)
        assert overview.summary == housing_summary(territory, on)
        assert overview.children == summary_by_child(territory, on)
        assert overview.crosstab == crosstab(territory, on)


def test_page_finds_the_latest_snapshots_once(client, scattered, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/logement/disponibles/QC/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/logement/disponibles/310/").status_code == 200


def test_table_comes_a_page_at_a_time(client, thetford, housing_office):
    for n in range(130):
        building = BuildingFactory(organization=housing_office, municipality=thetford, name=f"Site {n:03}")
        UnitGroupFactory(building=building)
    first = client.get("/logement/disponibles/31084/")
    assert [r.building.name for r in first.context["rows"]][:2] == ["Site 000", "Site 001"]
    assert len(first.context["rows"]) == 100 and first.context["rows_total"] == 130
    assert "table=2" in first.content.decode()
    second = client.get("/logement/disponibles/31084/", {"table": "2"})
    assert [r.building.name for r in second.context["rows"]][0] == "Site 100"
    assert len(second.context["rows"]) == 30
    for odd in ("99", "-1", "x", "0"):
        assert client.get("/logement/disponibles/31084/", {"table": odd}).status_code == 200


def test_map_points_come_as_json(client, thetford, housing_office):
    building = BuildingFactory(organization=housing_office, municipality=thetford, name="Les Pins",
                               latitude="46.09", longitude="-71.30")
    UnitGroupFactory(building=building, clientele="seniors", units=10)
    SnapshotFactory(building=building, clientele="seniors", as_of=D(2024, 3, 1), vacant_units=1, waiting_list=4)
    page = client.get("/logement/disponibles/31084/", {"date": "2024-03-15"})
    body = page.content.decode()
    assert "site-map-points" not in body
    url = page.context["map_points_url"]
    assert url == "/logement/disponibles/31084/carte.json?date=2024-03-15" and f'data-points-url="{url}"' in body
    [point] = client.get(url).json()
    assert point["name"] == "Les Pins" and point["url"] == f"/logement/immeubles/{building.pk}/"
    assert point["lines"] == ["Aînés : 1 vacants, 4 en attente, au 2024-03-01"]
    assert client.get("/logement/disponibles/QC/carte.json").json() == []
    assert client.get("/logement/disponibles/00000/carte.json").status_code == 404
