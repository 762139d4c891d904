"""The territory tree as JSON: region > MRC > municipality, and the province above them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from toitcommun.errors import NotFound, ValidationFailed

from .models import Level, Municipality
from .selectors import TerritoryRef, territory_get, territory_search
from .views import suggestions_json

router = Router(tags=["territories"])


class TerritoryBrief(Schema):
    code: str
    name: str
    level: str


class TerritoryOut(TerritoryBrief):
    parent_code: str | None


class TerritoryDetail(TerritoryOut):
    former_names: list[str]


class TerritoryList(Schema):
    items: list[TerritoryOut]
    count: int


class TerritoryFilters(Schema):
    level: Level | None = Field(None, description="region, mrc or municipality")
    parent: str | None = Field(None, description="Code of the parent territory (QC, a region or an MRC)")
    q: str | None = Field(None, description="Name or former name, any case or accent")
    limit: int = Field(200, ge=1, le=2000)


@router.get("/territories", response=TerritoryList, summary="Search territories")
def territory_list(request: HttpRequest, filters: Query[TerritoryFilters]) -> dict[str, object]:
    level = filters.level.value if filters.level else None
    items = territory_search(level=level, parent=filters.parent, q=filters.q, limit=filters.limit)
    return {"items": items, "count": len(items)}


class TerritorySuggestionOut(TerritoryBrief):
    level_label: str
    context: str = Field(description="The parent's name: the MRC of a municipality, the region of an MRC")
    matched_name: str = Field(description="The former name that matched, or empty")


class TerritorySuggestionList(Schema):
    items: list[TerritorySuggestionOut]


class SuggestionFilters(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="What a person typed: part of a name, a former "
                   "name or a code, any case or accent; St/Ste abbreviations and small typos are tolerated")
    levels: str = Field("", max_length=100, description="Comma-separated levels to offer: province, region, mrc, "
                        "municipality (all when empty)")
    limit: int = Field(10, ge=1, le=50)


@router.get("/territories/suggest", response=TerritorySuggestionList,
            summary="Suggest territories for what a person typed",
            description="Best first: the code or exact name, then names beginning with the text, then names "
                        "containing it, then close spellings (\"Thetfort\" suggests Thetford Mines). The same "
                        "list as the forms' territory autocomplete. An unknown level answers 422.")
def territory_suggest_endpoint(request: HttpRequest, filters: Query[SuggestionFilters]) -> dict[str, object]:
    try:
        return suggestions_json(filters.q, filters.levels, filters.limit)
    except NotFound as unknown:
        raise ValidationFailed({"levels": [str(unknown)]}) from unknown


@router.get("/territories/{code}", response=TerritoryDetail, summary="One territory, with its former names")
def territory_detail(request: HttpRequest, code: str) -> TerritoryRef:
    return territory_get(code)


def municipality_pk_for(code: str | None) -> int | None:
    """The primary key the forms expect for an API ``municipality_code``; None for none."""
    if not code:
        return None
    pk = Municipality.objects.filter(code=code.strip()).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationFailed({"municipality_code": [_("Municipalité inconnue : %(code)s.") % {"code": code}]})
    return pk
