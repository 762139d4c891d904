"""Search quality on the demo directory: what a tenant or a worker types, and the service they mean.

``search_quality.csv`` lists the queries (plurals, missing accents, ligatures, stop words,
synonyms, category names, exact names), the place when one is given, the service expected
among the first 3 results, and the first 3 that both engines give (SQLite FTS5 and PostgreSQL
tsvector read the same normalized text and find the same services; their rankings, bm25 and
ts_rank_cd, must agree on which 3 come first, and the test prints how often in the same order).
The test prints recall@3; run it on both databases.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.db import connection

from toitcommun.demo_directory import OFFERS, demo_id
from toitcommun.directory.models import Service
from toitcommun.directory.selectors import search_query, services_page
from toitcommun.territory.places import place_resolve

CASES = Path(__file__).with_name("search_quality.csv")


def cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def first_three(query: str, territory: str) -> list[str]:
    slugs = {demo_id("service", o.slug): o.slug for o in OFFERS}
    # The place as the page reads it: a code, a name as people say it, a typo, a postal code.
    code = place_resolve(territory).territory.code if territory else ""  # type: ignore[union-attr]
    page = services_page(search_query(text=query, territory=code), per_page=3)
    return [slugs.get(s.pk, str(s.pk)) for s in page.object_list]


def test_the_list_is_long_and_varied_enough():
    rows = cases()
    assert len({(r["query"], r["territory"]) for r in rows}) >= 30
    kinds = {r["kind"] for r in rows}
    assert {"plural", "no accent", "ligature", "stop words", "synonym", "category name", "exact name"} <= kinds
    known = {o.slug for o in OFFERS}
    assert {r["expected"] for r in rows} <= known


def test_the_expected_service_is_in_the_first_three_and_both_engines_agree(demo, capsys):
    rows = cases()
    missed, disagree, reordered = [], [], []
    for row in rows:
        found = first_three(row["query"], row["territory"])
        if row["expected"] not in found:
            missed.append((row["query"], row["territory"], row["expected"], found))
        if row["first_3"] and set(found) != set(row["first_3"].split()):
            disagree.append((row["query"], row["territory"], row["first_3"], found))
        elif row["first_3"] and found != row["first_3"].split():
            reordered.append(row["query"])
    recall = (len(rows) - len(missed)) / len(rows)
    with capsys.disabled():
        print(f"\nsearch quality on {connection.vendor}: recall@3 = {recall:.3f}"
              f" ({len(rows) - len(missed)}/{len(rows)} queries); same first 3 as recorded:"
              f" {len(rows) - len(disagree)}/{len(rows)}, in the same order: {len(rows) - len(disagree) - len(reordered)}")
    assert not missed, missed
    assert not disagree, disagree


def test_food_aid_in_thetford_mines_returns_every_food_aid_service_there(demo):
    page = services_page(search_query(text="aide alimentaire", territory="31084"), per_page=20)
    food_there = set(Service.objects.filter(categories__code="food").filter(
        pk__in=[demo_id("service", s) for s in ("depannage-alimentaire", "epicerie-solidaire",
                                                "cuisines-collectives")]).values_list("pk", flat=True))
    assert len(food_there) == 3
    assert food_there <= {s.pk for s in page.object_list}
    assert not page.loose


@pytest.mark.parametrize("words", ["banque alimentaire", "épiceries", "manger", "impôts"])
def test_the_issues_words_find_services(demo, words):
    assert services_page(search_query(text=words, territory="31084")).object_list


def test_every_service_is_first_for_its_own_name(demo):
    for offer in OFFERS:
        page = services_page(search_query(text=offer.name), per_page=1)
        assert [s.pk for s in page.object_list] == [demo_id("service", offer.slug)], offer.name


def test_no_service_holds_every_word_so_the_closest_come_and_it_is_said(demo, client):
    page = services_page(search_query(text="aide aux devoirs pour mon chat"))
    assert page.loose and page.object_list
    response = client.get("/repertoire/", {"q": "aide aux devoirs pour mon chat"})
    assert "voici les plus proches" in response.content.decode()
