"""Full-text search of services with the database's own engine (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from toitcommun.territory.text import fold

from .models import Service

_WORD = re.compile(r"[a-z0-9]+")
MAX_TERMS = 12


def search_terms(text: str) -> list[str]:
    """The folded words of a query, at most a dozen: 'Épicerie  solidaire!' -> ['epicerie', 'solidaire']."""
    return _WORD.findall(fold(text))[:MAX_TERMS]


def text_of(service: Service) -> str:
    """Everything a person may type to find this service, folded."""
    parts: list[str] = [service.name, service.alternate_name, service.description,
                        service.eligibility_description, service.directory_organization.name]
    parts += [t.name for t in service.categories.all()]
    parts += [t.name_en for t in service.categories.all() if t.name_en]
    for sal in service.service_at_locations.select_related("location__municipality"):
        loc = sal.location
        parts += [loc.name, loc.municipality.name if loc.municipality else ""]
    return fold(" ".join(p for p in parts if p))[:20000]


def index_services(services: Iterable[Service]) -> None:
    """Refresh the stored search text (and, on SQLite, the FTS5 rows) of these services."""
    for service in services:
        text = text_of(service)
        Service.objects.filter(pk=service.pk).update(search_text=text)
        service.search_text = text
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM directory_service_fts WHERE service_id = %s", [service.pk.hex])
                cursor.execute("INSERT INTO directory_service_fts (service_id, body) VALUES (%s, %s)",
                               [service.pk.hex, text])


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
