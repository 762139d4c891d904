"""The housing stock import: a spreadsheet with one row per unit group.

All or nothing: every row is checked first, and a single bad row imports
nothing; the refusal lists every error with its spreadsheet row number (the
header is row 1), its column and its reason. Idempotent: importing the same
file twice leaves the database as after the first import, and the second
import writes no audit event.

Records are matched on their natural keys: an organization by its folded name
(``Organization.key_for``), a building by (organization, municipality, site
name), a unit group by (building, clientele, bedrooms), an availability
snapshot by (building, clientele, as_of).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from toitcommun.access import rules as access_rules
from toitcommun.access.models import Role
from toitcommun.access.services import audit_record_many, snapshot
from toitcommun.errors import PermissionRefused, ServiceError
from toitcommun.organizations.models import Organization, OrganizationKind
from toitcommun.territory.models import Municipality

from . import rules
from .models import AvailabilitySnapshot, Building, BuildingForm, Clientele, Tenure, UnitGroup

REQUIRED_COLUMNS = (
    "organization", "municipality_code", "site", "address", "tenure", "form", "clientele",
    "units", "adapted_units", "bedrooms",
)
OPTIONAL_COLUMNS = ("vacant_units", "waiting_list", "as_of")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
MAX_ROWS = 50_000
NAMES_SHOWN = 20
# The row number of an error about the file as a whole rather than one of its rows.
FILE_ROW = 0
HEADER_ROW = 1

KIND_FOR_TENURE = {
    Tenure.HLM: OrganizationKind.HOUSING_OFFICE,
    Tenure.COOP: OrganizationKind.HOUSING_COOP,
    Tenure.OBNL: OrganizationKind.HOUSING_NONPROFIT,
}

_INTEGER = re.compile(r"[+-]?\d+(?:[.,]0*)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Thousands separators a French spreadsheet may leave in a number: space, no-break spaces.
_DIGIT_SPACES = str.maketrans("", "", " \u00a0\u202f")


@dataclass(frozen=True)
class RowError:
    """One reason to refuse the file: spreadsheet row (1 is the header, 0 the whole file), column, reason."""

    row: int
    column: str
    message: str

    def describe(self) -> str:
        """The error as one line, in the active language: ``ligne 4, colonne « units » : …``."""
        if self.row == FILE_ROW:
            return _("fichier : %(message)s") % {"message": self.message}
        if not self.column:
            return _("ligne %(row)s : %(message)s") % {"row": self.row, "message": self.message}
        return _("ligne %(row)s, colonne « %(column)s » : %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


class ImportRejected(ServiceError):
    """The file was refused and nothing was imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.describe() for e in errors[:5]))
        self.errors = errors


@dataclass
class ImportSummary:
    """What an import created and changed. With ``dry_run``, what it would have."""

    rows: int = 0
    organizations_created: list[str] = field(default_factory=list)
    buildings_created: int = 0
    buildings_updated: int = 0
    unit_groups_created: int = 0
    unit_groups_updated: int = 0
    snapshots_created: int = 0
    snapshots_updated: int = 0
    unchanged_rows: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.organizations_created or self.buildings_created or self.buildings_updated
            or self.unit_groups_created or self.unit_groups_updated
            or self.snapshots_created or self.snapshots_updated
        )

    def lines(self) -> list[str]:
        """The summary as short sentences in the active language, for a page or a terminal."""
        if self.organizations_created:
            names = ", ".join(self.organizations_created[:NAMES_SHOWN])
            if len(self.organizations_created) > NAMES_SHOWN:
                names = _("%(names)s et %(more)s autres") % {
                    "names": names, "more": len(self.organizations_created) - NAMES_SHOWN,
                }
            orgs = _("Organisations créées : %(count)s (%(names)s)") % {
                "count": len(self.organizations_created), "names": names,
            }
        else:
            orgs = _("Organisations créées : aucune")
        lines = [
            _("Lignes lues : %(rows)s, dont %(unchanged)s inchangées") % {
                "rows": self.rows, "unchanged": self.unchanged_rows,
            },
            orgs,
            _("Immeubles : %(created)s créés, %(updated)s mis à jour") % {
                "created": self.buildings_created, "updated": self.buildings_updated,
            },
            _("Groupes de logements : %(created)s créés, %(updated)s mis à jour") % {
                "created": self.unit_groups_created, "updated": self.unit_groups_updated,
            },
            _("Disponibilités : %(created)s créées, %(updated)s mises à jour") % {
                "created": self.snapshots_created, "updated": self.snapshots_updated,
            },
        ]
        if not self.changed:
            lines.append(_("Rien n'a changé : la base contenait déjà ces données."))
        if self.dry_run:
            lines.append(_("Simulation : rien n'a été enregistré."))
        return lines


# ---------------------------------------------------------------------------
# Reading the file


def _refuse(message: str, row: int = FILE_ROW, column: str = "") -> ImportRejected:
    return ImportRejected([RowError(row, column, message)])


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as trimmed text. Integral floats (3.0) become integers, dates ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _column_name(header_cell: str) -> str:
    return "_".join(header_cell.replace("\ufeff", "").lower().split())


def _decode(content: bytes) -> str:
    # French Excel saves "CSV" in Windows-1252 unless told otherwise; UTF-8 (with or without BOM) first.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _refuse(_("Fichier illisible : ce n'est pas un fichier texte CSV en UTF-8."))


def _csv_table(content: bytes) -> list[list[str]]:
    text = _decode(content)
    header_line = text.split("\n", 1)[0]
    # French Excel exports use ";" because "," is the decimal separator: trust the header line.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    try:
        return [
            [cell.strip() for cell in cells]
            for cells in _limited(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        ]
    except csv.Error as exc:
        raise _refuse(_("Fichier CSV illisible : %(reason)s") % {"reason": exc}) from None


def _xlsx_table(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in many ways (zip, XML, KeyError)
        raise _refuse(_("Fichier illisible : ce n'est pas un classeur Excel (.xlsx) valide.")) from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in cells] for cells in _limited(sheet.iter_rows(values_only=True))]
    except ImportRejected:
        raise
    except Exception:  # cells are parsed lazily in read-only mode
        raise _refuse(_("Fichier illisible : ce n'est pas un classeur Excel (.xlsx) valide.")) from None
    finally:
        workbook.close()


def _limited(rows: Any) -> Iterator[Any]:
    for count, cells in enumerate(rows):
        if count > MAX_ROWS:
            raise _refuse(_("Le fichier dépasse %(max)s lignes : découpez-le.") % {"max": MAX_ROWS})
        yield cells


def read_rows(file_name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts keyed by the header's column names.

    Column names are lower-cased, values trimmed. Blank lines are kept (as dicts of
    empty strings) so that a row's index + 2 is its spreadsheet row number. Raises
    ImportRejected when the file cannot be read.
    """
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        table = _csv_table(content)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx_table(content)
    else:
        raise _refuse(_("Format de fichier non pris en charge : utilisez un fichier .csv ou .xlsx."))
    if not table:
        return []
    positions: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        name = _column_name(cell)
        if name:
            positions.setdefault(name, index)
    return [
        {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        for cells in table[1:]
    ]


# ---------------------------------------------------------------------------
# Checking the rows


@dataclass
class _Line:
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


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


class _Checker:
    """Cleans one row's cells, collecting an error for each bad cell."""

    def __init__(self, municipalities: dict[str, Municipality], today: datetime.date) -> None:
        self.municipalities = municipalities
        self.today = today
        self.errors: list[RowError] = []

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

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

    def choice(self, row: int, cells: dict[str, str], column: str, allowed: list[str]) -> str | None:
        value = cells.get(column, "")
        if not value:
            self.fail(row, column, _("Valeur requise : %(allowed)s.") % {"allowed": ", ".join(allowed)})
            return None
        if value.lower() not in allowed:
            self.fail(row, column, _("Valeur inconnue « %(value)s » : valeurs permises : %(allowed)s.") % {
                "value": _shown(value), "allowed": ", ".join(allowed),
            })
            return None
        return value.lower()

    def integer(self, row: int, cells: dict[str, str], column: str, *, minimum: int, maximum: int,
                required: bool = True) -> int | None:
        value = cells.get(column, "").translate(_DIGIT_SPACES)
        if not value:
            if required:
                self.fail(row, column, _("Valeur requise."))
            return None
        if not _INTEGER.fullmatch(value):
            self.fail(row, column, _("« %(value)s » n'est pas un nombre entier.") % {"value": _shown(value)})
            return None
        number = int(re.split(r"[.,]", value)[0])
        if number < 0:
            self.fail(row, column, _("Le nombre ne peut pas être négatif."))
            return None
        if not minimum <= number <= maximum:
            self.fail(row, column, _("Le nombre doit être entre %(min)s et %(max)s.") % {
                "min": minimum, "max": maximum,
            })
            return None
        return number

    def municipality(self, row: int, cells: dict[str, str]) -> Municipality | None:
        code = _municipality_code(cells.get("municipality_code", ""))
        if not code:
            self.fail(row, "municipality_code", _("Valeur requise : le code géographique à 5 chiffres."))
            return None
        found = self.municipalities.get(code)
        if found is None:
            self.fail(row, "municipality_code", _("Code de municipalité inconnu : « %(value)s ».") % {
                "value": _shown(code),
            })
        return found

    def date(self, row: int, cells: dict[str, str], column: str) -> datetime.date | None:
        value = cells.get(column, "")
        if not value:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(row, column, _("Date invalide « %(value)s » : écrivez-la AAAA-MM-JJ.") % {
                "value": _shown(value),
            })
            return None
        if day > self.today:
            self.fail(row, column, _("La date %(value)s est dans le futur.") % {"value": value})
            return None
        return day

    def line(self, row: int, cells: dict[str, str]) -> _Line | None:
        before = len(self.errors)
        organization = self.text(row, cells, "organization", NAME_MAX_LENGTH)
        municipality = self.municipality(row, cells)
        site = self.text(row, cells, "site", NAME_MAX_LENGTH)
        address = self.text(row, cells, "address", ADDRESS_MAX_LENGTH)
        tenure = self.choice(row, cells, "tenure", Tenure.values)
        form = self.choice(row, cells, "form", BuildingForm.values)
        clientele = self.choice(row, cells, "clientele", Clientele.values)
        units = self.integer(row, cells, "units", minimum=1, maximum=5000)
        adapted = self.integer(row, cells, "adapted_units", minimum=0, maximum=5000)
        bedrooms = self.integer(row, cells, "bedrooms", minimum=0, maximum=10)
        vacant = self.integer(row, cells, "vacant_units", minimum=0, maximum=5000, required=False)
        waiting = self.integer(row, cells, "waiting_list", minimum=0, maximum=100_000, required=False)
        as_of = self.date(row, cells, "as_of")
        if units is not None and adapted is not None and adapted > units:
            self.fail(row, "adapted_units", _(
                "Les logements adaptés (%(adapted)s) dépassent les logements du groupe (%(units)s)."
            ) % {"adapted": adapted, "units": units})
        # A snapshot holds both figures, dated: one without the other, or without a date, is incomplete.
        has_vacant, has_waiting = bool(cells.get("vacant_units")), bool(cells.get("waiting_list"))
        if has_vacant and not has_waiting:
            self.fail(row, "waiting_list", _("Valeur requise lorsque « vacant_units » est rempli."))
        if has_waiting and not has_vacant:
            self.fail(row, "vacant_units", _("Valeur requise lorsque « waiting_list » est rempli."))
        if (has_vacant or has_waiting) and not cells.get("as_of"):
            self.fail(row, "as_of", _("Date requise lorsque « vacant_units » ou « waiting_list » est rempli."))
        if len(self.errors) > before:
            return None
        assert organization and municipality and site and address and tenure and form and clientele
        assert units is not None and adapted is not None and bedrooms is not None
        return _Line(
            row=row, organization=organization, organization_key=Organization.key_for(organization),
            municipality=municipality, site=site, address=address, tenure=tenure, form=form,
            clientele=clientele, units=units, adapted_units=adapted, bedrooms=bedrooms,
            vacant_units=vacant, waiting_list=waiting, as_of=as_of,
        )


def _municipality_code(value: str) -> str:
    # A spreadsheet that took the code for a number drops its leading zero (01023 -> 1023).
    return value.zfill(5) if value.isdigit() and len(value) < 5 else value


def _blank(cells: dict[str, str]) -> bool:
    return not any(cells.values())


@dataclass
class _Stored:
    """The records the file's rows may match, read once."""

    organizations: dict[str, Organization]
    buildings: dict[tuple[int, int, str], Building] = field(default_factory=dict)
    unit_groups: dict[tuple[int, str, int], UnitGroup] = field(default_factory=dict)
    snapshots: dict[tuple[int, str, datetime.date], AvailabilitySnapshot] = field(default_factory=dict)

    def building_for(self, line: _Line) -> Building | None:
        org = self.organizations.get(line.organization_key)
        if org is None:
            return None
        return self.buildings.get((org.pk, line.municipality.pk, line.site))


def _read_stored(lines: list[_Line]) -> _Stored:
    keys = {line.organization_key for line in lines}
    stored = _Stored(organizations={o.name_key: o for o in Organization.objects.filter(name_key__in=keys)})
    org_ids = [o.pk for o in stored.organizations.values()]
    municipality_ids = {line.municipality.pk for line in lines}
    if not org_ids:
        return stored
    scope = {"organization_id__in": org_ids, "municipality_id__in": municipality_ids}
    buildings = Building.objects.select_for_update().filter(**scope)
    stored.buildings = {(b.organization_id, b.municipality_id, b.name): b for b in buildings}
    by_id = {b.pk: b for b in stored.buildings.values()}
    related = {f"building__{k}": v for k, v in scope.items()}
    for group in UnitGroup.objects.select_for_update().filter(**related):
        group.building = by_id[group.building_id]
        stored.unit_groups[(group.building_id, group.clientele, group.bedrooms)] = group
    dates = {line.as_of for line in lines if line.as_of is not None}
    if dates:
        for snap in AvailabilitySnapshot.objects.select_for_update().filter(as_of__in=dates, **related):
            snap.building = by_id[snap.building_id]
            stored.snapshots[(snap.building_id, snap.clientele, snap.as_of)] = snap
    return stored


def _check_permission(actor: Any, lines: list[_Line], stored: _Stored, checker: _Checker) -> None:
    """Administrators import anything; a coordinator, their territory; an organization's staff, its stock."""
    if access_rules.is_administrator(actor):
        return
    coordinator = access_rules.has_role(actor, [Role.REGIONAL_COORDINATOR])
    for line in lines:
        org = stored.organizations.get(line.organization_key)
        if rules.can_manage_stock_of(actor, org.pk if org else None, line.municipality):
            continue
        if coordinator:
            checker.fail(line.row, "municipality_code", _("Cette municipalité est hors de votre territoire."))
        else:
            checker.fail(line.row, "organization", _(
                "Vous ne pouvez pas importer de logements pour cette organisation."
            ))


def _check_across_rows(lines: list[_Line], stored: _Stored, checker: _Checker,
                       incomplete_sites: set[tuple[str, str, str]]) -> None:
    """What no single row shows: duplicates, disagreements between rows, vacancies beyond the units."""
    first_of_site: dict[tuple[str, str, str], _Line] = {}
    first_of_group: dict[tuple[tuple[str, str, str], str, int], _Line] = {}
    first_of_snapshot: dict[tuple[tuple[str, str, str], str, datetime.date], _Line] = {}
    for line in lines:
        site = first_of_site.setdefault(line.site_key, line)
        for column in ("address", "tenure", "form"):
            if getattr(line, column) != getattr(site, column):
                checker.fail(line.row, column, _(
                    "Diffère de la ligne %(row)s pour le même site (%(value)s)."
                ) % {"row": site.row, "value": _shown(getattr(site, column))})
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
    stored_groups: dict[int, list[UnitGroup]] = {}
    for group in stored.unit_groups.values():
        stored_groups.setdefault(group.building_id, []).append(group)
    for site_key, line in first_of_site.items():
        building = stored.building_for(line)
        for group in stored_groups.get(building.pk, []) if building else []:
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


def _column_order(error: RowError) -> tuple[int, int]:
    return (error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1)


# ---------------------------------------------------------------------------
# Writing


@dataclass
class _Plan:
    organizations: list[Organization] = field(default_factory=list)
    new_buildings: list[Building] = field(default_factory=list)
    changed_buildings: list[tuple[Building, dict[str, Any] | None]] = field(default_factory=list)
    new_groups: list[UnitGroup] = field(default_factory=list)
    changed_groups: list[tuple[UnitGroup, dict[str, Any] | None]] = field(default_factory=list)
    new_snapshots: list[AvailabilitySnapshot] = field(default_factory=list)
    changed_snapshots: list[tuple[AvailabilitySnapshot, dict[str, Any] | None]] = field(default_factory=list)
    unchanged_rows: int = 0


def _plan(lines: list[_Line], stored: _Stored, reporter: Any, reporter_label: str) -> _Plan:
    """Match every row to what is stored, and decide what to create and what to change."""
    plan = _Plan()
    organizations = dict(stored.organizations)
    buildings: dict[tuple[str, str, str], Building] = {}
    changed_sites: set[tuple[str, str, str]] = set()
    snapshots: dict[tuple[tuple[str, str, str], str, datetime.date], AvailabilitySnapshot] = {}
    now = timezone.now()
    for line in lines:
        touched = False
        org = organizations.get(line.organization_key)
        if org is None:
            org = Organization(name=line.organization, name_key=line.organization_key,
                               kind=KIND_FOR_TENURE[Tenure(line.tenure)])
            organizations[line.organization_key] = org
            plan.organizations.append(org)
            touched = True

        building = buildings.get(line.site_key)
        if building is None:
            building = stored.building_for(line)
            if building is None:
                building = Building(organization=org, municipality=line.municipality, name=line.site,
                                    address=line.address, tenure=line.tenure, form=line.form)
                plan.new_buildings.append(building)
            elif (building.address, building.tenure, building.form) != (line.address, line.tenure, line.form):
                before = snapshot(building)
                building.address, building.tenure, building.form = line.address, line.tenure, line.form
                building.version += 1
                building.updated_at = now
                plan.changed_buildings.append((building, before))
                changed_sites.add(line.site_key)
            buildings[line.site_key] = building
        touched = touched or building.pk is None or line.site_key in changed_sites

        group = stored.unit_groups.get((building.pk, line.clientele, line.bedrooms)) if building.pk else None
        if group is None:
            group = UnitGroup(building=building, clientele=line.clientele, bedrooms=line.bedrooms,
                              units=line.units, adapted_units=line.adapted_units)
            plan.new_groups.append(group)
            touched = True
        elif (group.units, group.adapted_units) != (line.units, line.adapted_units):
            before = snapshot(group)
            group.units, group.adapted_units = line.units, line.adapted_units
            plan.changed_groups.append((group, before))
            touched = True

        if line.as_of is not None and line.vacant_units is not None and line.waiting_list is not None:
            snap_key = (line.site_key, line.clientele, line.as_of)
            # A later row of the same site, clientele and date repeats the figures (checked before).
            if snap_key not in snapshots:
                snap = stored.snapshots.get((building.pk, line.clientele, line.as_of)) if building.pk else None
                if snap is None:
                    snap = AvailabilitySnapshot(
                        building=building, clientele=line.clientele, as_of=line.as_of,
                        vacant_units=line.vacant_units, waiting_list=line.waiting_list,
                        reported_by=reporter, reported_by_label=reporter_label,
                    )
                    plan.new_snapshots.append(snap)
                    touched = True
                elif (snap.vacant_units, snap.waiting_list) != (line.vacant_units, line.waiting_list):
                    before = snapshot(snap)
                    snap.vacant_units, snap.waiting_list = line.vacant_units, line.waiting_list
                    snap.reported_by, snap.reported_by_label = reporter, reporter_label
                    plan.changed_snapshots.append((snap, before))
                    touched = True
                snapshots[snap_key] = snap
        if not touched:
            plan.unchanged_rows += 1
    return plan


def _write(plan: _Plan, *, actor: Any, file_name: str, summary: ImportSummary) -> None:
    Organization.objects.bulk_create(plan.organizations, batch_size=500)
    Building.objects.bulk_create(plan.new_buildings, batch_size=500)
    Building.objects.bulk_update([b for b, _ in plan.changed_buildings],
                                 ["address", "tenure", "form", "version", "updated_at"], batch_size=500)
    UnitGroup.objects.bulk_create(plan.new_groups, batch_size=500)
    UnitGroup.objects.bulk_update([g for g, _ in plan.changed_groups], ["units", "adapted_units"], batch_size=500)
    AvailabilitySnapshot.objects.bulk_create(plan.new_snapshots, batch_size=500)
    AvailabilitySnapshot.objects.bulk_update(
        [s for s, _ in plan.changed_snapshots], ["vacant_units", "waiting_list", "reported_by", "reported_by_label"],
        batch_size=500,
    )
    events: list[dict[str, Any]] = [
        {"action": "housing.import", "object_type": "housing.import", "object_label": file_name,
         "after": {"file": file_name, "rows": summary.rows, "organizations_created": summary.organizations_created,
                   "buildings_created": summary.buildings_created, "buildings_updated": summary.buildings_updated,
                   "unit_groups_created": summary.unit_groups_created,
                   "unit_groups_updated": summary.unit_groups_updated,
                   "snapshots_created": summary.snapshots_created, "snapshots_updated": summary.snapshots_updated}},
    ]
    for action, created in (("organization.create", plan.organizations), ("building.create", plan.new_buildings),
                            ("unit_group.set", plan.new_groups), ("availability.report", plan.new_snapshots)):
        events += [{"action": action, "instance": obj, "after": snapshot(obj)} for obj in created]
    for action, changed in (("building.update", plan.changed_buildings), ("unit_group.set", plan.changed_groups),
                            ("availability.report", plan.changed_snapshots)):
        events += [{"action": action, "instance": obj, "before": before, "after": snapshot(obj)}
                   for obj, before in changed]
    audit_record_many(actor=actor, events=events)


# ---------------------------------------------------------------------------
# The act


def housing_import(*, actor: Any, file_name: str, content: bytes, lang: str | None = None,
                   dry_run: bool = False, as_system: bool = False) -> ImportSummary:
    """Import the housing stock from a CSV or XLSX file, all or nothing.

    Creates the organizations, buildings, unit groups and availability snapshots the
    file names and updates those that differ; raises ImportRejected, having changed
    nothing, if any row is bad. ``lang`` chooses the language of the messages (the
    active one by default). ``as_system`` is for an operator's command on the server:
    there is no actor then, and the audit log says "system". ``dry_run`` checks the
    file and counts what would change without writing.
    """
    if as_system and actor is not None:
        raise ValueError("An import run as the system has no actor.")
    with translation.override(lang) if lang else contextlib.nullcontext():
        if not as_system and not rules.can_import_housing(actor):
            raise PermissionRefused(_("Vous ne pouvez pas importer le parc de logements."))
        rows = read_rows(file_name, content)
        cells_by_row = [(number, cells) for number, cells in enumerate(rows, start=HEADER_ROW + 1)
                        if not _blank(cells)]
        if not cells_by_row:
            raise _refuse(_("Le fichier ne contient aucune ligne de données."))
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        if missing:
            raise ImportRejected([RowError(HEADER_ROW, c, _("Colonne obligatoire absente de l'en-tête."))
                                  for c in missing])
        name = PurePath(file_name).name
        try:
            with transaction.atomic():
                summary = _import(actor=actor, as_system=as_system, file_name=name, cells_by_row=cells_by_row,
                                  dry_run=dry_run)
        except IntegrityError:
            # Somebody else wrote the same records meanwhile; a second try will match them.
            raise _refuse(_("Une autre modification du parc a eu lieu pendant l'importation : réessayez.")) from None
    return summary


def _import(*, actor: Any, as_system: bool, file_name: str, cells_by_row: list[tuple[int, dict[str, str]]],
            dry_run: bool) -> ImportSummary:
    codes = {_municipality_code(cells.get("municipality_code", "")) for _, cells in cells_by_row}
    municipalities = {m.code: m for m in Municipality.objects.select_related("mrc__region").filter(code__in=codes)}
    checker = _Checker(municipalities, timezone.localdate())
    lines: list[_Line] = []
    incomplete_sites: set[tuple[str, str, str]] = set()
    for number, cells in cells_by_row:
        line = checker.line(number, cells)
        if line is not None:
            lines.append(line)
        else:
            incomplete_sites.add((Organization.key_for(cells.get("organization", "")),
                                  _municipality_code(cells.get("municipality_code", "")), cells.get("site", "")))
    stored = _read_stored(lines)
    if not as_system:
        _check_permission(actor, lines, stored, checker)
    _check_across_rows(lines, stored, checker, incomplete_sites)
    if checker.errors:
        raise ImportRejected(sorted(checker.errors, key=_column_order))

    if as_system:
        reporter, label = None, f"import {file_name}"[:200]
    else:
        reporter, label = actor, (actor.get_full_name() or actor.get_username())[:200]
    plan = _plan(lines, stored, reporter, label)
    summary = ImportSummary(
        rows=len(lines),
        organizations_created=[o.name for o in plan.organizations],
        buildings_created=len(plan.new_buildings), buildings_updated=len(plan.changed_buildings),
        unit_groups_created=len(plan.new_groups), unit_groups_updated=len(plan.changed_groups),
        snapshots_created=len(plan.new_snapshots), snapshots_updated=len(plan.changed_snapshots),
        unchanged_rows=plan.unchanged_rows, dry_run=dry_run,
    )
    if summary.changed and not dry_run:
        _write(plan, actor=actor, file_name=file_name, summary=summary)
    return summary
