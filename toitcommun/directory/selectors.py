"""Reads on the resource directory. The directory is public: retired services are shown to staff only."""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.territory.models import Mrc, Municipality
from toitcommun.territory.places import distance_km
from toitcommun.territory.selectors import TerritoryRef, territory_get

from .models import (
    Clientele,
    Correction,
    CorrectionState,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from .search import TextQuery, text_query, with_text
from .taxonomy_seed import CATEGORIES_TAXONOMY, CLIENTELES_TAXONOMY

MAX_QUERY_LENGTH = 200
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STALE_AFTER = datetime.timedelta(days=365)


@dataclass(frozen=True)
class SearchQuery:
    """What a person asked for: text, a territory, a category code, a clientele, open now.

    ``terms`` is the text as the full-text engines take it (stems, thesaurus expanded).
    """

    text: str = ""
    territory: TerritoryRef | None = None
    category: str = ""
    clientele: str = ""
    open_now: bool = False
    # Where distances are measured from (a municipality's or a postal code's point), and the order.
    origin: tuple[float, float] | None = None
    sort: str = "relevance"
    terms: TextQuery = TextQuery(slots=())


SORTS = ("relevance", "distance")


def search_query(*, text: str = "", territory: str = "", category: str = "", clientele: str = "",
                 open_now: bool = False, origin: tuple[float, float] | None = None,
                 sort: str = "relevance", known_categories: Collection[str] | None = None) -> SearchQuery:
    """Validate search input; unknown territory, category, clientele or sort is a ValidationFailed naming
    the field. Sorting by distance needs an origin (a place with a point).

    ``known_categories``: the category codes, when the caller has them already (no query to check one).
    """
    errors: dict[str, list[str]] = {}
    sort = sort or "relevance"
    if sort not in SORTS:
        errors["sort"] = [_("Tri inconnu : %(sort)s.") % {"sort": sort[:20]}]
    elif sort == "distance" and origin is None:
        errors["sort"] = [_("Le tri par distance demande un lieu précis : une municipalité ou un code postal.")]
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        errors["q"] = [_("La recherche est trop longue (%(max)s caractères au plus).") % {"max": MAX_QUERY_LENGTH}]
    ref = None
    if territory:
        try:
            ref = territory_get(territory)
        except NotFound as missing:
            errors["territory"] = [str(missing)]
    if category and not (category in known_categories if known_categories is not None else
                         TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY, code=category).exists()):
        errors["category"] = [_("Catégorie inconnue : %(code)s.") % {"code": category}]
    if clientele and clientele not in Clientele.values:
        errors["clientele"] = [_("Clientèle inconnue : %(code)s.") % {"code": clientele}]
    if errors:
        raise ValidationFailed(errors)
    return SearchQuery(text=text, territory=ref, category=category, clientele=clientele, open_now=open_now,
                       origin=origin, sort=sort, terms=text_query(text))


def serving(territory: TerritoryRef) -> Q:
    """Services whose service area overlaps the territory, or that have a place in it.

    A service serving an MRC is found from any of its municipalities, and a
    service of one municipality is found from its MRC, its region and the province.
    The services come as one list of ids (areas, then places): the database starts
    from it, the smallest set as a rule, and checks text and category on each.
    """
    if territory.level == "province":
        return Q()
    codes = {territory.code, "QC"}
    if territory.level == "municipality":  # its MRC's code is known; its region's is read in the same query
        areas = Q(territory_code__in=codes | {territory.parent_code or ""}) | Q(
            territory_code__in=Mrc.objects.filter(code=territory.parent_code).values("region__code"))
    elif territory.level == "mrc":
        codes.add(territory.parent_code or "")
        areas = Q(territory_code__in=codes) | Q(
            territory_code__in=Municipality.objects.filter(mrc__code=territory.code).values("code"))
    else:  # region
        areas = (Q(territory_code__in=codes)
                 | Q(territory_code__in=Mrc.objects.filter(region__code=territory.code).values("code"))
                 | Q(territory_code__in=Municipality.objects.filter(mrc__region__code=territory.code).values("code")))
    by_area = ServiceArea.objects.filter(areas).order_by().values("service_id")
    by_place = ServiceAtLocation.objects.filter(
        territory.municipality_filter("location__municipality")).order_by().values("service_id")
    return Q(pk__in=by_area.union(by_place))


def open_at(moment: datetime.datetime) -> Q:
    """Services with an opening-hours rule (on the service or one of its places) covering this moment."""
    local = timezone.localtime(moment)
    day, now, today = DAYS[local.weekday()], local.time(), local.date()
    # A rule of every other week or of some days of the month cannot say "open now" without
    # counting from its first date: only weekly rules answer (the page shows the others in words).
    covering = Schedule.objects.filter(
        Q(byday__contains=day, opens_at__lte=now, closes_at__gt=now)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        & Q(freq="WEEKLY") & (Q(interval__isnull=True) | Q(interval__lte=1))
    )
    return (Q(Exists(covering.filter(service=OuterRef("pk"))))
            | Q(Exists(covering.filter(location__service_at_locations__service=OuterRef("pk"))))
            | Q(Exists(covering.filter(service_at_location__service=OuterRef("pk")))))


def opening_boundaries(moment: datetime.datetime) -> tuple[datetime.time, ...]:
    """Every time of the moment's weekday at which a weekly opening-hours rule opens or closes, in order.
    Between two of them (and within one day) ``open_at`` says the same of every service: what the public
    cache keys "open now" pages by. A superset is harmless (rules not yet valid, every other week)."""
    day = DAYS[timezone.localtime(moment).weekday()]
    rules = Schedule.objects.filter(byday__contains=day, freq="WEEKLY").order_by()
    times = {*rules.values_list("opens_at", flat=True).distinct(), *rules.values_list("closes_at", flat=True).distinct()}
    return tuple(sorted(t for t in times if t is not None))


def services_search(query: SearchQuery, *, include_retired: bool = False,
                    moment: datetime.datetime | None = None, any_word: bool = False) -> QuerySet[Service]:
    """Services matching the query: with text, the best answers first (see ``search_order``); else by name.

    Every word of the text is required, unless ``any_word`` (the fallback when that finds nothing).
    Every filter is a membership test or an EXISTS on the service itself, so
    no join multiplies rows: no DISTINCT, and the page and its count are one
    flat query each. The territory comes first: SQLite starts from the first
    list of ids it meets.
    """
    qs = Service.objects.all()
    if query.territory is not None:
        qs = qs.filter(serving(query.territory))
    if not include_retired:
        qs = qs.exclude(status=ServiceStatus.DEFUNCT)
    if query.category:
        qs = qs.filter(Exists(Service.categories.through.objects.filter(
            service=OuterRef("pk"), taxonomyterm__taxonomy_id=CATEGORIES_TAXONOMY,
            taxonomyterm__code=query.category)))
    if query.clientele:
        qs = qs.filter(clienteles__contains=[query.clientele]) if _json_contains_supported() else qs.filter(
            clienteles__icontains=f'"{query.clientele}"')
    if query.open_now:
        qs = qs.filter(open_at(moment or timezone.now()))
    qs = with_text(qs, query.terms, any_slot=any_word)
    if query.sort == "distance" and query.origin is not None:
        qs = qs.annotate(nearest=nearest(query.origin))
    return with_listed(qs).order_by(*search_order(query))


def with_listed(services: QuerySet[Service]) -> QuerySet[Service]:
    """What a list of results shows of each service: provider, categories, places with addresses, phones."""
    return services.select_related("directory_organization").prefetch_related(
        "categories",
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related(
            "location__municipality").prefetch_related("location__addresses", "location__phones")),
        "phones",
    )


def nearest(origin: tuple[float, float]) -> Subquery:
    """How far a service's nearest place is from the origin, as a number that orders like the
    distance (squared degrees of latitude, longitudes shrunk by the cosine of the origin's
    latitude: within a fraction of a percent of the true order at a region's scale). Plain
    arithmetic, so SQLite and PostgreSQL order the same way; the page shows true kilometres."""
    lat0, lng0 = float(origin[0]), float(origin[1])
    shrink = math.cos(math.radians(lat0))
    dlat = Cast("location__latitude", FloatField()) - Value(lat0)
    dlng = (Cast("location__longitude", FloatField()) - Value(lng0)) * Value(shrink)
    squared = ExpressionWrapper(dlat * dlat + dlng * dlng, output_field=FloatField())
    closest = (ServiceAtLocation.objects.filter(service=OuterRef("pk"), location__latitude__isnull=False,
                                                location__longitude__isnull=False)
               .annotate(squared=squared).order_by("squared").values("squared")[:1])
    return Subquery(closest, output_field=FloatField())


def service_distance_km(service: Service, origin: tuple[float, float] | None) -> float | None:
    """Kilometres from the origin to the service's nearest place (from prefetched places), if both have points."""
    if origin is None:
        return None
    found = [distance_km(origin, (float(sal.location.latitude), float(sal.location.longitude)))
             for sal in service.service_at_locations.all()
             if sal.location.latitude is not None and sal.location.longitude is not None]
    return round(min(found), 1) if found else None


def search_order(query: SearchQuery) -> list[Any]:
    """The order of results, most telling first.

    With text: the service whose name is the query itself, then the engine's rank (the
    ``search_rank`` annotation: names weigh more than categories, which weigh more than the
    rest), then the most recently verified; always the name and id last, so that pages of
    equal services neither repeat nor skip any. Another ordering (a distance) goes before the
    rank or replaces it; the name and id stay last.
    """
    order: list[Any] = []
    if query.sort == "distance" and query.origin is not None:
        order.append(F("nearest").asc(nulls_last=True))
    if query.terms:
        order += [Case(When(search_name=query.terms.key, then=Value(0)), default=Value(1)),
                  "search_rank",
                  OrderBy(F("last_verified_on"), descending=True, nulls_last=True)]
    return [*order, "name", "pk"]


def services_found(query: SearchQuery, *, include_retired: bool = False,
                   moment: datetime.datetime | None = None) -> tuple[QuerySet[Service], bool]:
    """The services of the query, and whether they are the closest ones only (no service holds every word).

    One query more than ``services_search`` when the text has several words (is there any service
    holding them all?); when none does, the services holding any of them, ranked.
    """
    found = services_search(query, include_retired=include_retired, moment=moment)
    if query.terms.may_loosen and not found.exists():
        return services_search(query, include_retired=include_retired, moment=moment, any_word=True), True
    return found, False


MAX_PAGE_NUMBER = 100_000


def services_page(query: SearchQuery, *, number: Any = 1, per_page: int = 20, include_retired: bool = False,
                  moment: datetime.datetime | None = None) -> Page:
    """One page of results with the total counted in the same query (a window), as a Django Page.

    When no service holds every word of the text, the page holds the closest ones (any word,
    ranked) and its ``loose`` attribute is true, for the page to say so.
    """
    qs = services_search(query, include_retired=include_retired, moment=moment)
    page = _page_of(qs, number, per_page)
    page.loose = False  # type: ignore[attr-defined]
    if not page.object_list and query.terms.may_loosen:
        page = _page_of(services_search(query, include_retired=include_retired, moment=moment, any_word=True),
                        number, per_page)
        page.loose = bool(page.object_list)  # type: ignore[attr-defined]
    return page


def _page_of(qs: QuerySet[Service], number: Any, per_page: int) -> Page:
    try:
        # Past the last page is the last page; a number no page could reach stays a small one.
        wanted = min(max(1, int(number)), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        wanted = 1
    if connection.vendor == "sqlite" and "search_rank" in qs.query.extra:
        # SQLite's bm25() cannot be read under a window: the ranked ids of every match in one
        # query (they are the count), then the page's services by id.
        ids = list(qs.prefetch_related(None).select_related(None).values_list("pk", flat=True))
        total = len(ids)
        wanted = min(wanted, max(1, -(-total // per_page)))
        wanted_ids = ids[(wanted - 1) * per_page: wanted * per_page]
        found = {s.pk: s for s in with_listed(Service.objects.filter(pk__in=wanted_ids))} if wanted_ids else {}
        rows = [found[pk] for pk in wanted_ids]
    else:
        counted = qs.annotate(total_found=Window(Count("pk")))
        rows = list(counted[(wanted - 1) * per_page: wanted * per_page])
        total = rows[0].total_found if rows else qs.count()  # type: ignore[attr-defined]
        last = max(1, -(-total // per_page))
        if not rows and wanted > last:  # past the end: the last page, as Paginator.get_page does
            wanted = last
            rows = list(counted[(wanted - 1) * per_page: wanted * per_page])
    paginator = Paginator(qs, per_page)
    paginator.count = total  # type: ignore[misc]  # known already: no second COUNT query
    return Page(rows, wanted, paginator)


def _json_contains_supported() -> bool:
    return bool(connection.features.supports_json_field_contains)


def service_get(pk: Any, *, include_retired: bool = False) -> Service:
    """One service with everything its page shows, or NotFound (also for a retired one, to the public)."""
    qs = Service.objects.select_related("directory_organization", "verified_by").prefetch_related(
        "categories", "languages", "service_areas", "contacts__phones", "phones__languages",
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related(
            "location__municipality").prefetch_related("location__addresses", "location__phones__languages",
                                                       "location__schedules", "location__languages",
                                                       "phones__languages", "schedules")),
    )
    if not include_retired:
        qs = qs.exclude(status=ServiceStatus.DEFUNCT)
    try:
        return qs.get(pk=uuid.UUID(str(pk)))
    except (Service.DoesNotExist, ValueError):
        raise NotFound(_("Service introuvable.")) from None


def services_of_organization(organization_id: int) -> QuerySet[Service]:
    """The services an organization of the registry offers in the directory (not retired), by name."""
    return (Service.objects.filter(directory_organization__organization_id=organization_id)
            .exclude(status=ServiceStatus.DEFUNCT).order_by("name", "pk"))


def is_stale(service: Service, today: datetime.date | None = None) -> bool:
    """Not verified for a year (or never): staff pages flag it."""
    today = today or timezone.localdate()
    return service.last_verified_on is None or today - service.last_verified_on > STALE_AFTER


def services_to_verify(today: datetime.date | None = None) -> QuerySet[Service]:
    today = today or timezone.localdate()
    return (
        Service.objects.exclude(status=ServiceStatus.DEFUNCT)
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=today - STALE_AFTER))
        .select_related("directory_organization")
        .order_by("last_verified_on", "name")
    )


def categories() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY).order_by("name")


# ---- the directory as HSDS documents ---------------------------------------------------------

def clientele_terms() -> dict[str, TaxonomyTerm]:
    """The clientele taxonomy's terms by code (seniors, families...)."""
    terms = TaxonomyTerm.objects.filter(taxonomy_id=CLIENTELES_TAXONOMY).select_related("taxonomy")
    return {t.code: t for t in terms}


def services_for_export() -> QuerySet[Service]:
    """Every service with all that its HSDS document nests, in id order (retired ones included)."""
    return (
        Service.objects.select_related("directory_organization", "verified_by")
        .prefetch_related(
            "directory_organization__phones__languages", "phones__languages", "schedules", "service_areas",
            "languages", "contacts__phones__languages",
            Prefetch("categories", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")
                     .prefetch_related("schedules", "phones__languages", "location__addresses",
                                       "location__phones__languages", "location__schedules",
                                       "location__languages")),
        )
        .order_by("id")
    )


def hsds_services_public() -> QuerySet[Service]:
    """The services the public directory shows (not retired), ready to document, in name order."""
    return services_for_export().exclude(status=ServiceStatus.DEFUNCT).order_by("name", "id")


def hsds_service_public(pk: Any) -> Service:
    """One public service ready to document, or NotFound (also for a retired one or a malformed id)."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound(_("Introuvable.")) from None
    service = hsds_services_public().filter(pk=key).first()
    if service is None:
        raise NotFound(_("Introuvable."))
    return service


# ---- corrections proposed by those who verify ------------------------------------------------


def _corrections() -> QuerySet[Correction]:
    return Correction.objects.select_related("service__directory_organization", "proposed_by", "decided_by")


def correction_get(pk: Any, user: Any) -> Correction:
    """One proposal, for its author or for those who may decide it; NotFound otherwise, the same way."""
    from . import rules

    try:
        correction = _corrections().get(pk=int(pk))
    except (Correction.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Proposition de correction introuvable.")) from None
    mine = correction.proposed_by_id is not None and correction.proposed_by_id == getattr(user, "pk", None)
    if not mine and not rules.can_decide_correction(user, correction.service):
        raise NotFound(_("Proposition de correction introuvable."))
    return correction


def corrections_to_decide(user: Any, service: Service | None = None) -> list[Correction]:
    """The proposals waiting for this person: those on services they may change, oldest first."""
    from . import rules

    pending = _corrections().filter(state=CorrectionState.PENDING).prefetch_related(
        "service__service_areas", "service__service_at_locations__location__municipality").order_by("created_at", "pk")
    if service is not None:
        pending = pending.filter(service=service)
    found = list(pending)
    places = rules.territories_of({c.service_id: c.service for c in found}.values())
    return [c for c in found if rules.can_decide_correction(user, c.service, places[c.service_id])]


def corrections_proposed_by(user: Any) -> QuerySet[Correction]:
    """What this person proposed, newest first, with the outcome."""
    return _corrections().filter(proposed_by=user)


# ---- errors reported by the public ----------------------------------------------------------


def services_reported() -> QuerySet[Service]:
    """Services with an error reported by the public that nobody has handled yet."""
    return Service.objects.filter(pk__in=Correction.objects.filter(
        state=CorrectionState.PENDING, proposed_by__isnull=True).values("service_id"))


def reports_waiting(services: Any) -> dict[Any, list[Correction]]:
    """The pending reports of the public on these services, oldest first, by service id (one query).

    They hold what the person wrote and how to reach them: the caller shows them only to those
    who may decide (rules.can_decide_correction).
    """
    found: dict[Any, list[Correction]] = {}
    pending = Correction.objects.filter(service__in=list(services), state=CorrectionState.PENDING,
                                        proposed_by__isnull=True).order_by("created_at", "pk")
    for report in pending:
        found.setdefault(report.service_id, []).append(report)
    return found
