"""Checking the rows: each cell, then what only the rows together show, then who may import them."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from toitcommun.access import rules as access_rules
from toitcommun.access.models import Role
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality
from toitcommun.territory.text import fold

from .. import bounds, rules
from ..models import UnitGroup
from . import vocabulary
from .errors import RowError

NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300

_INTEGER = re.compile(r"[+-]?\d+(?:[.,]0*)?")
# Thousands separators a French spreadsheet may leave in a number: space, no-break spaces.
_DIGIT_SPACES = str.maketrans("", "", " \u00a0\u202f")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass
class Line:
    """One row, cleaned."""

    row: int
    organization: str
    organization_key: str
    municipality: Municipality
    site: str
    address: str
    tenure: str
    form: str
    clientele: str
    units: int
    adapted_units: int
    bedrooms: int
    vacant_units: int | None
    waiting_list: int | None
    as_of: datetime.date | None

    @property
    def site_key(self) -> tuple[str, str, str]:
        return (self.organization_key, self.municipality.code, self.site)


def shown(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


def municipality_code(value: str) -> str:
    # A spreadsheet that took the code for a number drops its leading zero (01023 -> 1023).
    return value.zfill(5) if value.isdigit() and len(value) < 5 else value


def place_name_key(name: str) -> str:
    """'St-Joseph-de-Beauce' and 'Saint-Joseph-de-Beauce' -> 'saint joseph de beauce'."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(name).replace(".", " ").split())


class Municipalities:
    """The municipalities a file names, by code or by name, read once."""

    def __init__(self, cells: list[str]) -> None:
        values = {municipality_code(c) for c in cells if c}
        codes = {v for v in values if v.isdigit()}
        self.by_code = {m.code: m for m in Municipality.objects.select_related("mrc__region").filter(code__in=codes)}
        self.by_name: dict[str, list[Municipality]] = {}
        if values - codes:
            for m in Municipality.objects.select_related("mrc__region").only(
                    "code", "name", "mrc__code", "mrc__region__code"):
                self.by_name.setdefault(place_name_key(m.name), []).append(m)


class Checker:
    """Cleans one row's cells, collecting an error for each bad cell.

    Errors name columns as the file's header does, and list accepted values as
    the file's language writes them.
    """

    def __init__(self, municipalities: Municipalities, today: datetime.date, *, language: str,
                 names: dict[str, str]) -> None:
        self.municipalities = municipalities
        self.today = today
        self.language = language
        self.names = names
        self.errors: list[tuple[int, str, str]] = []

    def name(self, column: str) -> str:
        return self.names.get(column) or vocabulary.COLUMN_BY_CODE[column].in_language(self.language)

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append((row, column, message))

    def row_errors(self) -> list[RowError]:
        order = {code: i for i, code in enumerate(vocabulary.ORDER)}
        ranked = sorted(self.errors, key=lambda e: (e[0], order.get(e[1], -1)))
        return [RowError(row, self.name(column) if column else "", message) for row, column, message in ranked]

    def text(self, row: int, cells: dict[str, str], column: str, limit: int) -> str | None:
        value = cells.get(column, "")
        if not value:
            self.fail(row, column, _("Valeur requise."))
            return None
        if len(value) > limit:
            self.fail(row, column, _("Trop long : %(length)s caractères, %(max)s au plus.") % {
                "length": len(value), "max": limit,
            })
            return None
        return value

    def choice(self, row: int, cells: dict[str, str], column: str) -> str | None:
        value = cells.get(column, "")
        allowed = ", ".join(vocabulary.accepted_values(column, self.language))
        if not value:
            self.fail(row, column, _("Valeur requise : %(allowed)s.") % {"allowed": allowed})
            return None
        code = vocabulary.value_code(column, value)
        if code is None:
            self.fail(row, column, _("Valeur inconnue « %(value)s » : valeurs permises : %(allowed)s.") % {
                "value": shown(value), "allowed": allowed,
            })
        return code

    def integer(self, row: int, cells: dict[str, str], column: str, within: bounds.Range, *,
                required: bool = True) -> int | None:
        value = cells.get(column, "").translate(_DIGIT_SPACES)
        if not value:
            if required:
                self.fail(row, column, _("Valeur requise."))
            return None
        if not _INTEGER.fullmatch(value) or len(value) > 20:
            self.fail(row, column, _("« %(value)s » n'est pas un nombre entier.") % {"value": shown(value)})
            return None
        number = int(re.split(r"[.,]", value)[0])
        if number < 0:
            self.fail(row, column, _("Le nombre ne peut pas être négatif."))
            return None
        if number not in within:
            self.fail(row, column, _("Le nombre doit être entre %(min)s et %(max)s.") % {
                "min": within.minimum, "max": within.maximum,
            })
            return None
        return number

    def municipality(self, row: int, cells: dict[str, str]) -> Municipality | None:
        column = "municipality_code"
        value = municipality_code(cells.get(column, ""))
        if not value:
            self.fail(row, column, _("Valeur requise : le code géographique à 5 chiffres ou le nom."))
            return None
        if value.isdigit():
            found = self.municipalities.by_code.get(value)
            if found is None:
                self.fail(row, column, _("Code de municipalité inconnu : « %(value)s ».") % {"value": shown(value)})
            return found
        matches = self.municipalities.by_name.get(place_name_key(value), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.fail(row, column, _("Municipalité inconnue : « %(value)s ». Vérifiez son nom ou donnez son code "
                                     "géographique à 5 chiffres.") % {"value": shown(value)})
        else:
            self.fail(row, column, _("Plusieurs municipalités s'appellent « %(value)s » : donnez le code "
                                     "géographique (%(codes)s).") % {
                "value": shown(value), "codes": ", ".join(sorted(m.code for m in matches))})
        return None

    def date(self, row: int, cells: dict[str, str], column: str) -> datetime.date | None:
        value = cells.get(column, "")
        if not value:
            return None
        try:
            if not bounds.ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(row, column, _("Date invalide « %(value)s » : écrivez-la AAAA-MM-JJ.") % {
                "value": shown(value),
            })
            return None
        problem = bounds.report_date_problem(day)
        if problem:
            self.fail(row, column, problem)
            return None
        return day

    def line(self, row: int, cells: dict[str, str]) -> Line | None:
        before = len(self.errors)
        organization = self.text(row, cells, "organization", NAME_MAX_LENGTH)
        municipality = self.municipality(row, cells)
        site = self.text(row, cells, "site", NAME_MAX_LENGTH)
        address = self.text(row, cells, "address", ADDRESS_MAX_LENGTH)
        tenure = self.choice(row, cells, "tenure")
        form = self.choice(row, cells, "form")
        clientele = self.choice(row, cells, "clientele")
        units = self.integer(row, cells, "units", bounds.UNITS)
        adapted = self.integer(row, cells, "adapted_units", bounds.ADAPTED_UNITS)
        bedrooms = self.integer(row, cells, "bedrooms", bounds.BEDROOMS)
        vacant = self.integer(row, cells, "vacant_units", bounds.VACANT_UNITS, required=False)
        waiting = self.integer(row, cells, "waiting_list", bounds.WAITING_LIST, required=False)
        as_of = self.date(row, cells, "as_of")
        if units is not None and adapted is not None and adapted > units:
            self.fail(row, "adapted_units", _(
                "Les logements adaptés (%(adapted)s) dépassent les logements du groupe (%(units)s)."
            ) % {"adapted": adapted, "units": units})
        # A snapshot holds both figures, dated: one without the other, or without a date, is incomplete.
        has_vacant, has_waiting = bool(cells.get("vacant_units")), bool(cells.get("waiting_list"))
        if has_vacant and not has_waiting:
            self.fail(row, "waiting_list", _("Valeur requise lorsque « %(column)s » est rempli.") % {
                "column": self.name("vacant_units")})
        if has_waiting and not has_vacant:
            self.fail(row, "vacant_units", _("Valeur requise lorsque « %(column)s » est rempli.") % {
                "column": self.name("waiting_list")})
        if (has_vacant or has_waiting) and not cells.get("as_of"):
            self.fail(row, "as_of", _("Date requise lorsque « %(vacant)s » ou « %(waiting)s » est rempli.") % {
                "vacant": self.name("vacant_units"), "waiting": self.name("waiting_list")})
        if len(self.errors) > before:
            return None
        assert organization and municipality and site and address and tenure and form and clientele
        assert units is not None and adapted is not None and bedrooms is not None
        return Line(
            row=row, organization=organization, organization_key=Organization.key_for(organization),
            municipality=municipality, site=site, address=address, tenure=tenure, form=form,
            clientele=clientele, units=units, adapted_units=adapted, bedrooms=bedrooms,
            vacant_units=vacant, waiting_list=waiting, as_of=as_of,
        )


def check_permission(actor: Any, lines: list[Line], organizations: dict[str, Organization],
                     checker: Checker) -> None:
    """Administrators import anything; a coordinator, their territory; an organization's staff, its stock."""
    if access_rules.is_administrator(actor):
        return
    coordinator = access_rules.has_role(actor, [Role.REGIONAL_COORDINATOR])
    for line in lines:
        org = organizations.get(line.organization_key)
        if rules.can_manage_stock_of(actor, org.pk if org else None, line.municipality):
            continue
        if coordinator:
            checker.fail(line.row, "municipality_code", _("Cette municipalité est hors de votre territoire."))
        else:
            checker.fail(line.row, "organization", _(
                "Vous ne pouvez pas importer de logements pour cette organisation."
            ))


def check_across_rows(lines: list[Line], stored_groups: list[UnitGroup], building_of: Any, checker: Checker,
                      incomplete_sites: set[tuple[str, str, str]]) -> None:
    """What no single row shows: duplicates, disagreements between rows, vacancies beyond the units."""
    first_of_site: dict[tuple[str, str, str], Line] = {}
    first_of_group: dict[tuple[tuple[str, str, str], str, int], Line] = {}
    first_of_snapshot: dict[tuple[tuple[str, str, str], str, datetime.date], Line] = {}
    for line in lines:
        site = first_of_site.setdefault(line.site_key, line)
        for column in ("address", "tenure", "form"):
            if getattr(line, column) != getattr(site, column):
                checker.fail(line.row, column, _(
                    "Diffère de la ligne %(row)s pour le même site (%(value)s)."
                ) % {"row": site.row, "value": shown(getattr(site, column))})
        twin = first_of_group.setdefault((line.site_key, line.clientele, line.bedrooms), line)
        if twin is not line:
            checker.fail(line.row, "bedrooms", _(
                "Ligne en double : même site, même clientèle et même nombre de chambres qu'à la ligne %(row)s."
            ) % {"row": twin.row})
        if line.as_of is None or line.vacant_units is None:
            continue
        snap = first_of_snapshot.setdefault((line.site_key, line.clientele, line.as_of), line)
        for column in ("vacant_units", "waiting_list"):
            if getattr(line, column) != getattr(snap, column):
                checker.fail(line.row, column, _(
                    "Diffère de la ligne %(row)s pour le même site, la même clientèle et la même date."
                ) % {"row": snap.row})

    # Units of each site and clientele once imported: the file's groups, and the stored ones it leaves as they are.
    units: dict[tuple[tuple[str, str, str], str], int] = {}
    for (site_key, clientele, _bedrooms), line in first_of_group.items():
        units[(site_key, clientele)] = units.get((site_key, clientele), 0) + line.units
    by_building: dict[int, list[UnitGroup]] = {}
    for group in stored_groups:
        by_building.setdefault(group.building_id, []).append(group)
    for site_key, line in first_of_site.items():
        building = building_of(line)
        for group in by_building.get(building.pk, []) if building else []:
            if (site_key, group.clientele, group.bedrooms) not in first_of_group:
                units[(site_key, group.clientele)] = units.get((site_key, group.clientele), 0) + group.units
    for (site_key, clientele, _as_of), line in first_of_snapshot.items():
        if site_key in incomplete_sites:
            continue  # a bad row of this site leaves its units unknown: its own error says why
        offered = units.get((site_key, clientele), 0)
        if line.vacant_units is not None and line.vacant_units > offered:
            checker.fail(line.row, "vacant_units", _(
                "%(vacant)s logements vacants, mais ce site n'a que %(units)s logements pour cette clientèle."
            ) % {"vacant": line.vacant_units, "units": offered})
