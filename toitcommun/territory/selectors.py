"""Reads on the territory tree. Territories are public: no scoping by user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound

from .models import PROVINCE_CODE, Level, Mrc, Municipality, Region
from .text import fold


@dataclass(frozen=True)
class TerritoryRef:
    """Any node of the tree, the province included, seen the same way."""

    level: str
    code: str
    name: str
    parent_code: str | None
    former_names: tuple[str, ...] = ()

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    def municipality_filter(self, prefix: str = "municipality") -> Q:
        """A Q narrowing a queryset whose ``prefix`` points at a Municipality to this territory."""
        if self.level == Level.PROVINCE:
            return Q()
        if self.level == Level.REGION:
            return Q(**{f"{prefix}__mrc__region__code": self.code})
        if self.level == Level.MRC:
            return Q(**{f"{prefix}__mrc__code": self.code})
        return Q(**{f"{prefix}__code": self.code})


PROVINCE = TerritoryRef(level=Level.PROVINCE, code=PROVINCE_CODE, name="Québec", parent_code=None)


def _ref(obj: Region | Mrc | Municipality) -> TerritoryRef:
    parent = None if isinstance(obj, Region) else obj.parent_code
    return TerritoryRef(level=obj.level, code=obj.code, name=obj.name, parent_code=parent,
                        former_names=tuple(obj.former_names))


def territory_get(code: str) -> TerritoryRef:
    """The territory with this code, at whatever level, or NotFound."""
    code = (code or "").strip().upper()
    if code == PROVINCE_CODE:
        return PROVINCE
    if len(code) == 2 and code.isdigit():
        obj: Region | Mrc | Municipality | None = Region.objects.filter(code=code).first()
    elif len(code) == 5 and code.isdigit():
        obj = Municipality.objects.select_related("mrc__region").filter(code=code).first()
    else:
        obj = Mrc.objects.select_related("region").filter(code=code).first()
    if obj is None:
        raise NotFound(_("Territoire inconnu : %(code)s.") % {"code": code})
    return _ref(obj)


def territory_ancestors(ref: TerritoryRef) -> list[TerritoryRef]:
    """From the province down to the territory's parent."""
    chain: list[TerritoryRef] = []
    parent = ref.parent_code
    while parent:
        node = territory_get(parent)
        chain.insert(0, node)
        parent = node.parent_code
    if ref.level != Level.PROVINCE:
        chain.insert(0, PROVINCE)
    return chain


def territory_children(ref: TerritoryRef) -> list[TerritoryRef]:
    if ref.level == Level.PROVINCE:
        return [_ref(r) for r in Region.objects.order_by("code")]
    if ref.level == Level.REGION:
        return [_ref(m) for m in Mrc.objects.select_related("region").filter(region__code=ref.code)]
    if ref.level == Level.MRC:
        return [_ref(m) for m in Municipality.objects.select_related("mrc").filter(mrc__code=ref.code)]
    return []


def territory_search(*, level: str | None = None, parent: str | None = None, q: str | None = None,
                     limit: int = 200) -> list[TerritoryRef]:
    """Territories by level, parent code and text (name or former name, any case or accent)."""
    if level and level not in (Level.REGION, Level.MRC, Level.MUNICIPALITY):
        raise NotFound(_("Niveau inconnu : %(level)s.") % {"level": level})
    if parent:
        territory_get(parent)  # an unknown parent is an error, not an empty list
    folded = fold(q or "")
    results: list[TerritoryRef] = []
    levels = [level] if level else [Level.REGION, Level.MRC, Level.MUNICIPALITY]
    for lvl in levels:
        qs: QuerySet[Any]
        if lvl == Level.REGION:
            qs = Region.objects.all()
            if parent and parent.upper() != PROVINCE_CODE:
                qs = qs.none()
        elif lvl == Level.MRC:
            qs = Mrc.objects.select_related("region")
            if parent and parent.upper() != PROVINCE_CODE:
                qs = qs.filter(region__code=parent)
        else:
            qs = Municipality.objects.select_related("mrc")
            if parent and parent.upper() != PROVINCE_CODE:
                qs = qs.filter(Q(mrc__code=parent) | Q(mrc__region__code=parent) | Q(code=parent))
        if folded:
            qs = qs.filter(search_text__contains=folded)
        results.extend(_ref(obj) for obj in qs.order_by("name")[: limit - len(results)])
        if len(results) >= limit:
            break
    return results
