"""The territory tree as JSON: region > MRC > municipality, and the province above them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from toitcommun.errors import ValidationFailed

from .models import Level, Municipality
from .selectors import TerritoryRef, territory_get, territory_search

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
