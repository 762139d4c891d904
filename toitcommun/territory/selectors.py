"""Reads on the territory tree. Territories are public: no scoping by user."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
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


# ---- choosing a territory by name ------------------------------------------------------------

# Abbreviations people type in place names, folded: "St-Joseph" is Saint-Joseph.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes", "mt": "mont", "n d": "notre dame"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CODE = re.compile(r"^(QC|\d{2}|\d{3}|TE\d{2}|\d{5})$")
_NAME_AND_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z0-9]{2,8})\)\s*$")
FUZZY_CUTOFF = 80
PARTIAL_CUTOFF = 85
LEVEL_ORDER: dict[str, int] = {Level.PROVINCE: 0, Level.REGION: 1, Level.MRC: 2, Level.MUNICIPALITY: 3}
ALL_LEVELS = [Level.PROVINCE, Level.REGION, Level.MRC, Level.MUNICIPALITY]
# The tree changes only when load_territory runs: the names, folded once, are kept a few minutes
# per process and reloaded at once when the number of territories changes.
CANDIDATES_TTL = 300.0
_candidates_cache: dict[tuple[str, ...], tuple[tuple[Any, ...], float, list[Any]]] = {}


def search_key(text: str) -> str:
    """A name as it is compared: folded, punctuation gone, abbreviations spelled out."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    key = " ".join(ABBREVIATIONS.get(w, w) for w in words)
    return key.replace("n d ", "notre dame ") if key.startswith("n d ") else key


# What people put before a name ("MRC des Appalaches", "Ville de Lévis", "Municipalité de Adstock",
# "Région de la Chaudière-Appalaches"), folded, and the level it points to. "MRC" may stand alone
# ("MRC Beauce-Centre"); the others need their "de": "Ville-Marie" is a name, not a designation.
_DESIGNATION = re.compile(
    r"^(?:la |le )?(?:(?P<mrc>municipalite regionale de comte|mrc|territoire equivalent)(?: (?:de la|de l|des|du|de|d))?"
    r"|(?P<municipality>ville|municipalite de paroisse|municipalite de canton|municipalite de village|"
    r"municipalite|paroisse|village|canton|cantons unis|cite)(?: (?:de la|de l|des|du|de|d))"
    r"|(?P<region>region administrative|region)(?: (?:de la|de l|des|du|de|d))) (?P<rest>.+)$")
# The article a name may begin with ("Les Appalaches", "La Nouvelle-Beauce", "Des Chenaux", "D'Autray").
_ARTICLE = re.compile(r"^(?:les|le|la|l|des|du|de|d) (?=.)")


def typed_key(text: str) -> tuple[str, str]:
    """What was typed as it is compared, without its designation, and the level that designation
    points to (or ""): 'MRC des Appalaches' -> ('appalaches', 'mrc')."""
    key = search_key(text)
    designation = _DESIGNATION.match(key)
    if designation is None:
        return key, ""
    level = next(name for name in ("mrc", "municipality", "region") if designation[name])
    return designation["rest"], level


def core_key(key: str) -> str:
    """A search key without its leading article: 'les appalaches' -> 'appalaches'."""
    return _ARTICLE.sub("", key, count=1)


def looks_like_code(text: str) -> bool:
    return bool(_CODE.match(text.strip().upper()))


@dataclass(frozen=True)
class TerritorySuggestion:
    """A territory offered for what was typed; ``matched_name`` is the former name that matched."""

    territory: TerritoryRef
    context: str = ""
    matched_name: str = ""
    # How it matched: "code", "exact", "begins", "word", "contains" or "close" (a spelling near it),
    # and for a close spelling how close, out of 100.
    how: str = ""
    score: float = 0.0

    @property
    def label(self) -> str:
        return self.territory.name


@dataclass(frozen=True)
class _Candidate:
    ref: TerritoryRef
    context: str
    population: int
    names: tuple[tuple[str, str, str], ...]  # (search key, name as written, key without article), current first


def _fingerprint() -> tuple[Any, ...]:
    return tuple(tuple(model.objects.aggregate(n=Count("id"), last=Max("id")).values())
                 for model in (Region, Mrc, Municipality))


def _candidates(levels: list[str]) -> list[_Candidate]:
    key = tuple(sorted(levels))
    fingerprint = _fingerprint()
    kept = _candidates_cache.get(key)
    if kept and kept[0] == fingerprint and time.monotonic() - kept[1] < CANDIDATES_TTL:
        return kept[2]
    found = _load_candidates(levels)
    _candidates_cache[key] = (fingerprint, time.monotonic(), found)
    return found


def _load_candidates(levels: list[str]) -> list[_Candidate]:
    found: list[_Candidate] = []

    def names(name: str, former: list[str]) -> tuple[tuple[str, str, str], ...]:
        return tuple((search_key(n), n, core_key(search_key(n))) for n in [name, *former])

    if Level.PROVINCE in levels:
        found.append(_Candidate(PROVINCE, "", 0, names(PROVINCE.name, ["Province de Québec", "Tout le Québec"])))
    if Level.REGION in levels:
        for code, name, former in Region.objects.values_list("code", "name", "former_names"):
            ref = TerritoryRef(level=Level.REGION, code=code, name=name, parent_code=None,
                               former_names=tuple(former))
            found.append(_Candidate(ref, "", 0, names(name, former)))
    if Level.MRC in levels:
        for code, name, former, region_code, region_name in Mrc.objects.values_list(
                "code", "name", "former_names", "region__code", "region__name"):
            ref = TerritoryRef(level=Level.MRC, code=code, name=name, parent_code=region_code,
                               former_names=tuple(former))
            found.append(_Candidate(ref, region_name, 0, names(name, former)))
    if Level.MUNICIPALITY in levels:
        for code, name, former, mrc_code, mrc_name, population in Municipality.objects.values_list(
                "code", "name", "former_names", "mrc__code", "mrc__name", "population"):
            ref = TerritoryRef(level=Level.MUNICIPALITY, code=code, name=name, parent_code=mrc_code,
                               former_names=tuple(former))
            found.append(_Candidate(ref, mrc_name, population or 0, names(name, former)))
    return found


def _levels(levels: list[str] | None) -> list[str]:
    wanted = list(levels or ALL_LEVELS)
    unknown = [lvl for lvl in wanted if lvl not in LEVEL_ORDER]
    if unknown:
        raise NotFound(_("Niveau inconnu : %(level)s.") % {"level": unknown[0]})
    return wanted


HOW = ("exact", "begins", "word", "contains", "close")


def territory_suggest(q: str, *, levels: list[str] | None = None, limit: int = 10) -> list[TerritorySuggestion]:
    """Territories for what a person typed, best first: the code or the exact name, then names that
    begin with it, then names with a word that begins with it or that contain it, then close
    spellings ("Thetfort" finds Thetford Mines). Case, accents, dashes, "St"/"Ste", a designation
    ("MRC des", "Ville de", "Municipalité de") and a name's article ("Les Appalaches") do not
    matter; a designation puts its level first. Former names count ("Robert-Cliche" finds MRC
    Beauce-Centre)."""
    from rapidfuzz import fuzz, process

    text = (q or "").strip()[:100]
    key, hinted = typed_key(text)
    if not key:
        return []
    core = core_key(key)
    candidates = _candidates(_levels(levels))
    code = text.upper()
    # (tier, -score, other level than the designation's?, former?, level, -population, name) -> best per territory
    ranked: dict[str, tuple[tuple[Any, ...], TerritorySuggestion]] = {}

    def offer(candidate: _Candidate, tier: int, score: float, former: bool, matched: str) -> None:
        full = (tier, -score, bool(hinted) and candidate.ref.level != hinted, former,
                LEVEL_ORDER[candidate.ref.level], -candidate.population, candidate.ref.name)
        kept = ranked.get(candidate.ref.code)
        if kept is None or full < kept[0]:
            how = "code" if tier == 0 and score > 0 else HOW[tier]
            ranked[candidate.ref.code] = (full, TerritorySuggestion(candidate.ref, candidate.context, matched, how,
                                                                    score if tier == 4 else 100.0))

    keys: list[tuple[str, int, int]] = []  # search key, candidate index, name index
    for i, candidate in enumerate(candidates):
        if candidate.ref.code == code:
            offer(candidate, 0, 1, False, "")
        for j, (name_key, name, name_core) in enumerate(candidate.names):
            matched = name if j else ""
            if name_key == key or name_core == core:
                offer(candidate, 0, 0, j > 0, matched)
            elif name_key.startswith(key) or name_core.startswith(core):
                offer(candidate, 1, 0, j > 0, matched)
            elif f" {key}" in f" {name_key}":
                offer(candidate, 2, 0, j > 0, matched)
            elif key in name_key:
                offer(candidate, 3, 0, j > 0, matched)
            keys.append((name_key, i, j))
            if name_core != name_key:
                keys.append((name_core, i, j))
    if len(key) >= 3:
        # Close spellings: of the whole name, of its beginning as far as the person has typed,
        # or (closer still) of a part of it ("Megantik" in Lac-Mégantic).
        names_only = [k for k, _i, _j in keys]
        whole = process.extract(key, names_only, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
        begun = process.extract(key, [k[: len(key)] for k in names_only], scorer=fuzz.ratio,
                                score_cutoff=FUZZY_CUTOFF, limit=None)
        part = process.extract(key, names_only, scorer=fuzz.partial_ratio, score_cutoff=PARTIAL_CUTOFF,
                               limit=None) if len(key) >= 5 else []
        # A whole name as close as a beginning ranks first ("Rimousky": Rimouski, then Rimouski-Neigette).
        scored = [(score, index) for _c, score, index in whole]
        scored += [(score * 0.99, index) for _c, score, index in begun]
        scored += [(score * 0.9, index) for _c, score, index in part]
        for score, index in scored:
            _k, i, j = keys[index]
            candidate = candidates[i]
            offer(candidate, 4, round(score, 1), j > 0, candidate.names[j][1] if j else "")
    best = sorted(ranked.values(), key=lambda item: item[0])
    return [suggestion for _rank, suggestion in best[:limit]]


def names_match(name: str, key: str) -> bool:
    """Whether a territory's name is what was typed (as ``typed_key`` gives it), article or not."""
    name_key = search_key(name)
    return name_key == key or core_key(name_key) == core_key(key)


class TerritoryNotChosen(NotFound):
    """What was typed names no territory, or several: ``suggestions`` are what the person may have meant."""

    def __init__(self, message: str, suggestions: list[TerritorySuggestion]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def territory_resolve(text: str, *, levels: list[str] | None = None) -> TerritoryRef:
    """The one territory that what was typed names: a code, "Name (code)", or a name (current or
    former, any case or accent) that only one territory of these levels bears."""
    wanted = _levels(levels)
    text = (text or "").strip()[:200]
    with_code = _NAME_AND_CODE.match(text)
    if with_code or looks_like_code(text):
        code = with_code["code"] if with_code else text
        try:
            ref = territory_get(code)
        except NotFound:
            ref = None
        if ref is not None and (ref.level in wanted or (ref.level == Level.PROVINCE and not levels)):
            return ref
        if not with_code:
            raise TerritoryNotChosen(_("Territoire inconnu : %(code)s.") % {"code": code.upper()}, [])
        text = with_code["name"]
    suggestions = territory_suggest(text, levels=wanted, limit=5)
    key, hinted = typed_key(text)
    exact = [s for s in suggestions
             if any(names_match(n, key) for n in (s.territory.name, *s.territory.former_names))]
    current = [s for s in exact if names_match(s.territory.name, key)]
    chosen = current if current else exact
    if hinted and len(chosen) > 1 and [s.territory.level for s in chosen].count(hinted) == 1:
        chosen = [s for s in chosen if s.territory.level == hinted]  # "MRC de Lévis", "Ville de Lévis"
    if len(chosen) == 1:
        return chosen[0].territory
    if len(chosen) > 1:
        names = ", ".join(f"{s.territory.name} ({s.context or s.territory.level_label}, {s.territory.code})"
                          for s in chosen)
        raise TerritoryNotChosen(
            _("« %(text)s » désigne plusieurs territoires : %(names)s. Choisissez-en un dans la liste "
              "ou écrivez son code.") % {"text": text, "names": names}, chosen)
    if suggestions:
        names = ", ".join(s.territory.name for s in suggestions[:3])
        raise TerritoryNotChosen(
            _("Territoire introuvable : « %(text)s ». Vouliez-vous dire : %(names)s ?") % {"text": text, "names": names},
            suggestions)
    raise TerritoryNotChosen(_("Territoire introuvable : « %(text)s ».") % {"text": text}, [])
