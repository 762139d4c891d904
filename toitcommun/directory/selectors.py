"""Reads on the resource directory. The directory is public: retired services are shown to staff only."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.territory.models import Mrc, Municipality
from toitcommun.territory.selectors import TerritoryRef, territory_get

from .models import Clientele, Schedule, Service, ServiceAtLocation, ServiceStatus, TaxonomyTerm
from .search import matching
from .taxonomy_seed import CATEGORIES_TAXONOMY

MAX_QUERY_LENGTH = 200
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STALE_AFTER = datetime.timedelta(days=365)


@dataclass(frozen=True)
class SearchQuery:
    """What a person asked for: text, a territory, a category code, a clientele, open now."""

    text: str = ""
    territory: TerritoryRef | None = None
    category: str = ""
    clientele: str = ""
    open_now: bool = False


def search_query(*, text: str = "", territory: str = "", category: str = "", clientele: str = "",
                 open_now: bool = False) -> SearchQuery:
    """Validate search input; unknown territory, category or clientele is a ValidationFailed naming the field."""
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        errors["q"] = [_("La recherche est trop longue (%(max)s caractères au plus).") % {"max": MAX_QUERY_LENGTH}]
    ref = None
    if territory:
        try:
            ref = territory_get(territory)
        except NotFound as missing:
            errors["territory"] = [str(missing)]
    if category and not TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY, code=category).exists():
        errors["category"] = [_("Catégorie inconnue : %(code)s.") % {"code": category}]
    if clientele and clientele not in Clientele.values:
        errors["clientele"] = [_("Clientèle inconnue : %(code)s.") % {"code": clientele}]
    if errors:
        raise ValidationFailed(errors)
    return SearchQuery(text=text, territory=ref, category=category, clientele=clientele, open_now=open_now)


def serving(territory: TerritoryRef) -> Q:
    """Services whose service area overlaps the territory, or that have a place in it.

    A service serving an MRC is found from any of its municipalities, and a
    service of one municipality is found from its MRC, its region and the province.
    """
    if territory.level == "province":
        return Q()
    codes = {territory.code, "QC"}
    if territory.level == "municipality":
        muni = Municipality.objects.select_related("mrc__region").get(code=territory.code)
        codes |= {muni.mrc.code, muni.mrc.region.code}
        below = Q()
    elif territory.level == "mrc":
        codes.add(territory.parent_code or "")
        below = Q(service_areas__territory_code__in=Municipality.objects.filter(mrc__code=territory.code)
                  .values("code"))
    else:  # region
        below = Q(service_areas__territory_code__in=Mrc.objects.filter(region__code=territory.code).values("code")) | Q(
            service_areas__territory_code__in=Municipality.objects.filter(mrc__region__code=territory.code)
            .values("code"))
    located = territory.municipality_filter("service_at_locations__location__municipality")
    return Q(service_areas__territory_code__in=codes) | below | located


def open_at(moment: datetime.datetime) -> Q:
    """Services with an opening-hours rule (on the service or one of its places) covering this moment."""
    local = timezone.localtime(moment)
    day, now, today = DAYS[local.weekday()], local.time(), local.date()

    def rule(prefix: str) -> Q:
        return (
            Q(**{f"{prefix}__byday__contains": day, f"{prefix}__opens_at__lte": now, f"{prefix}__closes_at__gt": now})
            & (Q(**{f"{prefix}__valid_from__isnull": True}) | Q(**{f"{prefix}__valid_from__lte": today}))
            & (Q(**{f"{prefix}__valid_to__isnull": True}) | Q(**{f"{prefix}__valid_to__gte": today}))
        )

    return rule("schedules") | rule("service_at_locations__location__schedules") | rule(
        "service_at_locations__schedules")


def services_search(query: SearchQuery, *, include_retired: bool = False,
                    moment: datetime.datetime | None = None) -> QuerySet[Service]:
    """Services matching the query, active ones first in name order."""
    qs = Service.objects.all()
    if not include_retired:
        qs = qs.exclude(status=ServiceStatus.DEFUNCT)
    if query.text:
        qs = qs.filter(matching(query.text))
    if query.category:
        qs = qs.filter(categories__taxonomy_id=CATEGORIES_TAXONOMY, categories__code=query.category)
    if query.clientele:
        qs = qs.filter(clienteles__contains=[query.clientele]) if _json_contains_supported() else qs.filter(
            clienteles__icontains=f'"{query.clientele}"')
    if query.territory is not None:
        qs = qs.filter(serving(query.territory))
    if query.open_now:
        qs = qs.filter(open_at(moment or timezone.now()))
    ids = qs.values("pk").distinct()
    return (
        Service.objects.filter(pk__in=ids)
        .select_related("directory_organization")
        .prefetch_related(
            "categories",
            Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related(
                "location__municipality").prefetch_related("location__addresses", "location__phones")),
            "phones",
        )
        .order_by("name")
    )


def _json_contains_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def service_get(pk: Any, *, include_retired: bool = False) -> Service:
    """One service with everything its page shows, or NotFound (also for a retired one, to the public)."""
    qs = Service.objects.select_related("directory_organization", "verified_by").prefetch_related(
        "categories", "languages", "service_areas", "contacts", "phones",
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related(
            "location__municipality").prefetch_related("location__addresses", "location__phones",
                                                       "location__schedules")),
    )
    if not include_retired:
        qs = qs.exclude(status=ServiceStatus.DEFUNCT)
    try:
        return qs.get(pk=uuid.UUID(str(pk)))
    except (Service.DoesNotExist, ValueError):
        raise NotFound(_("Service introuvable.")) from None


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
