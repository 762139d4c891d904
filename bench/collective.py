"""Collective life at province size: a territory's month calendar and an MRC's participation for a year.

    .venv/bin/python bench/run.py --only collective [--scale 1.0] [--reps 30]
    .venv/bin/python bench/collective.py [--scale 0.1] [--reps 30] [--database-url URL] [--force]

At scale 1 the generator grows 300,000 activities, 3,000,000 named attendance records and
50,000 meetings (with 100,000 tenants and 3,000 groups) in a database of its own,
var/bench_collective_<scale>.sqlite3, from a fixed seed, with the roll-ups written as the
services keep them (each activity's totals, the yearly tally per municipality, the place and
year the named attendance repeats). It checks that the kept roll-ups equal a recount, then
times, interleaved, each beside plain normalized SQL that counts the rows themselves:

- (a) the month calendar of an MRC: activities_in() for drawn MRCs and months;
- (b) the participation of an MRC for a year: participation() (activities, tenant-organized
  ones, attendance, distinct tenants, meetings held), against one statement per figure over
  activities, attendance and meetings, no roll-up.

Prints medians, p95 and the ratios, and the aim of the issue as PASS or MISS (under 100 ms on
SQLite at that size); a miss is not an error. Figures that disagree exit with status 1.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate  # noqa: E402

SEED = 2015
AIM_MS = 100.0
YEARS = list(range(2014, 2024))  # ten years of collective life
PER_SCALE = {"activities": 300_000, "attendance": 3_000_000, "meetings": 50_000, "tenants": 100_000,
             "groups": 3_000}
KINDS = ["social", "educational", "sports", "collective_kitchen", "garden", "crafts", "celebration",
         "information_session", "training", "regional_gathering"]


def database_url(scale: float) -> str:
    return generate.sqlite_url(generate.ROOT / "var" / f"bench_collective_{scale:g}.sqlite3")


def planned(scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in PER_SCALE.items()}


def counts() -> dict[str, int]:
    from toitcommun.collective.models import Activity, ActivityAttendee, Group, Meeting
    from toitcommun.people.models import Person

    return {"activities": Activity.objects.count(), "attendance": ActivityAttendee.objects.count(),
            "meetings": Meeting.objects.count(), "tenants": Person.objects.count(), "groups": Group.objects.count()}


# --- The world -------------------------------------------------------------------------------


def generate_world(scale: float, seed: int = SEED, force: bool = False) -> dict[str, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from toitcommun.collective.models import (
        Activity,
        ActivityAttendee,
        Group,
        Meeting,
        ParticipationTally,
    )
    from toitcommun.organizations.models import Organization
    from toitcommun.people.models import Person
    from toitcommun.territory.models import Municipality

    generate._migrate()
    generate._load_territory()
    wanted = planned(scale)
    found = counts()
    if found == wanted and not force:
        print(f"Bench database up to date: {_format(found)}.")
        return found
    if any(found.values()):
        sys.exit("The bench database holds another world: run with --force on a fresh file "
                 "(or delete var/bench_collective_*.sqlite3).")
    started = time.perf_counter()
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    municipalities = list(Municipality.objects.select_related("mrc__region").order_by("code"))
    # Places weigh by population: Montréal has more activities than a village.
    weights = [max(200, m.population or 200) ** 0.7 for m in municipalities]
    with transaction.atomic():
        orgs = Organization.objects.bulk_create([
            Organization(name=f"Organisme bench {i}", name_key=f"organisme bench {i}",
                         kind="community_organization", municipality=municipalities[i % len(municipalities)])
            for i in range(400)])
        groups = []
        for i in range(wanted["groups"]):
            m = rng.choices(municipalities, weights)[0]
            local = i % 5 != 0
            groups.append(Group(name=f"Groupe bench {i}", kind="tenant_association" if local else "local_table",
                                region=m.mrc.region, mrc=m.mrc, municipality=m if local else None))
        groups = Group.objects.bulk_create(groups, batch_size=2000)
        persons = Person.objects.bulk_create([
            Person(first_name="Prénom", last_name=f"Fictif {i}", name_key=f"prenom fictif {i}")
            for i in range(wanted["tenants"])], batch_size=5000)
        person_ids = [p.pk for p in persons]
        print(f"  organizations, {len(groups):,} groups, {len(persons):,} tenants "
              f"({time.perf_counter() - started:.0f} s)")

        # Activities with their counted attendance; named attendance drawn per activity.
        n_act, n_att = wanted["activities"], wanted["attendance"]
        named_per = [0] * n_act
        for _ in range(n_att):
            named_per[rng.randrange(n_act)] += 1
        # Draw the persons of each municipality from a pool of its own, so that tenants come back.
        pools: dict[int, list[int]] = {}
        tallies: dict[tuple[int, int], list[int]] = {}
        attendee_rows: list[tuple[Any, ...]] = []
        activities: list[Activity] = []
        plan: list[tuple[Any, ...]] = []
        for i in range(n_act):
            m = rng.choices(municipalities, weights)[0]
            year = rng.choice(YEARS)
            local = datetime.datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.choice([9, 10, 13, 14, 18, 19]))
            starts = timezone.make_aware(local, tz)
            state = "published" if rng.random() < 0.9 else rng.choice(["draft", "cancelled"])
            by_tenants = rng.random() < 0.25
            counted = (rng.randint(0, 12), rng.randint(0, 5), rng.randint(0, 3))
            n_named = named_per[i]
            pool = pools.setdefault(m.pk, rng.sample(person_ids, min(len(person_ids), 60)))
            named = rng.sample(pool, min(n_named, len(pool)))
            named_tenants = sum(1 for p in named if p % 10 != 0)  # one named in ten is not a tenant
            total = len(named) + sum(counted)
            tenants = named_tenants + counted[0]
            activities.append(Activity(
                title=f"Activité bench {i}", kind=rng.choice(KINDS), starts_at=starts, municipality=m,
                organized_by_tenants=by_tenants, is_public=rng.random() < 0.95, state=state,
                counted_tenants=counted[0], counted_children=counted[1], counted_others=counted[2],
                named_count=len(named), named_tenants=named_tenants, attendance_total=total,
                tenants_attending=tenants, group=groups[rng.randrange(len(groups))] if rng.random() < 0.3 else None))
            plan.append((named, m.pk, year, state == "published"))
            if state == "published":
                row = tallies.setdefault((m.pk, year), [0, 0, 0, 0])
                row[0] += 1
                row[1] += int(by_tenants)
                row[2] += total
                row[3] += tenants
        activities = Activity.objects.bulk_create(activities, batch_size=5000)
        print(f"  {len(activities):,} activities ({time.perf_counter() - started:.0f} s)")
        table = ActivityAttendee._meta.db_table
        now = timezone.now()
        insert = (f"INSERT INTO {table} (activity_id, person_id, is_tenant, noted_at, municipality_id, year, "
                  f"is_counted) VALUES (%s, %s, %s, %s, %s, %s, %s)")
        noted = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            for activity, (named, municipality_id, year, counts_) in zip(activities, plan, strict=True):
                attendee_rows.extend((activity.pk, p, p % 10 != 0, noted, municipality_id, year, counts_)
                                     for p in named)
                if len(attendee_rows) >= 50_000:
                    cursor.executemany(insert, attendee_rows)
                    attendee_rows.clear()
            if attendee_rows:
                cursor.executemany(insert, attendee_rows)
        print(f"  {ActivityAttendee.objects.count():,} named attendance records "
              f"({time.perf_counter() - started:.0f} s)")
        ParticipationTally.objects.bulk_create([
            ParticipationTally(municipality_id=mid, year=year, activities=a, tenant_organized_activities=b,
                               attendance_total=c, tenants_attending=d)
            for (mid, year), (a, b, c, d) in tallies.items()], batch_size=5000)
        meetings = []
        for i in range(wanted["meetings"]):
            group = groups[rng.randrange(len(groups))]
            year = rng.choice(YEARS)
            starts = timezone.make_aware(datetime.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 19), tz)
            meetings.append(Meeting(group=group, title=f"Réunion bench {i}", starts_at=starts,
                                    state=rng.choices(["held", "convened", "cancelled", "draft"], [80, 8, 7, 5])[0],
                                    audience=rng.choice(["members", "tenants", "public"])))
        Meeting.objects.bulk_create(meetings, batch_size=5000)
        del orgs
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    found = counts()
    print(f"Generated in {time.perf_counter() - started:.0f} s: {_format(found)}.")
    return found


def _format(found: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in found.items())


# --- The same figures in plain SQL, from the rows themselves ------------------------------------


def _tables() -> dict[str, str]:
    from toitcommun.collective.models import Activity, ActivityAttendee, Group, Meeting
    from toitcommun.territory.models import Mrc, Municipality

    return {"a": Activity._meta.db_table, "n": ActivityAttendee._meta.db_table, "g": Group._meta.db_table,
            "mt": Meeting._meta.db_table, "m": Municipality._meta.db_table, "r": Mrc._meta.db_table}


def _aware(day: datetime.date) -> Any:
    from django.db import connection
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)))


def raw_calendar(mrc: str, start: datetime.date, end: datetime.date) -> list[tuple[Any, ...]]:
    """The public month of an MRC: listed activities (public, published or cancelled), in order."""
    from django.db import connection

    t = _tables()
    sql = (f"SELECT a.id, a.title, a.kind, a.starts_at, a.state, m.name FROM {t['a']} a "
           f"JOIN {t['m']} m ON m.id = a.municipality_id JOIN {t['r']} r ON r.id = m.mrc_id "
           f"WHERE r.code = %s AND a.is_public AND a.state IN ('published', 'cancelled') "
           f"AND a.starts_at >= %s AND a.starts_at < %s ORDER BY a.starts_at, a.id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [mrc, _aware(start), _aware(end + datetime.timedelta(days=1))])
        return cursor.fetchall()


def _utc(value: Any) -> datetime.datetime:
    """A moment as SQLite's plain reading gives it (naive UTC, or text), made comparable with the ORM's."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def raw_participation(mrc: str, year: int) -> dict[str, int]:
    """participation()'s figures counted from activities, attendance and meetings, no roll-up."""
    from django.db import connection

    t = _tables()
    span = [_aware(datetime.date(year, 1, 1)), _aware(datetime.date(year + 1, 1, 1))]
    published = (f"SELECT a.id FROM {t['a']} a JOIN {t['m']} m ON m.id = a.municipality_id "
                 f"JOIN {t['r']} r ON r.id = m.mrc_id WHERE r.code = %s AND a.state = 'published' "
                 f"AND a.starts_at >= %s AND a.starts_at < %s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.organized_by_tenants THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(a.counted_tenants + a.counted_children + a.counted_others), 0) "
            f"FROM {t['a']} a WHERE a.id IN ({published})", [mrc, *span])
        activities, by_tenants, counted = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*), COUNT(DISTINCT CASE WHEN n.is_tenant THEN n.person_id END) "
                       f"FROM {t['n']} n WHERE n.activity_id IN ({published})", [mrc, *span])
        named, distinct = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {t['mt']} mt JOIN {t['g']} g ON g.id = mt.group_id "
                       f"JOIN {t['r']} r ON r.id = g.mrc_id WHERE r.code = %s AND mt.state = 'held' "
                       f"AND mt.starts_at >= %s AND mt.starts_at < %s", [mrc, *span])
        (meetings,) = cursor.fetchone()
    return {"activities": activities, "tenant_organized_activities": by_tenants,
            "attendance_total": counted + named, "distinct_tenants": distinct, "meetings_held": meetings}


def raw_meetings_per_group(mrc: str, year: int) -> dict[int, int]:
    from django.db import connection

    t = _tables()
    span = [_aware(datetime.date(year, 1, 1)), _aware(datetime.date(year + 1, 1, 1))]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mt.group_id, COUNT(*) FROM {t['mt']} mt JOIN {t['g']} g ON g.id = mt.group_id "
                       f"JOIN {t['r']} r ON r.id = g.mrc_id WHERE r.code = %s AND mt.state = 'held' "
                       f"AND mt.starts_at >= %s AND mt.starts_at < %s GROUP BY mt.group_id", [mrc, *span])
        return dict(cursor.fetchall())


# --- Timing ------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def interleaved(reps: int, draws: list[Any], orm: Any, raw: Any) -> tuple[list[float], list[float], bool]:
    """Time orm(draw) and raw(draw) in turn, swapping which goes first; True if they always agree."""
    orm_ms: list[float] = []
    raw_ms: list[float] = []
    same = True
    for i in range(reps):
        draw = draws[i % len(draws)]
        first, second = (orm, raw) if i % 2 == 0 else (raw, orm)
        results = {}
        for fn in (first, second):
            t0 = time.perf_counter()
            results[fn] = fn(draw)
            (orm_ms if fn is orm else raw_ms).append((time.perf_counter() - t0) * 1000)
        same &= results[orm] == results[raw]
    return orm_ms, raw_ms, same


def busiest_mrcs(n: int) -> list[str]:
    from django.db.models import Count

    from toitcommun.collective.models import Activity

    rows = (Activity.objects.values("municipality__mrc__code").annotate(n=Count("id")).order_by("-n")[:n])
    return [r["municipality__mrc__code"] for r in rows]


def run(args: argparse.Namespace) -> bool:
    from django.db import connection
    from django.db.models import Count

    from toitcommun.collective.activity_selectors import activities_in, participation
    from toitcommun.collective.activity_services import participation_kept, participation_recount
    from toitcommun.collective.models import Meeting
    from toitcommun.territory.selectors import territory_get

    found = counts()
    print(f"Collective life: {_format(found)} (scale {args.scale:g}); database {connection.vendor}")
    agree = True
    if not args.skip_recount:
        t0 = time.perf_counter()
        kept_equal = participation_kept() == participation_recount()
        print(f"Roll-ups kept equal a recount of every municipality and year: {'yes' if kept_equal else 'NO'}"
              f" ({time.perf_counter() - t0:.0f} s)")
        agree &= kept_equal
    rng = random.Random(SEED)
    mrcs = busiest_mrcs(10)
    months = [(rng.choice(YEARS), rng.randint(1, 12)) for _ in range(10)]
    draws = [(mrc, y, mth) for mrc, (y, mth) in zip(mrcs * 2, months * 2, strict=False)]

    def month_span(y: int, mth: int) -> tuple[datetime.date, datetime.date]:
        nxt = datetime.date(y + (mth == 12), mth % 12 + 1, 1)
        return datetime.date(y, mth, 1), nxt - datetime.timedelta(days=1)

    def orm_calendar(draw: tuple[str, int, int]) -> list[tuple[Any, ...]]:
        mrc, y, mth = draw
        start, end = month_span(y, mth)
        return [(a.pk, a.title, a.kind, a.starts_at, a.state, a.municipality.name)
                for a in activities_in(None, territory_get(mrc), start, end).select_related("municipality")]

    def sql_calendar(draw: tuple[str, int, int]) -> list[tuple[Any, ...]]:
        mrc, y, mth = draw
        start, end = month_span(y, mth)
        return [(r[0], r[1], r[2], _utc(r[3]), r[4], r[5]) for r in raw_calendar(mrc, start, end)]

    for draw in draws[:2]:  # warm-up
        orm_calendar(draw), sql_calendar(draw)
    orm_ms, raw_ms, same_cal = interleaved(args.reps, draws, orm_calendar, sql_calendar)
    sizes = [len(sql_calendar(d)) for d in draws[:10]]
    cal_ratio = statistics.median(orm_ms) / statistics.median(raw_ms)
    print(f"\n(a) Month calendar of an MRC ({len(set(mrcs))} busiest MRCs, drawn months; "
          f"{min(sizes)}–{max(sizes)} activities a month), {args.reps} interleaved repetitions")
    print(f"    activities_in()   median {statistics.median(orm_ms):7.1f} ms   p95 {p95(orm_ms):7.1f} ms")
    print(f"    plain SQL          median {statistics.median(raw_ms):7.1f} ms   p95 {p95(raw_ms):7.1f} ms")
    print(f"    ratio ORM / SQL   {cal_ratio:.2f}×   same rows: {'yes' if same_cal else 'NO'}")
    agree &= same_cal

    year_draws = [(mrc, rng.choice(YEARS)) for mrc in mrcs]

    def orm_participation(draw: tuple[str, int]) -> dict[str, int]:
        return participation(territory_get(draw[0]), draw[1])

    def sql_participation(draw: tuple[str, int]) -> dict[str, int]:
        return raw_participation(*draw)

    for draw in year_draws[:2]:
        orm_participation(draw), sql_participation(draw)
    orm_p, raw_p, same_p = interleaved(args.reps, year_draws, orm_participation, sql_participation)
    part_ratio = statistics.median(orm_p) / statistics.median(raw_p)
    example = orm_participation(year_draws[0])
    print(f"\n(b) Participation of an MRC for a year ({len(set(mrcs))} busiest MRCs, drawn years), "
          f"{args.reps} interleaved repetitions")
    print(f"    e.g. {year_draws[0][0]} in {year_draws[0][1]}: {example}")
    per_group = raw_meetings_per_group(*year_draws[0])
    orm_per_group = dict(Meeting.objects.filter(
        group__mrc__code=year_draws[0][0], state="held", starts_at__year=year_draws[0][1])
        .values_list("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
    print(f"    meetings held per group: {len(per_group)} groups, up to {max(per_group.values(), default=0)} each"
          f" (ORM and SQL agree: {'yes' if per_group == orm_per_group else 'NO'})")
    print(f"    participation()   median {statistics.median(orm_p):7.1f} ms   p95 {p95(orm_p):7.1f} ms")
    print(f"    plain SQL          median {statistics.median(raw_p):7.1f} ms   p95 {p95(raw_p):7.1f} ms")
    print(f"    ratio ORM / SQL   {part_ratio:.2f}×   same figures: {'yes' if same_p else 'NO'}")
    agree &= same_p

    sqlite = connection.vendor == "sqlite"
    full = found["activities"] >= PER_SCALE["activities"]
    print("\nAims")
    for label, value, ok in [
        ("month calendar of an MRC under 100 ms on SQLite (median)", f"{statistics.median(orm_ms):.1f} ms",
         statistics.median(orm_ms) < AIM_MS if sqlite else None),
        ("participation of an MRC for a year under 100 ms on SQLite (median)", f"{statistics.median(orm_p):.1f} ms",
         statistics.median(orm_p) < AIM_MS if sqlite else None),
    ]:
        verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        print(f"  {verdict:4}  {label}: {value}" + ("" if full else f" (at scale {args.scale:g}, not full size)"))
    print(f"\nClosing note: collective bench at scale {args.scale:g} ({_format(found)}), {connection.vendor}: "
          f"MRC month calendar {statistics.median(orm_ms):.1f} ms median (p95 {p95(orm_ms):.1f}) vs SQL "
          f"{statistics.median(raw_ms):.1f} ms, ratio {cal_ratio:.2f}×; MRC participation for a year "
          f"{statistics.median(orm_p):.1f} ms (p95 {p95(orm_p):.1f}) vs SQL {statistics.median(raw_p):.1f} ms, "
          f"ratio {part_ratio:.2f}×.")
    return agree


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = 300,000 activities, 3,000,000 attendance records, 50,000 meetings")
    parser.add_argument("--skip-recount", action="store_true", help="do not recount the roll-ups")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--database-url", help="default: sqlite:///var/bench_collective_<scale>.sqlite3")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url or database_url(args.scale)
    path = generate.is_sqlite_file(url)
    if args.force and path is not None:
        generate._delete_sqlite(path)
    generate.configure(url)
    generate_world(args.scale, force=args.force)
    if not run(args):
        sys.exit("The ORM and the plain SQL disagree: that is a bug, not a slow query.")


if __name__ == "__main__":
    main()
