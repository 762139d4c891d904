"""Search indexing reads its services once and writes in bulk: its queries do not grow with their number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.directory.factories import ServiceFactory, place
from toitcommun.directory.models import Service
from toitcommun.directory.search import index_services, text_of
from toitcommun.directory.selectors import search_query, services_search
from toitcommun.directory.services import category_save
from toitcommun.directory.taxonomy_seed import term_id

# Three reads (services with their provider, categories, places), one bulk update; on SQLite the
# FTS5 rows are deleted (those of the services, then any stale row on a rowid a service now holds)
# and inserted, one statement each.
INDEX_QUERIES = 7 if connection.vendor == "sqlite" else 4


def services_in_food(n: int) -> list[Service]:
    made = []
    for i in range(n):
        service = ServiceFactory(name=f"Comptoir {i}")
        service.categories.add(term_id("category", "food"))
        place(service, "31084", f"Local {i}")
        made.append(service)
    return made


@pytest.mark.parametrize("n", [1, 3, 12])
def test_indexing_takes_the_same_queries_for_any_number_of_services(db, django_assert_num_queries, n):
    services = services_in_food(n)

    with django_assert_num_queries(INDEX_QUERIES):
        index_services(services)

    stored = dict(Service.objects.values_list("pk", "search_text"))
    assert [stored[s.pk] for s in services] == [text_of(Service.objects.get(pk=s.pk)).body for s in services]
    assert [s.search_text for s in services] == [stored[s.pk] for s in services]
    assert len(services_search(search_query(text="comptoir thetford"))) == n


def test_renaming_a_category_reindexes_its_services_in_as_many_queries_for_two_as_for_ten(
        admin_user, django_assert_num_queries):
    def rename(name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            category_save(actor=admin_user, term_id=term_id("category", "food"),
                          data={"name": name, "name_en": "Food", "description": "x"})
        return len(queries.captured_queries)

    index_services(services_in_food(2))
    with_two = rename("Alimentation")
    index_services(services_in_food(8))

    with django_assert_num_queries(with_two):
        category_save(actor=admin_user, term_id=term_id("category", "food"),
                      data={"name": "Vivres", "name_en": "Provisions", "description": "x"})

    assert len(services_search(search_query(text="vivres"))) == 10
    # "Alimentation" is in the thesaurus' food group, which does not hold "vivres": its old name finds none.
    assert len(services_search(search_query(text="alimentation"))) == 0
