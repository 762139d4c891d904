"""A place as people type it in a place box: a territory by code or name, or a postal code.

A name goes through ``territory_suggest`` (accents, "St"/"Ste", "MRC des", "Ville de", former
names, typos). A Canadian postal code ("G6G 1N1", "g6g1n1") or its forward sortation area
("G6G") is placed by the FSA's point in ``data/quebec/fsa_points.csv`` (GeoNames, CC BY 4.0; see
``data/quebec/SOURCE.md``) and taken as the municipality that point lies in: the one the FSA's
name names when that municipality is near the point, else the municipality whose point is the
nearest. An FSA missing from the file is placed, failing better, by the municipalities of the
directory's addresses that share it. The point measures distances; the municipality says which
services serve the place.
"""

from __future__ import annotations

import csv
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound

from .models import Level, Municipality
from .selectors import (
    TerritoryNotChosen,
    TerritoryRef,
    TerritorySuggestion,
    names_match,
    search_key,
    territory_get,
    territory_suggest,
    typed_key,
)

FSA_FILE = Path(settings.BASE_DIR) / "data" / "quebec" / "fsa_points.csv"
MAX_PLACE_LENGTH = 100
# Letters Canada Post uses: never D, F, I, O, Q, U; W and Z never first. Québec's FSAs begin with G, H or J.
_POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:[\s-]*(\d[ABCEGHJ-NPRSTV-Z]\d))?$")
QUEBEC_FSA_LETTERS = ("G", "H", "J")
# An FSA's own name is trusted for its municipality only when that municipality's point is this near.
NAMED_MUNICIPALITY_KM = 25.0
_DIRECTIONS = re.compile(r"\s+(?:north|south|east|west|central|northwest|northeast|southwest|southeast|"
                         r"north central|south central|east central|west central|region)$", re.IGNORECASE)
POINTS_TTL = 300.0
_points_cache: dict[str, tuple[float, list[tuple[str, float, float, float]]]] = {}
_fsa_cache: dict[str, tuple[float, str | None]] = {}


@dataclass(frozen=True)
class FsaPoint:
    fsa: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    """What a place box named: the territory whose services serve it, and the point distances are
    measured from (a municipality's, a postal code's FSA's), if it has one."""

    territory: TerritoryRef
    latitude: float | None = None
    longitude: float | None = None
    postal_code: str = ""  # as written properly: "G6G 1N1", or the FSA alone: "G6G"
    fsa: str = ""
    fsa_name: str = ""
    placed_by_directory: bool = False  # the FSA is not in the open file: placed by the directory's addresses
    # What was typed when no place bears that name and the place is the one name close enough to it
    # ("Thetfort" for Thetford Mines): pages say so.
    misspelt: str = ""
    # Other territories the same words name ("Lévis": the city, and the equivalent territory).
    alternatives: tuple[TerritoryRef, ...] = field(default=(), compare=False)

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def code(self) -> str:
        """What the place box's hidden code holds for it: the postal code, or the territory's code."""
        return self.postal_code or self.territory.code

    @property
    def label(self) -> str:
        return self.postal_code or self.territory.name


def postal_code_parts(text: str) -> tuple[str, str] | None:
    """('G6G 1N1', 'G6G') for a postal code in any case, spaced or not; ('G6G', 'G6G') for an FSA; else None."""
    found = _POSTAL_CODE.match((text or "").strip().upper())
    if found is None:
        return None
    fsa, ldu = found.group(1), found.group(2)
    return (f"{fsa} {ldu}" if ldu else fsa), fsa


@lru_cache(maxsize=1)
def fsa_points() -> dict[str, FsaPoint]:
    """Québec's FSAs and their points, read once per process."""
    with open(FSA_FILE, newline="", encoding="utf-8") as handle:
        return {row["fsa"]: FsaPoint(row["fsa"], row["name"], float(row["latitude"]), float(row["longitude"]))
                for row in csv.DictReader(handle)}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _municipal_points() -> list[tuple[str, float, float, float]]:
    """(code, latitude, longitude, radius in km) of every municipality with a point, kept a few minutes
    per process. The radius is that of a disc of the municipality's area (1 km at least)."""
    kept = _points_cache.get("all")
    if kept and time.monotonic() - kept[0] < POINTS_TTL and kept[1]:
        return kept[1]
    found = [(code, float(lat or 0), float(lng or 0), max(1.0, math.sqrt(float(area or 0) / math.pi)))
             for code, lat, lng, area in Municipality.objects.filter(latitude__isnull=False, longitude__isnull=False)
             .values_list("code", "latitude", "longitude", "area_km2")]
    _points_cache["all"] = (time.monotonic(), found)
    return found


def municipality_point(code: str) -> tuple[float, float] | None:
    for muni_code, lat, lng, _radius in _municipal_points():
        if muni_code == code:
            return (lat, lng)
    return None


def _nearest_municipality(point: tuple[float, float]) -> str | None:
    """The municipality a point most likely lies in: the nearest, its distance counted in radii of
    the municipality (a point 3 km from Montréal's centre is in Montréal, not in Westmount 2 km away)."""
    points = _municipal_points()
    if not points:
        return None
    return min(points, key=lambda p: distance_km(point, (p[1], p[2])) / p[3])[0]


def _named_municipality(fsa: FsaPoint) -> str | None:
    """The municipality an FSA's name names ("Thetford Mines", "Black Lake", "Chaudière-Sud
    (Disraeli)"), when exactly one does and its point is near the FSA's."""
    inside = re.search(r"\(([^)]*)\)", fsa.name)
    names = [inside.group(1)] if inside else []
    names.append(_DIRECTIONS.sub("", re.sub(r"\([^)]*\)", "", fsa.name)).strip())
    for name in names:
        key, _hint = typed_key(name)
        if not key:
            continue
        exact = [s for s in territory_suggest(name, levels=[Level.MUNICIPALITY], limit=5)
                 if any(names_match(n, key) for n in (s.territory.name, *s.territory.former_names))]
        if len(exact) != 1:
            continue
        point = municipality_point(exact[0].territory.code)
        if point and distance_km(point, (fsa.latitude, fsa.longitude)) <= NAMED_MUNICIPALITY_KM:
            return exact[0].territory.code
    return None


def _fsa_municipality(fsa: FsaPoint) -> str | None:
    """The municipality an FSA of the open file is taken as, worked out once every few minutes per process."""
    kept = _fsa_cache.get(fsa.fsa)
    if kept and time.monotonic() - kept[0] < POINTS_TTL:
        return kept[1]
    code = _named_municipality(fsa) or _nearest_municipality((fsa.latitude, fsa.longitude))
    _fsa_cache[fsa.fsa] = (time.monotonic(), code)
    return code


def _municipality_by_directory(fsa: str) -> str | None:
    """The municipality most of the directory's addresses with this FSA are in, or None."""
    from toitcommun.directory.models import Address

    codes = Counter(
        code for postal, code in Address.objects.filter(
            location__municipality__isnull=False, postal_code__istartswith=fsa,
        ).values_list("postal_code", "location__municipality__code")
        if (parts := postal_code_parts(postal)) and parts[1] == fsa)
    if not codes:
        return None
    return sorted(codes.items(), key=lambda item: (-item[1], item[0]))[0][0]


def place_of_postal_code(text: str) -> Place:
    """The place a postal code or FSA names; TerritoryNotChosen when it is not in Québec or unknown."""
    parts = postal_code_parts(text)
    if parts is None:
        raise TerritoryNotChosen(_("Code postal mal formé : %(code)s.") % {"code": text.strip()[:20]}, [])
    written, fsa = parts
    if not fsa.startswith(QUEBEC_FSA_LETTERS):
        raise TerritoryNotChosen(_("Le code postal %(code)s n'est pas au Québec : le répertoire couvre le Québec "
                                   "seulement.") % {"code": written}, [])
    known = fsa_points().get(fsa)
    if known is not None:
        point = (known.latitude, known.longitude)
        code = _fsa_municipality(known)
        if code:
            return Place(territory=territory_get(code), latitude=point[0], longitude=point[1],
                         postal_code=written, fsa=fsa, fsa_name=known.name)
    code = _municipality_by_directory(fsa)
    if code:
        muni_point = municipality_point(code)
        return Place(territory=territory_get(code), latitude=muni_point[0] if muni_point else None,
                     longitude=muni_point[1] if muni_point else None, postal_code=written, fsa=fsa,
                     placed_by_directory=True)
    raise TerritoryNotChosen(_("Code postal inconnu : %(code)s. Écrivez plutôt le nom de votre municipalité.")
                             % {"code": written}, [])


def place_of(ref: TerritoryRef, alternatives: tuple[TerritoryRef, ...] = ()) -> Place:
    """A territory as a place: a municipality has its point, larger territories none."""
    point = municipality_point(ref.code) if ref.level == Level.MUNICIPALITY else None
    return Place(territory=ref, latitude=point[0] if point else None, longitude=point[1] if point else None,
                 alternatives=alternatives)


_NAME_AND_CODE = re.compile(r"\((QC|TE\d{2}|\d{2,5})\)\s*$", re.IGNORECASE)
_CODE = re.compile(r"^(?:QC|TE\d{2}|\d{2,5})$", re.IGNORECASE)
_LEVEL_PREFERENCE: dict[str, int] = {Level.MUNICIPALITY: 0, Level.MRC: 1, Level.REGION: 2, Level.PROVINCE: 3}
CANDIDATES = 10
TYPO_SCORE = 85.0
TYPO_MARGIN = 3.0


def place_resolve(typed: str, *, code: str = "") -> Place | None:
    """The place a person typed: None for nothing, else a Place, else TerritoryNotChosen with the
    message to show and the territories they may have meant.

    ``code`` is what a place box's list chose (a territory code or a postal code): it counts while
    the text still reads it. A name picks the territory called exactly that (a municipality before an
    MRC of the same name, unless "MRC de" or "Ville de" says which), else the only one whose name
    begins with it, else the only one found. A misspelt name is taken as the one name close enough to
    it, if there is one (``misspelt`` says so, and the other close names are offered); else the
    close names are offered and nothing is chosen.
    """
    typed = " ".join((typed or "").split())
    if not typed:
        return None
    if len(typed) > MAX_PLACE_LENGTH:
        raise TerritoryNotChosen(_("Le nom du lieu est trop long (%(max)s caractères au plus).")
                                 % {"max": MAX_PLACE_LENGTH}, [])
    chosen = _chosen_code(typed, code)
    if chosen is not None:
        return chosen
    in_parens = _NAME_AND_CODE.search(typed)
    if in_parens or _CODE.match(typed):
        wanted = in_parens.group(1) if in_parens else typed
        try:
            return place_of(territory_get(wanted))
        except NotFound:
            raise TerritoryNotChosen(_("Territoire inconnu : %(code)s.") % {"code": typed}, []) from None
    if postal_code_parts(typed):
        return place_of_postal_code(typed)
    key, hinted = typed_key(typed)
    found = territory_suggest(typed, limit=50)
    if not key or not found:
        raise TerritoryNotChosen(_("Territoire inconnu : %(code)s.") % {"code": typed}, [])
    exact = [s for s in found if s.how in ("code", "exact")]
    current = [s for s in exact if names_match(s.territory.name, key)]
    exact = current or exact
    if exact:
        best = sorted(exact, key=lambda s: (bool(hinted) and s.territory.level != hinted,
                                            _LEVEL_PREFERENCE.get(s.territory.level, 9)))
        return place_of(best[0].territory, tuple(s.territory for s in best[1:]))
    named = [s for s in found if s.how != "close"]
    beginning = [s for s in named if s.how == "begins"]
    if len(beginning) == 1 or len(named) == 1:
        return place_of((beginning or named)[0].territory)
    if named:
        shown = (beginning + [s for s in named if s not in beginning])[:CANDIDATES]
        raise TerritoryNotChosen(
            _("Plusieurs lieux correspondent à « %(name)s » : choisissez-en un.") % {"name": typed}, shown)
    closest = _closest(found, hinted)
    if closest is not None:
        others = tuple(s.territory for s in found[:5] if s.territory != closest)
        return replace(place_of(closest, others), misspelt=typed)
    raise TerritoryNotChosen(_("Territoire inconnu : %(code)s.") % {"code": typed}, found[:5])


def _closest(found: list[TerritorySuggestion], hinted: str) -> TerritoryRef | None:
    """The one territory a misspelt name means: the closest spelling, close enough (TYPO_SCORE),
    with no other name within TYPO_MARGIN of it ("Rimousky" is as near Rimouski-Neigette as
    Rimouski: no choice is made). The same name at two levels (Montmagny, the town and the MRC)
    goes to the designation's level, else to the municipality."""
    close = [s for s in found if s.how == "close"]
    if not close or close[0].score < TYPO_SCORE:
        return None
    near = [s for s in close if s.score >= close[0].score - TYPO_MARGIN]
    if len({search_key(s.territory.name) for s in near}) > 1:
        return None
    ranked = sorted(near, key=lambda s: (bool(hinted) and s.territory.level != hinted,
                                         _LEVEL_PREFERENCE.get(s.territory.level, 9)))
    if len(ranked) > 1 and ranked[0].territory.level == ranked[1].territory.level:
        return None  # two municipalities of the same name (Disraeli, the town and the parish)
    return ranked[0].territory


def _chosen_code(typed: str, code: str) -> Place | None:
    """The place a list's choice names while the text still reads it."""
    code = (code or "").strip()[:12]
    if not code:
        return None
    parts = postal_code_parts(code)
    if parts is not None:
        typed_parts = postal_code_parts(typed)
        return place_of_postal_code(code) if typed_parts and typed_parts[0] == parts[0] else None
    try:
        ref = territory_get(code)
    except NotFound:
        return None
    key, _hint = typed_key(typed)
    if typed.upper() == ref.code or names_match(ref.name, key):
        return place_of(ref)
    return None


def place_suggestions(typed: str, *, limit: int = 10) -> list[dict[str, str]]:
    """What the place box's list offers, as the territory combobox reads it: a postal code first
    (with the municipality it is taken as), then territories."""
    typed = " ".join((typed or "").split())[:MAX_PLACE_LENGTH]
    items: list[dict[str, str]] = []
    if postal_code_parts(typed):
        try:
            place = place_of_postal_code(typed)
        except TerritoryNotChosen:
            return []
        return [{"code": place.postal_code, "name": place.postal_code, "level": "postal_code",
                 "level_label": _("Code postal"), "context": place.territory.name, "matched_name": ""}]
    suggestions: list[TerritorySuggestion] = territory_suggest(typed, limit=limit) if len(typed) >= 2 else []
    for s in suggestions:
        items.append({"code": s.territory.code, "name": s.territory.name, "level": str(s.territory.level),
                      "level_label": s.territory.level_label, "context": s.context, "matched_name": s.matched_name})
    return items
