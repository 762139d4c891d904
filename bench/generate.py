"""A province-sized synthetic housing stock, in a database of its own.

    .venv/bin/python bench/generate.py [--force] [--database-url URL]

By default the stock goes to var/bench.sqlite3, never to the application's
var/toitcommun.sqlite3. It is the real territory tree (MAMH directory) with
invented owners, buildings, unit groups and a year of monthly availability
snapshots, drawn from a fixed seed so that every run builds the same province.
Rows are written with bulk_create and no audit events: this is bench data, not
acts of anyone.

A database that already holds exactly the planned counts and snapshot totals
is left as it is, unless --force.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_SQLITE = ROOT / "var" / "bench.sqlite3"
APP_SQLITE = ROOT / "var" / "toitcommun.sqlite3"

SEED = 2025
N_ORGANIZATIONS = {"hlm": 160, "coop": 1240, "obnl": 1600}  # 3,000 owners
N_BUILDINGS = 12_000
TARGET_UNITS = 160_000
# The date the benchmarks ask about, and the twelve months of snapshots that end
# with its month. Most days are "today": nearly every snapshot is on or before
# the date, the costliest case for "latest on or before". Mid-month, some of the
# last month's snapshots still fall after it, so the "before" part is exercised.
BENCH_DATE = datetime.date(2025, 10, 15)
SNAPSHOT_MONTHS = [(2024, 11), (2024, 12), *((2025, m) for m in range(1, 11))]

# MAMH designations that are not local municipalities: unorganized territories,
# reserves and category I lands, the Eeyou Istchee regional government.
NOT_LOCAL = ("Territoire non organisé", "Réserve indienne", "Terre de la catégorie", "Gouvernement régional")

TENURE_SHARE = {"hlm": 0.38, "coop": 0.22, "obnl": 0.40}
TENURE_KIND = {"hlm": "housing_office", "coop": "housing_coop", "obnl": "housing_nonprofit"}
TENURE_OWNER_NAME = {"hlm": "Office d'habitation", "coop": "Coopérative d'habitation", "obnl": "OBNL d'habitation"}
TENURE_SITE_NAME = {"hlm": "Habitations", "coop": "Coop", "obnl": "Résidence"}
FORM_SHARE = {"multi_unit": 0.72, "duplex": 0.13, "single_family": 0.15}
CLIENTELE_SHARE = {"seniors": 0.45, "families": 0.35, "singles": 0.20}
BEDROOMS = {"seniors": (0, 1, 2), "families": (2, 3, 4), "singles": (0, 1)}
ADAPTED_RATE = {"seniors": 0.10, "families": 0.03, "singles": 0.04}


# --- Django set-up --------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def configure(database_url: str | None = None) -> str:
    """Point Django at the bench database and set it up. Returns the URL in use."""
    url = database_url or sqlite_url(BENCH_SQLITE)
    _refuse_application_database(url)
    os.environ["DATABASE_URL"] = url
    # With DEBUG on, every query is kept in connection.queries: slower, and growing.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toitcommun.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def _refuse_application_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(parsed.path).resolve()
        if path == APP_SQLITE.resolve():
            sys.exit(f"Refusing to generate into the application's database {path}.")
    elif "bench" not in parsed.path.lstrip("/"):
        # The generator deletes the housing stock it finds: keep it away from real data.
        sys.exit(f"Refusing {parsed.path.lstrip('/')!r}: a bench database's name must contain 'bench'.")


def is_sqlite_file(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(parsed.path).resolve() if parsed.scheme.startswith("sqlite") else None


# --- The plan: what the province looks like, before any row is written ------------------------


@dataclass
class SitePlan:
    name: str
    municipality_code: str
    tenure: str
    form: str
    has_common_room: bool
    groups: list[tuple[str, int, int, int]] = field(default_factory=list)  # clientele, bedrooms, units, adapted
    owner: int = -1

    def clienteles(self) -> list[str]:
        return sorted({g[0] for g in self.groups})


@dataclass
class OwnerPlan:
    name: str
    kind: str
    municipality_code: str


@dataclass
class Plan:
    municipalities: int
    owners: list[OwnerPlan]
    sites: list[SitePlan]

    def counts(self) -> dict[str, int]:
        return {
            "municipalities": self.municipalities,
            "organizations": len(self.owners),
            "buildings": len(self.sites),
            "unit_groups": sum(len(s.groups) for s in self.sites),
            "units": sum(g[2] for s in self.sites for g in s.groups),
            "snapshots": 12 * sum(len(s.clienteles()) for s in self.sites),
        }

    def fingerprint(self, seed: int) -> dict[str, int]:
        """Totals over every snapshot, so that a change of dates or figures is noticed too."""
        days = vacant = waiting = 0
        for _, _, as_of, vacant_units, waiting_list in snapshot_rows(self, seed):
            days += as_of.year * 10_000 + as_of.month * 100 + as_of.day
            vacant += vacant_units
            waiting += waiting_list
        return {"snapshot_days": days, "snapshot_vacant": vacant, "snapshot_waiting": waiting}


def is_local(designation: str) -> bool:
    return not designation.startswith(NOT_LOCAL)


def _weighted(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` positive integers."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def _site_sizes(rng: random.Random, forms: list[str]) -> list[int]:
    """Units per site: 1 for a house, 2 for a duplex, a long-tailed draw for the rest, scaled to the target."""
    fixed = sum(1 if f == "single_family" else 2 for f in forms if f != "multi_unit")
    draws = [rng.lognormvariate(2.6, 0.75) if f == "multi_unit" else 0.0 for f in forms]
    scale = (TARGET_UNITS - fixed) / sum(draws)
    sizes = []
    for form, draw in zip(forms, draws, strict=True):
        if form == "single_family":
            sizes.append(1)
        elif form == "duplex":
            sizes.append(2)
        else:
            sizes.append(min(400, max(3, round(draw * scale))))
    return sizes


def _groups(rng: random.Random, form: str, units: int) -> list[tuple[str, int, int, int]]:
    primary = _weighted(rng, CLIENTELE_SHARE)
    if form == "single_family":
        combos = [("families", rng.choice((2, 3, 4)))]
    else:
        candidates = [(primary, b) for b in BEDROOMS[primary]]
        if rng.random() < 0.3:  # a mixed site: a second clientele
            other = rng.choice([c for c in CLIENTELE_SHARE if c != primary])
            candidates += [(other, b) for b in BEDROOMS[other]]
        wanted = rng.choices((1, 2, 3), weights=(0.35, 0.40, 0.25))[0]
        combos = rng.sample(candidates, min(wanted, units, len(candidates)))
    groups = []
    for (clientele, bedrooms), n in zip(combos, _split(rng, units, len(combos)), strict=True):
        adapted = sum(1 for _ in range(n) if rng.random() < ADAPTED_RATE[clientele])
        groups.append((clientele, bedrooms, n, adapted))
    return groups


def make_plan(municipalities: list[tuple[str, str, int | None, str]], seed: int = SEED) -> Plan:
    """The synthetic province, from (code, name, population, designation) of every municipality."""
    rng = random.Random(seed)
    local = sorted((m for m in municipalities if is_local(m[3])), key=lambda m: m[0])
    names = {m[0]: m[1] for m in local}
    # Every local municipality gets one site; the rest go where people live.
    places = [m[0] for m in local]
    places += rng.choices(places, weights=[max(m[2] or 0, 1) for m in local], k=N_BUILDINGS - len(places))
    places.sort()  # owners are cut from runs of neighbouring codes: they stay local
    forms = [_weighted(rng, FORM_SHARE) for _ in places]
    sizes = _site_sizes(rng, forms)
    sites = []
    for serial, (code, form, units) in enumerate(zip(places, forms, sizes, strict=True), start=1):
        tenure = _weighted(rng, TENURE_SHARE)
        sites.append(SitePlan(
            name=f"{TENURE_SITE_NAME[tenure]} {names[code]} {serial:05d}",
            municipality_code=code, tenure=tenure, form=form,
            has_common_room=form == "multi_unit" and rng.random() < 0.4,
            groups=_groups(rng, form, units),
        ))
    owners: list[OwnerPlan] = []
    for tenure, count in N_ORGANIZATIONS.items():
        mine = [s for s in sites if s.tenure == tenure]
        for run in _runs(rng, mine, count):
            for site in run:
                site.owner = len(owners)
            code = run[0].municipality_code
            owners.append(OwnerPlan(
                name=f"{TENURE_OWNER_NAME[tenure]} {names[code]} no {len(owners) + 1:04d}",
                kind=TENURE_KIND[tenure], municipality_code=code,
            ))
    return Plan(municipalities=len(municipalities), owners=owners, sites=sites)


def _runs(rng: random.Random, items: list[SitePlan], count: int) -> list[list[SitePlan]]:
    sizes = _split(rng, len(items), count)
    runs, start = [], 0
    for size in sizes:
        runs.append(items[start:start + size])
        start += size
    return runs


def snapshot_rows(plan: Plan, seed: int = SEED) -> Iterator[tuple[int, str, datetime.date, int, int]]:
    """(site index, clientele, as_of, vacant, waiting): one per site, clientele and month."""
    rng = random.Random(seed + 1)
    for index, site in enumerate(plan.sites):
        for clientele in site.clienteles():
            units = sum(g[2] for g in site.groups if g[0] == clientele)
            for year, month in SNAPSHOT_MONTHS:
                vacant = min(units, rng.choices((0, 1, 2, 3), weights=(0.75, 0.15, 0.07, 0.03))[0])
                waiting = rng.randint(0, 2 * units + 5)
                as_of = datetime.date(year, month, rng.randint(1, 28))
                yield index, clientele, as_of, vacant, waiting


# --- Writing it -----------------------------------------------------------------------------


def database_counts() -> dict[str, int] | None:
    """The counts the plan is checked against, or None when the schema is not there yet."""
    from django.db import DatabaseError
    from django.db.models import Sum
    from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

    from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
    from toitcommun.organizations.models import Organization
    from toitcommun.territory.models import Municipality

    try:
        return {
            "municipalities": Municipality.objects.count(),
            # The housing owners only: the directory's providers, organizations of the registry too, are added
            # as community organizations (bench/generate_directory.py) and must not make the stock look stale.
            "organizations": Organization.objects.filter(kind__in=TENURE_KIND.values()).count(),
            "buildings": Building.objects.count(),
            "unit_groups": UnitGroup.objects.count(),
            "units": UnitGroup.objects.aggregate(n=Sum("units"))["n"] or 0,
            "snapshots": AvailabilitySnapshot.objects.count(),
            **{k: v or 0 for k, v in AvailabilitySnapshot.objects.aggregate(
                snapshot_days=Sum(ExtractYear("as_of") * 10_000 + ExtractMonth("as_of") * 100 + ExtractDay("as_of")),
                snapshot_vacant=Sum("vacant_units"),
                snapshot_waiting=Sum("waiting_list"),
            ).items()},
        }
    except DatabaseError:
        return None


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _load_territory() -> list[tuple[str, str, int | None, str]]:
    from toitcommun.territory.models import Municipality
    from toitcommun.territory.services import territory_load_mamh

    territory_load_mamh()  # idempotent: a loaded province is left as it is
    return list(Municipality.objects.values_list("code", "name", "population", "designation"))


def _clear() -> None:
    """Empty the stock of a server database (a SQLite file is simply deleted instead)."""
    from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
    from toitcommun.organizations.models import Organization

    for model in (AvailabilitySnapshot, UnitGroup, Building, Organization):
        model.objects.all().delete()


def _write(plan: Plan, seed: int) -> None:
    from django.db import transaction

    from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
    from toitcommun.housing.rollups import rollups_refresh
    from toitcommun.organizations.models import Organization
    from toitcommun.territory.models import Municipality

    batch = 2000
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    with transaction.atomic():
        owners = Organization.objects.bulk_create(
            [
                Organization(
                    name=o.name, name_key=Organization.key_for(o.name), kind=o.kind,
                    municipality_id=municipality_ids[o.municipality_code], is_illustrative=True,
                )
                for o in plan.owners
            ],
            batch_size=batch,
        )
        buildings = Building.objects.bulk_create(
            [
                Building(
                    name=s.name, organization_id=owners[s.owner].pk,
                    municipality_id=municipality_ids[s.municipality_code],
                    address=f"{100 + i % 900} rue Principale", tenure=s.tenure, form=s.form,
                    has_common_room=s.has_common_room, is_illustrative=True,
                )
                for i, s in enumerate(plan.sites)
            ],
            batch_size=batch,
        )
        UnitGroup.objects.bulk_create(
            [
                UnitGroup(building_id=b.pk, clientele=c, bedrooms=n_bed, units=n, adapted_units=a)
                for b, s in zip(buildings, plan.sites, strict=True)
                for c, n_bed, n, a in s.groups
            ],
            batch_size=batch,
        )
        chunk: list[AvailabilitySnapshot] = []
        for index, clientele, as_of, vacant, waiting in snapshot_rows(plan, seed):
            chunk.append(AvailabilitySnapshot(
                building_id=buildings[index].pk, clientele=clientele, as_of=as_of,
                vacant_units=vacant, waiting_list=waiting, reported_by_label="Synthétique (banc d'essai)",
            ))
            if len(chunk) >= 20_000:
                AvailabilitySnapshot.objects.bulk_create(chunk, batch_size=batch)
                chunk = []
        AvailabilitySnapshot.objects.bulk_create(chunk, batch_size=batch)
        # What the writing services keep as they write, counted once for the whole province.
        rollups_refresh()


def ensure(url: str, *, force: bool = False, seed: int = SEED, quiet: bool = False) -> dict[str, int]:
    """Make the configured bench database hold the planned province; returns its counts.

    Call after configure(url).
    """
    from django.db import connection

    say = (lambda *a: None) if quiet else print
    started = time.perf_counter()
    path = is_sqlite_file(url)
    if force and path is not None:
        _delete_sqlite(path)
    _migrate()
    municipalities = _load_territory()
    plan = make_plan(municipalities, seed)
    wanted = plan.counts() | plan.fingerprint(seed)
    found = database_counts()
    if found == wanted and not force:
        say(f"Bench database up to date ({_describe(url)}): {_format(found)}.")
        return found
    if path is not None and found and (found["buildings"] or found["organizations"]):
        # A stale file: start from nothing rather than delete row by row.
        connection.close()
        _delete_sqlite(path)
        _migrate()
        _load_territory()
    elif path is None:
        _clear()
    say(f"Generating the synthetic province into {_describe(url)} (seed {seed})...")
    _write(plan, seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh tables: give the planner statistics, as autovacuum would
    found = database_counts()
    if found != wanted:
        raise RuntimeError(f"generated counts {found} differ from the plan {wanted}")
    say(f"Generated in {time.perf_counter() - started:.1f} s: {_format(found)}.")
    return found


def _delete_sqlite(path: Path) -> None:
    if path.resolve() == APP_SQLITE.resolve():
        raise RuntimeError("refusing to delete the application's database")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _describe(url: str) -> str:
    path = is_sqlite_file(url)
    if path is not None:
        return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.hostname or ''}/{parsed.path.lstrip('/')}"


def _format(counts: dict[str, Any]) -> str:
    return ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items() if not k.startswith("snapshot_"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="regenerate even if the counts match")
    parser.add_argument("--database-url", help="default: sqlite:///var/bench.sqlite3; a PostgreSQL "
                        "database's name must contain 'bench'")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    url = configure(args.database_url)
    ensure(url, force=args.force, seed=args.seed)


if __name__ == "__main__":
    main()
