"""French-aware full-text search of services with the database's own engine (SQLite FTS5, PostgreSQL tsvector).

One normalizer (``words``/``stems``) serves the index and the query, on both engines: case and
accents folded, ligatures expanded (œ → oe, æ → ae), elisions split (l', d', qu'…), French stop
words dropped, every word reduced to its Snowball stem. The engines only ever see that
normalized text: SQLite's FTS5 with its plain ``unicode61`` tokenizer, PostgreSQL's ``simple``
configuration. Both therefore find the same services; each ranks them with its own formula
(``bm25()`` with column weights, ``ts_rank_cd`` with weights), over three weighted fields:

- the name and alternate name (heaviest),
- the categories' names, French and English,
- the rest: description, eligibility, provider, places and their municipalities.

A query is a list of *slots*, each required: a word (its stem; the last word also as a typed
prefix, for search-as-you-type), or, where the query holds an expression of the region's
thesaurus, any expression of its group (a phrase each). When no service holds every slot, the
search falls back to any slot (``loose``), still ranked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer  # PyStemmer: the Snowball stemmers
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from .models import Service, ServiceAtLocation

MAX_TERMS = 12
# Services reindexed per round trip: well under SQLite's limit of parameters in one statement.
INDEX_BATCH = 400
MAX_INDEXED = 20000
# Column weights: name and alternate name > categories (and their synonyms, at query time) > the rest.
WEIGHT_NAME, WEIGHT_CATEGORIES, WEIGHT_BODY = 10.0, 4.0, 1.0
# PostgreSQL's ts_rank_cd weights, in its order {D, C, B, A}: A the names, B the categories, C the rest.
PG_WEIGHTS = f"{{0.0, {WEIGHT_BODY / WEIGHT_NAME}, {WEIGHT_CATEGORIES / WEIGHT_NAME}, 1.0}}"

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl"})
_WORD = re.compile(r"[a-z0-9]+")
# French stop words (folded), elided forms included: what "l'", "d'", "qu'"... leave once split.
STOP_WORDS = frozenset("""
    a ai aie aient aies ait as au aux avec avez avons c ca ce ceci cela ces cet cette d dans de des du elle
    elles en es est et etaient etais etait etant ete etes etre eu eux il ils j je l la le les leur leurs lui m
    ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que quel quelle quelles quels
    qui s sa sans se sera ses si son sont sur t ta te tes toi ton tu un une vos votre vous y
""".split())

_stemmer = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower case, ligatures expanded, accents dropped: 'Cœur-des-Appalaches' -> 'coeur-des-appalaches'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words that count, in order: elisions split off and stop words dropped.

    "L'aide d'urgence de la Cœur" -> ['aide', 'urgence', 'coeur'].
    """
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A folded word's Snowball stem; a plural's final s goes first, so 'loyer' and 'loyers' agree."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return str(_stemmer.stemWord(word))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def normalized(text: str) -> str:
    """The text as both engines index it: its stems, space-separated."""
    return " ".join(stems(text))


def search_terms(text: str) -> list[str]:
    """The stems of a query, at most a dozen: 'Épiceries  solidaires!' -> ['epicer', 'solidair']."""
    return stems(text)[:MAX_TERMS]


# ---- the index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexedText:
    name: str
    alternate_name: str
    categories: str
    body: str


def text_of(service: Service) -> IndexedText:
    """Everything a person may type to find this service, normalized (from what is prefetched, if anything)."""
    terms = list(service.categories.all())
    body: list[str] = [service.description, service.eligibility_description, service.directory_organization.name]
    for sal in service.service_at_locations.all():
        loc = sal.location
        body += [loc.name, loc.municipality.name if loc.municipality else ""]
    return IndexedText(
        name=normalized(service.name),
        alternate_name=normalized(service.alternate_name),
        categories=normalized(" ".join([t.name for t in terms] + [t.name_en for t in terms if t.name_en])),
        body=normalized(" ".join(p for p in body if p))[:MAX_INDEXED],
    )


FIELDS = ("search_name", "search_alternate_name", "search_categories", "search_text")


def _set_text(service: Service, text: IndexedText) -> None:
    service.search_name, service.search_alternate_name = text.name, text.alternate_name
    service.search_categories, service.search_text = text.categories, text.body


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
            text = text_of(service)
            _set_text(service, text)
            for instance in given[service.pk]:
                _set_text(instance, text)
        Service.objects.bulk_update(fresh, list(FIELDS), batch_size=INDEX_BATCH)
        if connection.vendor == "sqlite" and fresh:
            fill_sqlite_index([s.pk.hex for s in fresh])


def fill_sqlite_index(ids: Sequence[str] | None = None) -> None:
    """(Re)write the FTS5 rows of these services (all when None) from their stored text.

    An FTS5 row has the service's own rowid, so that ranking a service is one keyed look-up.
    """
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute("DELETE FROM directory_service_fts")
            where, params = "", []
        else:
            cursor.execute("DELETE FROM directory_service_fts WHERE service_id IN (SELECT value FROM json_each(%s))",
                           [json.dumps(list(ids))])
            # A row left by a deleted service whose rowid a new service took goes too.
            cursor.execute("DELETE FROM directory_service_fts WHERE rowid IN (SELECT rowid FROM directory_service "
                           "WHERE id IN (SELECT value FROM json_each(%s)))", [json.dumps(list(ids))])
            where, params = "WHERE id IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]
        # where is one of two constants; the ids go as a parameter.
        cursor.execute(
            "INSERT INTO directory_service_fts (rowid, service_id, name, categories, body) "  # noqa: S608
            "SELECT rowid, id, search_name || ' ' || search_alternate_name, search_categories, search_text "
            f"FROM directory_service {where}", params)


def unindex_all() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM directory_service_fts")


# ---- the query ------------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """One required part of a query: any of these phrases (stems), or the typed word as a prefix."""

    phrases: tuple[Phrase, ...]
    prefix: str = ""


@dataclass(frozen=True)
class TextQuery:
    """A query as both engines take it: its slots, and its stems (to know a service by its exact name)."""

    slots: tuple[Slot, ...]
    terms: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.slots)

    @property
    def key(self) -> str:
        """The query's stems as a service's name is stored (search_name): the same when it is its name."""
        return " ".join(self.terms)

    @property
    def may_loosen(self) -> bool:
        """Several words: if no service holds them all, some may hold some of them."""
        return len(self.terms) > 1

    def loose_slots(self) -> tuple[Slot, ...]:
        """Any of these finds a service when no service holds every slot: each slot, and each word alone."""
        alone = tuple(Slot(phrases=((t,),)) for t in dict.fromkeys(self.terms)
                      if all(((t,),) != s.phrases for s in self.slots))
        return self.slots + alone


def thesaurus_groups() -> list[list[Phrase]]:
    """The region's synonym groups, each a list of normalized expressions (read at every search)."""
    from .models import SynonymGroup

    groups = []
    for expressions in SynonymGroup.objects.values_list("expressions", flat=True):
        phrases = list(dict.fromkeys(tuple(stems(e)) for e in expressions or []))
        phrases = [p for p in phrases if p]
        if len(phrases) > 1:
            groups.append(phrases)
    return groups


def text_query(text: str, groups: list[list[Phrase]] | None = None) -> TextQuery:
    """The slots of a query, expanded with the thesaurus.

    Left to right, the longest expression of a group found at this place in the query becomes
    one slot: any expression of every group holding it. Other words are a slot each.
    """
    folded = words(text)[:MAX_TERMS]
    terms = [stem(w) for w in folded]
    if groups is None:
        groups = thesaurus_groups() if terms else []
    slots: list[Slot] = []
    i = 0
    while i < len(terms):
        best: Phrase = ()
        for group in groups:
            for phrase in group:
                if len(phrase) > len(best) and tuple(terms[i:i + len(phrase)]) == phrase:
                    best = phrase
        if best:
            alternatives = [p for g in groups if best in g for p in g]
            slots.append(Slot(phrases=tuple(dict.fromkeys([best, *alternatives]))))
            i += len(best)
        else:
            last = i == len(terms) - 1
            slots.append(Slot(phrases=((terms[i],),), prefix=folded[i] if last and len(folded[i]) >= 3 else ""))
            i += 1
    return TextQuery(slots=tuple(slots), terms=tuple(terms))


def fts5_expression(query: TextQuery, *, any_slot: bool = False) -> str:
    """The FTS5 MATCH string: '("aid aliment" OR "banqu aliment") AND ("thetford" OR "thetford"*)'."""
    parts = []
    for slot in (query.loose_slots() if any_slot else query.slots):
        options = [f'"{" ".join(p)}"' for p in slot.phrases]
        if slot.prefix:
            options.append(f'"{slot.prefix}"*')
        parts.append("(" + " OR ".join(options) + ")")
    return (" OR " if any_slot else " AND ").join(parts)


def tsquery_expression(query: TextQuery, *, any_slot: bool = False) -> str:
    """The same for PostgreSQL's to_tsquery('simple', …): '(aid <-> aliment | banqu <-> aliment) & …'."""
    parts = []
    for slot in (query.loose_slots() if any_slot else query.slots):
        options = [" <-> ".join(p) for p in slot.phrases]
        if slot.prefix:
            options.append(f"{slot.prefix}:*")
        parts.append("(" + " | ".join(options) + ")")
    return (" | " if any_slot else " & ").join(parts)


def pg_vector(table: str = "directory_service") -> str:
    """The service's weighted tsvector: on PostgreSQL a stored generated column (migration 0011), computed
    when the row is written rather than for every candidate of every search."""
    return f"{table}.search_vector"


def with_text(services: QuerySet[Service], query: TextQuery, *, any_slot: bool = False) -> QuerySet[Service]:
    """These services, those holding every slot of the query (any slot, if asked), with their ``search_rank``.

    The rank comes lower first: ``bm25()`` on SQLite, minus ``ts_rank_cd`` on PostgreSQL, both
    with the column weights. On SQLite the FTS5 table is joined once, by the service's rowid:
    bm25 needs each phrase's frequency over the whole index, which one cursor computes once,
    where a subquery per service would compute it again for every one. The "+" keeps SQLite from
    reading the join the other way (a full-text match per candidate service).
    """
    if not query:
        return services
    if connection.vendor == "sqlite":
        return services.extra(  # noqa: S610 (constants; the query text goes as a parameter)
            tables=["directory_service_fts"],
            where=["directory_service_fts MATCH %s", "directory_service.rowid = directory_service_fts.rowid"],
            params=[fts5_expression(query, any_slot=any_slot)],
            select={"search_rank": "bm25(directory_service_fts, 0.0, %s, %s, %s)"},
            select_params=[WEIGHT_NAME, WEIGHT_CATEGORIES, WEIGHT_BODY],
        )
    if connection.vendor == "postgresql":
        expression = tsquery_expression(query, any_slot=any_slot)
        return services.filter(pk__in=RawSQL(  # noqa: S611 (the vector is our constant)
            f"SELECT id FROM directory_service WHERE {pg_vector()} @@ to_tsquery('simple', %s)",  # noqa: S608
            [expression])).annotate(search_rank=RawSQL(  # noqa: S611
                f"-ts_rank_cd(%s::float4[], {pg_vector()}, to_tsquery('simple', %s))", [PG_WEIGHTS, expression]))
    raise ImproperlyConfigured(f"Directory search runs on SQLite or PostgreSQL, not {connection.vendor}.")
