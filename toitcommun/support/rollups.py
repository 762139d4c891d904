"""Monthly roll-ups of interventions: kept by the services that write, read by the statistics.

``InterventionMonthly`` holds, per organization, MRC, category and month, the number of
interventions, their minutes and the persons they named. Every service that creates,
destroys or changes the persons of an intervention calls one of the functions below in its
own transaction (``intervention_record``, ``person_merge``; a service that destroys whole
interventions calls ``rollup_remove`` first). ``recount`` computes the same figures from the
interventions themselves; a test checks, after long random sequences of writes, that they
are equal.

The figures are counts of acts: no name, no free text, no person id. A cell can still be
small; a de-identified export suppresses small cells itself (see the research export).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from toitcommun.access.models import Role
from toitcommun.access.rules import has_role
from toitcommun.errors import PermissionRefused
from toitcommun.organizations.models import Organization
from toitcommun.people.rules import support_organizations
from toitcommun.territory.models import Mrc

from .models import Intervention, InterventionCategory, InterventionMonthly

Key = tuple[int, str, str, str, datetime.date]  # organization, region, MRC, category, month
Figures = tuple[int, int, int]  # interventions, minutes, participants


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _key(intervention: Intervention) -> Key:
    return (intervention.organization_id, intervention.region_code, intervention.mrc_code,
            intervention.category, month_of(intervention.date))


def _apply(key: Key, interventions: int, minutes: int, participants: int) -> None:
    """Add (or subtract) figures to one roll-up row, creating it if needed; safe when two writers race."""
    organization_id, region_code, mrc_code, category, month = key
    where = {"organization_id": organization_id, "mrc_code": mrc_code, "category": category, "month": month}
    change = {"interventions": F("interventions") + interventions, "minutes": F("minutes") + minutes,
              "participants": F("participants") + participants}
    if InterventionMonthly.objects.filter(**where).update(**change):
        return
    if interventions < 0 or minutes < 0 or participants < 0:
        raise RuntimeError("a roll-up to decrement does not exist: the roll-ups no longer equal a recount")
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert of the same row is a conflict, not a crash
            InterventionMonthly.objects.create(**where, region_code=region_code, interventions=interventions,
                                               minutes=minutes, participants=participants)
    except IntegrityError:
        InterventionMonthly.objects.filter(**where).update(**change)


def rollup_add(intervention: Intervention, participants: int | None = None) -> None:
    """A new intervention counts in its month (call in the transaction that records it, persons set)."""
    if participants is None:
        participants = intervention.persons.count()
    _apply(_key(intervention), 1, intervention.duration_minutes, participants)


def rollup_remove(intervention: Intervention, participants: int | None = None) -> None:
    """An intervention destroyed no longer counts (call before deleting it, in the same transaction)."""
    if participants is None:
        participants = intervention.persons.count()
    key = _key(intervention)
    _apply(key, -1, -intervention.duration_minutes, -participants)
    organization_id, _region, mrc_code, category, month = key
    InterventionMonthly.objects.filter(organization_id=organization_id, mrc_code=mrc_code, category=category,
                                       month=month, interventions=0).delete()


def rollup_participants_removed(intervention_ids: Iterable[int]) -> None:
    """One person fewer is named on each of these interventions (a merge dropping a duplicate link).

    Call with the ids of the links about to be removed, in the same transaction; an id listed twice
    counts twice.
    """
    per: dict[int, int] = {}
    for pk in intervention_ids:
        per[pk] = per.get(pk, 0) + 1
    if not per:
        return
    for intervention in Intervention.objects.filter(pk__in=per).only(
            "organization_id", "region_code", "mrc_code", "category", "date"):
        _apply(_key(intervention), 0, 0, -per[intervention.pk])


def kept() -> dict[Key, Figures]:
    """The roll-ups as kept, rows at zero left out."""
    return {(r.organization_id, r.region_code, r.mrc_code, r.category, r.month):
            (r.interventions, r.minutes, r.participants)
            for r in InterventionMonthly.objects.exclude(interventions=0, minutes=0, participants=0)}


def recount() -> dict[Key, Figures]:
    """The same figures counted from the interventions themselves, for the check and for repairs."""
    figures: dict[Key, list[int]] = {}
    for row in (Intervention.objects.values("organization_id", "region_code", "mrc_code", "category", "date")
                .annotate(n=Count("id"), minutes=Sum("duration_minutes")).order_by()):
        key = (row["organization_id"], row["region_code"], row["mrc_code"], row["category"], month_of(row["date"]))
        cell = figures.setdefault(key, [0, 0, 0])
        cell[0] += row["n"]
        cell[1] += row["minutes"]
    through = Intervention.persons.through
    for row in (through.objects.values("intervention__organization_id", "intervention__region_code",
                                       "intervention__mrc_code", "intervention__category", "intervention__date")
                .annotate(n=Count("id")).order_by()):
        key = (row["intervention__organization_id"], row["intervention__region_code"],
               row["intervention__mrc_code"], row["intervention__category"], month_of(row["intervention__date"]))
        figures.setdefault(key, [0, 0, 0])[2] += row["n"]
    return {k: (v[0], v[1], v[2]) for k, v in figures.items()}


def rollups_rebuild() -> int:
    """Replace the roll-ups by a recount (after a bulk load, or to repair); returns the rows written."""
    rows = recount()
    with transaction.atomic():
        InterventionMonthly.objects.all().delete()
        InterventionMonthly.objects.bulk_create([
            InterventionMonthly(organization_id=org, region_code=region, mrc_code=mrc, category=category,
                                month=month, interventions=n, minutes=minutes, participants=participants)
            for (org, region, mrc, category, month), (n, minutes, participants) in rows.items()], batch_size=2000)
    return len(rows)


def interventions_by_category_and_mrc(year: int, organization: Any = None) -> list[dict[str, Any]]:
    """Interventions of a year by category and MRC, read from the roll-ups: a few ms at province size.

    ``organization`` (an Organization or its id) limits the figures to that organization's own;
    None gives every organization's, for the region's statistics and the research export, which
    suppresses small cells itself. Each row: ``mrc_code`` (blank when the place was not known),
    ``category``, ``interventions``, ``minutes``, ``participants``; ordered by MRC
    then category. No person is named or identified in it.
    """
    rows = InterventionMonthly.objects.filter(month__gte=datetime.date(year, 1, 1),
                                              month__lt=datetime.date(year + 1, 1, 1))
    if organization is not None:
        rows = rows.filter(organization_id=getattr(organization, "pk", organization))
    return list(rows.values("mrc_code", "category")
                .annotate(interventions=Sum("interventions"), minutes=Sum("minutes"),
                          participants=Sum("participants"))
                .filter(interventions__gt=0).order_by("mrc_code", "category"))


# ---- the statistics page -------------------------------------------------------------------------

# De-identified figures: a cell of fewer interventions than this is shown as "fewer than", not counted.
SMALL_CELL = 5


@dataclass
class StatisticsRow:
    mrc_code: str
    mrc_name: str
    cells: dict[str, int | None]  # category → interventions (None: suppressed)
    total: int | None
    minutes: int | None
    participants: int | None


@dataclass
class Statistics:
    year: int
    research: bool  # de-identified: every organization, small cells suppressed
    organizations: list[str]
    categories: list[tuple[str, str]]
    rows: list[StatisticsRow]
    total: int
    small_cell: int = SMALL_CELL


def statistics_scope(user: Any) -> tuple[bool, frozenset[int]]:
    """(research, organizations): a worker or staff of a support organization sees their organizations'
    own figures; a researcher every organization's, de-identified; anyone else is refused."""
    orgs = support_organizations(user)
    if orgs:
        return False, orgs
    if has_role(user, [Role.RESEARCHER]):
        return True, frozenset()
    raise PermissionRefused(_("Ces statistiques sont réservées au personnel des organisations qui suivent des "
                              "locataires et aux chercheur·es."))


def intervention_statistics(user: Any, year: int) -> Statistics:
    """Interventions of a year by MRC and category, read from the roll-ups, as the caller may see them."""
    research, orgs = statistics_scope(user)
    figures: list[dict[str, Any]] = []
    if research:
        figures = interventions_by_category_and_mrc(year)
    else:
        for org in sorted(orgs):
            figures.extend(interventions_by_category_and_mrc(year, organization=org))
    per_mrc: dict[str, dict[str, list[int]]] = {}
    for row in figures:
        cell = per_mrc.setdefault(row["mrc_code"], {}).setdefault(row["category"], [0, 0, 0])
        cell[0] += row["interventions"]
        cell[1] += row["minutes"]
        cell[2] += row["participants"]
    names = dict(Mrc.objects.filter(code__in=[c for c in per_mrc if c]).values_list("code", "name"))
    rows = []
    for code, cells in per_mrc.items():
        total = sum(c[0] for c in cells.values())
        shown: dict[str, int | None] = {k: (c[0] if not research or c[0] >= SMALL_CELL else None)
                                        for k, c in cells.items()}
        # A suppressed cell could be found again by subtracting the others from the row's total: the row's
        # totals go too.
        small = research and (total < SMALL_CELL or None in shown.values())
        rows.append(StatisticsRow(
            mrc_code=code, mrc_name=names.get(code, "") if code else "", cells=shown,
            total=None if small else total,
            minutes=None if small else sum(c[1] for c in cells.values()),
            participants=None if small else sum(c[2] for c in cells.values())))
    rows.sort(key=lambda r: (r.mrc_code == "", r.mrc_name, r.mrc_code))
    organizations = [] if research else list(
        Organization.objects.filter(pk__in=orgs).order_by("name").values_list("name", flat=True))
    return Statistics(year=year, research=research, organizations=organizations,
                      categories=[(c.value, str(c.label)) for c in InterventionCategory],
                      rows=rows, total=sum(r.total or 0 for r in rows))
