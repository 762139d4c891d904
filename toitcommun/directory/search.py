"""Full-text search of services with the database's own engine (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL

from toitcommun.territory.text import fold

from .models import Service, ServiceAtLocation

_WORD = re.compile(r"[a-z0-9]+")
MAX_TERMS = 12
# Services reindexed per round trip: well under SQLite's limit of parameters in one statement.
INDEX_BATCH = 400


def search_terms(text: str) -> list[str]:
    """The folded words of a query, at most a dozen: 'Épicerie  solidaire!' -> ['epicerie', 'solidaire']."""
    return _WORD.findall(fold(text))[:MAX_TERMS]


def text_of(service: Service) -> str:
    """Everything a person may type to find this service, folded (from what is prefetched, if anything)."""
    parts: list[str] = [service.name, service.alternate_name, service.description,
                        service.eligibility_description, service.directory_organization.name]
    terms = list(service.categories.all())
    parts += [t.name for t in terms]
    parts += [t.name_en for t in terms if t.name_en]
    for sal in service.service_at_locations.all():
        loc = sal.location
        parts += [loc.name, loc.municipality.name if loc.municipality else ""]
    return fold(" ".join(p for p in parts if p))[:20000]


def _for_indexing(pks: list[object]) -> list[Service]:
    """These services with everything their text reads, in three queries."""
    return list(Service.objects.filter(pk__in=pks).select_related("directory_organization").prefetch_related(
        "categories",
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location__municipality")),
    ))


def index_services(services: Iterable[Service]) -> None:
    """Refresh the stored search text (and, on SQLite, the FTS5 rows) of these services.

    The services are read again once, with what their text needs prefetched, and written in
    bulk: the number of queries does not grow with the number of services (one round per
    ``INDEX_BATCH`` of them). The given instances get their new text too.
    """
    given: dict[object, list[Service]] = {}
    for service in services:
        given.setdefault(service.pk, []).append(service)
    pks = list(given)
    for start in range(0, len(pks), INDEX_BATCH):
        fresh = _for_indexing(pks[start : start + INDEX_BATCH])
        for service in fresh:
            service.search_text = text_of(service)
            for instance in given[service.pk]:
                instance.search_text = service.search_text
        Service.objects.bulk_update(fresh, ["search_text"], batch_size=INDEX_BATCH)
        if connection.vendor == "sqlite" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM directory_service_fts WHERE service_id IN (SELECT value FROM json_each(%s))",
                               [json.dumps([s.pk.hex for s in fresh])])
                cursor.executemany("INSERT INTO directory_service_fts (service_id, body) VALUES (%s, %s)",
                                   [(s.pk.hex, s.search_text) for s in fresh])


def unindex_all() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM directory_service_fts")


def matching(text: str) -> Q:
    """A Q on Service keeping those whose text holds every word of the query (as word prefixes)."""
    terms = search_terms(text)
    if not terms:
        return Q()
    if connection.vendor == "sqlite":
        query = " ".join(f'"{t}"*' for t in terms)
        return Q(pk__in=RawSQL(
            "SELECT service_id FROM directory_service_fts WHERE directory_service_fts MATCH %s", [query]
        ))
    if connection.vendor == "postgresql":
        query = " & ".join(f"{t}:*" for t in terms)
        return Q(pk__in=RawSQL(
            "SELECT id FROM directory_service WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",
            [query],
        ))
    q = Q()
    for t in terms:
        q &= Q(search_text__contains=t)
    return q
