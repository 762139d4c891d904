"""The community-support record at province size: a worker's caseload, a person's page, and a year of
interventions by category and MRC.

    .venv/bin/python bench/run.py --only support [--scale 1.0] [--reps 30] [--database-url URL]
    .venv/bin/python bench/support.py [--scale 0.1] [--reps 30] [--database-url URL] [--force]

At scale 1 the generator grows 250,000 persons (each with a file at one of 400 support
organizations, in one of their 12,000 buildings), 2,000,000 interventions by 2,000 workers over
five years ending today (6 % collective, naming 2 to 6 persons, in a building), and 100,000
referrals to the other organizations' directory services with their dated events, in a database
of its own, var/bench_support_<scale>.sqlite3, from a fixed seed. Rows are bulk-inserted, no
audit events; the territory codes and the monthly roll-ups are written as intervention_record
keeps them. It checks that the kept roll-ups equal a recount, then times, interleaved, each
beside plain normalized SQL:

- (a) a worker's caseload page, GET /soutien/ (people followed, follow-ups due this week and
  overdue, recent interventions, open referrals past 30 days; access log written), against the
  same lists in plain SQL;
- (b) a person's page, GET /personnes/<id>/ as a worker of the organization holding the file
  (identity, building and its MRC, consents, first page of interventions and their count,
  referrals), against the same rows in plain SQL;
- (c) the interventions of a year by category and MRC, interventions_by_category_and_mrc(year)
  (the roll-ups), against one statement that joins the interventions to the buildings (the
  collective target's, else the first person's), municipalities and MRCs.

Prints medians, p95 and the ratios, and the aim of the issue as PASS or MISS (each under 100 ms
on SQLite at that size); a miss is not an error. Figures that disagree exit with status 1.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate  # noqa: E402
from bench.collective import p95  # noqa: E402

SEED = 8
AIM_MS = 100.0
YEARS_BACK = 5
PER_SCALE = {"persons": 250_000, "interventions": 2_000_000, "referrals": 100_000, "organizations": 400,
             "buildings": 12_000}
WORKERS_PER_ORGANIZATION = 5
CATEGORIES = {"welcome": 10, "referral": 14, "accompaniment": 22, "conflict": 9, "crisis": 4,
              "committee_support": 8, "community_organizing": 6, "outreach": 27}
CHUNK = 50_000


def database_url(scale: float) -> str:
    return generate.sqlite_url(generate.ROOT / "var" / f"bench_support_{scale:g}.sqlite3")


def planned(scale: float) -> dict[str, int]:
    wanted = {k: max(1, round(v * scale)) for k, v in PER_SCALE.items()}
    wanted["organizations"] = max(4, wanted["organizations"])
    wanted["buildings"] = max(wanted["organizations"] * 3, wanted["buildings"])
    return wanted


def counts() -> dict[str, int]:
    from toitcommun.housing.models import Building
    from toitcommun.people.models import Person
    from toitcommun.support.models import Intervention, Referral

    return {"persons": Person.objects.count(), "interventions": Intervention.objects.count(),
            "referrals": Referral.objects.count(),
            "organizations": Building.objects.values("organization_id").distinct().count(),
            "buildings": Building.objects.count()}


def _format(found: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in found.items())


# --- The world -------------------------------------------------------------------------------


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    if not rows:
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def generate_world(scale: float, seed: int = SEED, force: bool = False) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from toitcommun.access.models import Role, RoleAssignment
    from toitcommun.directory.models import DirectoryOrganization, Service
    from toitcommun.housing.models import Building
    from toitcommun.organizations.models import Organization
    from toitcommun.people.models import Person, PersonFile
    from toitcommun.support.models import Intervention, InterventionMonthly, Referral, ReferralEvent
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
                 "(or delete var/bench_support_*.sqlite3).")
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    municipalities = list(Municipality.objects.select_related("mrc__region").order_by("code"))
    weights = [max(200, m.population or 200) ** 0.7 for m in municipalities]
    by_mrc: dict[int, list[Municipality]] = {}
    for m in municipalities:
        by_mrc.setdefault(m.mrc_id, []).append(m)
    n_orgs = wanted["organizations"]
    User = get_user_model()
    with transaction.atomic():
        homes = rng.choices(municipalities, weights, k=n_orgs)
        orgs = Organization.objects.bulk_create([
            Organization(name=f"Organisme fictif de soutien {i}", name_key=f"organisme fictif de soutien {i}",
                         kind="housing_office" if i % 3 == 0 else "community_organization",
                         municipality=homes[i], is_illustrative=True) for i in range(n_orgs)])
        # Each organization works in its MRC: its buildings are in the MRC's municipalities.
        per_org = wanted["buildings"] // n_orgs
        buildings: list[Building] = []
        for i, org in enumerate(orgs):
            local = by_mrc[homes[i].mrc_id]
            local_w = [max(200, m.population or 200) ** 0.7 for m in local]
            for j in range(per_org):
                m = rng.choices(local, local_w)[0]
                buildings.append(Building(name=f"Habitations fictives {i}-{j}", organization=org, municipality=m,
                                          address=f"{100 + j} rue Principale", tenure="hlm", form="multi_unit",
                                          is_illustrative=True))
        buildings = Building.objects.bulk_create(buildings, batch_size=5000)
        place = {b.pk: (b.municipality.code, b.municipality.mrc.code, b.municipality.mrc.region.code)
                 for b in buildings}
        org_buildings: dict[int, list[int]] = {}
        for b in buildings:
            org_buildings.setdefault(b.organization_id, []).append(b.pk)
        users = User.objects.bulk_create([
            User(username=f"bench-intervenant-{i}-{k}", password="!", first_name="Intervenant",
                 last_name=f"Fictif {i}-{k}") for i in range(n_orgs) for k in range(WORKERS_PER_ORGANIZATION)],
            batch_size=5000)
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=u, role=Role.WORKER, organization=orgs[n // WORKERS_PER_ORGANIZATION])
            for n, u in enumerate(users)], batch_size=5000)
        workers = {org.pk: [u.pk for u in users[i * WORKERS_PER_ORGANIZATION:(i + 1) * WORKERS_PER_ORGANIZATION]]
                   for i, org in enumerate(orgs)}
        directory = DirectoryOrganization.objects.bulk_create([
            DirectoryOrganization(organization=org, name=org.name, description="Organisme fictif du banc d'essai")
            for org in orgs])
        services = Service.objects.bulk_create([
            Service(directory_organization=d, name=f"Accompagnement fictif {i}", description="Service fictif")
            for i, d in enumerate(directory)])
        print(f"  {n_orgs:,} organizations, {len(buildings):,} buildings, {len(users):,} workers "
              f"({time.perf_counter() - started:.0f} s)")

        # Persons: each on a file at one organization, in one of its buildings (3 % with none known).
        n_persons = wanted["persons"]
        person_org = [orgs[i % n_orgs].pk for i in range(n_persons)]
        persons = Person.objects.bulk_create([
            Person(first_name="Prénom", last_name=f"Fictif {i}", name_key=f"prenom fictif {i}",
                   building_id=(rng.choice(org_buildings[person_org[i]]) if rng.random() > 0.03 else None),
                   unit=str(100 + i % 300))
            for i in range(n_persons)], batch_size=5000)
        PersonFile.objects.bulk_create([PersonFile(person_id=p.pk, organization_id=person_org[i], opened_at=now)
                                        for i, p in enumerate(persons)], batch_size=5000)
        person_building = {p.pk: p.building_id for p in persons}
        # A worker follows the persons of their organization dealt to them in turn.
        caseloads: dict[int, list[int]] = {}
        for i, p in enumerate(persons):
            team = workers[person_org[i]]
            caseloads.setdefault(team[(i // n_orgs) % len(team)], []).append(p.pk)
        print(f"  {len(persons):,} persons with their files ({time.perf_counter() - started:.0f} s)")

        # Interventions, their persons, and the roll-ups as intervention_record keeps them.
        it, tt = Intervention._meta.db_table, Intervention.persons.through._meta.db_table
        columns = ["id", "organization_id", "worker_id", "date", "duration_minutes", "category", "mode",
                   "building_id", "group_label", "summary", "notes", "follow_up_on", "municipality_code",
                   "mrc_code", "region_code", "created_at"]
        worker_org = {w: org for org, ws in workers.items() for w in ws}
        worker_ids = [w for w in caseloads]
        cats, cat_w = list(CATEGORIES), list(CATEGORIES.values())
        rollups: dict[tuple[int, str, str, str, datetime.date], list[int]] = {}
        rows: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        n_int = wanted["interventions"]
        blank = ("", "", "")
        for pk in range(1, n_int + 1):
            worker = worker_ids[pk % len(worker_ids)]
            org = worker_org[worker]
            day = today - datetime.timedelta(days=rng.randint(0, 365 * YEARS_BACK))
            collective = rng.random() < 0.06
            if collective:
                named = rng.sample(caseloads[worker], min(len(caseloads[worker]), rng.randint(2, 6)))
                building = rng.choice(org_buildings[org])
                codes = place[building]
            else:
                named = [rng.choice(caseloads[worker])]
                building = None
                codes = place.get(person_building[named[0]], blank)  # type: ignore[arg-type]
            minutes = rng.choice((15, 20, 30, 30, 45, 60, 60, 90, 120))
            category = rng.choices(cats, cat_w)[0]
            follow = day + datetime.timedelta(days=rng.randint(3, 45)) if rng.random() < 0.3 else None
            rows.append((pk, org, worker, ops.adapt_datefield_value(day), minutes, category,
                         "collective" if collective else "individual", building, "", "Résumé fictif", "",
                         ops.adapt_datefield_value(follow) if follow else None, *codes, stamp))
            links.extend((pk, p) for p in named)
            cell = rollups.setdefault((org, codes[2], codes[1], category, day.replace(day=1)), [0, 0, 0])
            cell[0] += 1
            cell[1] += minutes
            cell[2] += len(named)
            if len(rows) >= CHUNK:
                _insert(it, columns, rows)
                _insert(tt, ["intervention_id", "person_id"], links)
                rows.clear()
                links.clear()
                if pk % (CHUNK * 8) == 0:
                    print(f"  {pk:,} interventions ({time.perf_counter() - started:.0f} s)")
        _insert(it, columns, rows)
        _insert(tt, ["intervention_id", "person_id"], links)
        InterventionMonthly.objects.bulk_create([
            InterventionMonthly(organization_id=org, region_code=region, mrc_code=mrc, category=category, month=month,
                                interventions=a, minutes=b, participants=c)
            for (org, region, mrc, category, month), (a, b, c) in rollups.items()], batch_size=5000)
        print(f"  {n_int:,} interventions, {len(rollups):,} monthly roll-up rows "
              f"({time.perf_counter() - started:.0f} s)")

        # Referrals to another organization's service, with a dated event for every step.
        rt, et = Referral._meta.db_table, ReferralEvent._meta.db_table
        paths = [(["draft"], 5), (["draft", "sent"], 12), (["draft", "sent", "declined"], 10),
                 (["draft", "sent", "accepted"], 10), (["draft", "sent", "accepted", "in_progress"], 10),
                 (["draft", "sent", "accepted", "in_progress", "closed"], 45),
                 (["draft", "sent", "withdrawn"], 8)]
        outcomes = ["service_received", "service_received", "service_received", "tenant_declined", "unreachable",
                    "ineligible", "other"]
        ref_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        r_columns = ["id", "person_id", "service_id", "sending_organization_id", "receiving_organization_id",
                     "created_by_id", "reason", "state", "outcome", "sent_at", "created_at", "updated_at"]
        e_columns = ["referral_id", "at", "actor_id", "organization_id", "from_state", "to_state", "reason"]
        service_of = [(s.pk, orgs[i].pk) for i, s in enumerate(services)]
        org_index = {org.pk: i for i, org in enumerate(orgs)}
        for pk in range(1, wanted["referrals"] + 1):
            worker = worker_ids[rng.randrange(len(worker_ids))]
            org = worker_org[worker]
            person = rng.choice(caseloads[worker])
            # Another organization's service: never one's own.
            service_id, receiver = service_of[(org_index[org] + rng.randrange(1, n_orgs)) % n_orgs]
            steps = rng.choices([p for p, _w in paths], [w for _p, w in paths])[0]
            created = now - datetime.timedelta(days=rng.randint(0, 365 * YEARS_BACK), minutes=rng.randint(0, 600))
            moments = [created + datetime.timedelta(days=3 * k) for k in range(len(steps))]
            sent = ops.adapt_datetimefield_value(moments[1]) if len(steps) > 1 else None
            ref_rows.append((pk, person, service_id.hex if connection.vendor == "sqlite" else service_id, org,
                             receiver, worker, "Motif fictif", steps[-1],
                             rng.choice(outcomes) if steps[-1] == "closed" else "", sent,
                             ops.adapt_datetimefield_value(created), ops.adapt_datetimefield_value(moments[-1])))
            for k, state in enumerate(steps):
                by_receiver = state in ("accepted", "declined", "in_progress", "closed")
                event_rows.append((pk, ops.adapt_datetimefield_value(moments[k]), None if by_receiver else worker,
                                   receiver if by_receiver else org, steps[k - 1] if k else "", state, ""))
            if len(ref_rows) >= CHUNK:
                _insert(rt, r_columns, ref_rows)
                _insert(et, e_columns, event_rows)
                ref_rows.clear()
                event_rows.clear()
        _insert(rt, r_columns, ref_rows)
        _insert(et, e_columns, event_rows)
        print(f"  {wanted['referrals']:,} referrals with their events ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in ops.sequence_reset_sql(no_style(), [Intervention, Referral]):
                cursor.execute(sql)
        cursor.execute("ANALYZE")
    found = counts()
    print(f"Generated in {time.perf_counter() - started:.0f} s: {_format(found)}.")
    return found


# --- The same pages and figures in plain SQL ----------------------------------------------------


def _tables() -> dict[str, str]:
    from toitcommun.housing.models import Building
    from toitcommun.people.models import Consent, Person, PersonFile
    from toitcommun.support.models import Intervention, Referral
    from toitcommun.territory.models import Mrc, Municipality, Region

    return {"i": Intervention._meta.db_table, "ip": Intervention.persons.through._meta.db_table,
            "p": Person._meta.db_table, "f": PersonFile._meta.db_table, "b": Building._meta.db_table,
            "m": Municipality._meta.db_table, "r": Mrc._meta.db_table, "g": Region._meta.db_table,
            "ref": Referral._meta.db_table, "c": Consent._meta.db_table}


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _d(day: datetime.date) -> Any:
    from django.db import connection

    return connection.ops.adapt_datefield_value(day)


def raw_caseload(worker_id: int, organization_id: int, today: datetime.date) -> dict[str, list[int]]:
    """The caseload's lists from the normalized tables: the ids of persons and interventions shown."""
    t = _tables()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    people = _rows(f"SELECT p.id FROM {t['p']} p WHERE p.merged_into_id IS NULL AND p.id IN ("
                   f"SELECT ip.person_id FROM {t['i']} i JOIN {t['ip']} ip ON ip.intervention_id = i.id "
                   f"WHERE i.worker_id = %s AND i.organization_id = %s AND i.date >= %s) "
                   f"AND EXISTS (SELECT 1 FROM {t['f']} f WHERE f.person_id = p.id AND f.organization_id = %s) "
                   f"ORDER BY p.last_name, p.first_name, p.id LIMIT 20",
                   [worker_id, organization_id, _d(today - datetime.timedelta(days=365)), organization_id])
    due = _rows(f"SELECT i.id FROM {t['i']} i WHERE i.worker_id = %s AND i.organization_id = %s "
                f"AND i.follow_up_on BETWEEN %s AND %s ORDER BY i.follow_up_on, i.id LIMIT 20",
                [worker_id, organization_id, _d(today), _d(week_end)])
    overdue = _rows(f"SELECT i.id FROM {t['i']} i WHERE i.worker_id = %s AND i.organization_id = %s "
                    f"AND i.follow_up_on < %s AND i.follow_up_on >= %s AND EXISTS ("
                    f"SELECT 1 FROM {t['ip']} ip WHERE ip.intervention_id = i.id AND NOT EXISTS ("
                    f"SELECT 1 FROM {t['i']} j JOIN {t['ip']} jp ON jp.intervention_id = j.id "
                    f"WHERE jp.person_id = ip.person_id AND j.worker_id = %s AND j.date > i.date)) "
                    f"ORDER BY i.follow_up_on, i.id LIMIT 20",
                    [worker_id, organization_id, _d(today), _d(today - datetime.timedelta(days=90)), worker_id])
    recent = _rows(f"SELECT i.id FROM {t['i']} i WHERE i.worker_id = %s AND i.organization_id = %s "
                   f"AND i.date <= %s ORDER BY i.date DESC, i.id DESC LIMIT 10",
                   [worker_id, organization_id, _d(today)])
    return {"people": [r[0] for r in people], "due": [r[0] for r in due], "overdue": [r[0] for r in overdue],
            "recent": [r[0] for r in recent]}


def raw_person(person_id: int) -> dict[str, Any]:
    """A person's page from the normalized tables: identity with building, municipality and MRC, the
    first page of interventions and their count, consents and referrals."""
    t = _tables()
    person = _rows(f"SELECT p.id, p.first_name, p.last_name, b.name, m.name, r.name FROM {t['p']} p "
                   f"LEFT JOIN {t['b']} b ON b.id = p.building_id LEFT JOIN {t['m']} m ON m.id = b.municipality_id "
                   f"LEFT JOIN {t['r']} r ON r.id = m.mrc_id WHERE p.id = %s", [person_id])
    interventions = _rows(f"SELECT i.id, i.date, i.category, i.summary FROM {t['i']} i JOIN {t['ip']} ip "
                          f"ON ip.intervention_id = i.id WHERE ip.person_id = %s ORDER BY i.date DESC, i.id DESC "
                          f"LIMIT 20", [person_id])
    (total,) = _rows(f"SELECT COUNT(*) FROM {t['ip']} ip WHERE ip.person_id = %s", [person_id])[0]
    consents = _rows(f"SELECT c.id FROM {t['c']} c WHERE c.person_id = %s", [person_id])
    referrals = _rows(f"SELECT ref.id, ref.state FROM {t['ref']} ref WHERE ref.person_id = %s "
                      f"ORDER BY ref.created_at DESC, ref.id DESC LIMIT 50", [person_id])
    return {"person": person[0][0], "interventions": [r[0] for r in interventions], "total": total,
            "consents": len(consents), "referrals": [r[0] for r in referrals]}


def raw_by_category_and_mrc(year: int) -> list[dict[str, Any]]:
    """A year by category and MRC counted from the interventions: where each happened is the collective
    target's building, else the first named person's, joined to its municipality and MRC."""
    t = _tables()
    first_building = (f"(SELECT p.building_id FROM {t['ip']} ip JOIN {t['p']} p ON p.id = ip.person_id "
                      f"WHERE ip.intervention_id = i.id AND p.building_id IS NOT NULL ORDER BY ip.id LIMIT 1)")
    rows = _rows(
        f"SELECT r.code, i.category, COUNT(*), SUM(i.duration_minutes), "
        f"SUM((SELECT COUNT(*) FROM {t['ip']} ip WHERE ip.intervention_id = i.id)) "
        f"FROM {t['i']} i JOIN {t['b']} b ON b.id = COALESCE(i.building_id, {first_building}) "
        f"JOIN {t['m']} m ON m.id = b.municipality_id JOIN {t['r']} r ON r.id = m.mrc_id "
        f"WHERE i.date >= %s AND i.date < %s GROUP BY r.code, i.category ORDER BY r.code, i.category",
        [_d(datetime.date(year, 1, 1)), _d(datetime.date(year + 1, 1, 1))])
    return [{"mrc_code": c, "category": k, "interventions": n, "minutes": int(mn), "participants": int(pp)}
            for c, k, n, mn, pp in rows]


# --- Timing ------------------------------------------------------------------------------------

CPU: dict[str, list[float]] = {}


def interleaved(reps: int, draws: list[Any], orm: Any, raw: Any) -> tuple[list[float], list[float], bool]:
    """Time orm(draw) and raw(draw) in turn, swapping which goes first; True if they always agree.

    Wall-clock times are returned; the process's CPU time of each call is kept in CPU under the
    function's name: on a shared machine the wall clock includes waiting for a core, the CPU time
    does not (SQLite runs in the process, so its work is in it; a PostgreSQL server's is not).
    """
    orm_ms: list[float] = []
    raw_ms: list[float] = []
    same = True
    for i in range(reps):
        draw = draws[i % len(draws)]
        first, second = (orm, raw) if i % 2 == 0 else (raw, orm)
        results = {}
        for fn in (first, second):
            t0, c0 = time.perf_counter(), time.process_time()
            results[fn] = fn(draw)
            (orm_ms if fn is orm else raw_ms).append((time.perf_counter() - t0) * 1000)
            CPU.setdefault(fn.__name__, []).append((time.process_time() - c0) * 1000)
        same &= results[orm] == results[raw]
    return orm_ms, raw_ms, same



def _line(label: str, values: list[float], fn: Any) -> str:
    cpu = CPU.get(fn.__name__) or [0.0]
    return (f"    {label:<22} median {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms   "
            f"(CPU median {statistics.median(cpu):6.1f} ms)")


def _draw_workers(n: int) -> list[tuple[int, int]]:
    """Workers with the fullest year, and their organization."""
    from django.db.models import Count
    from django.utils import timezone

    from toitcommun.support.models import Intervention

    since = timezone.localdate() - datetime.timedelta(days=365)
    rows = (Intervention.objects.filter(date__gte=since).values("worker_id", "organization_id")
            .annotate(n=Count("id")).order_by("-n")[:n])
    return [(r["worker_id"], r["organization_id"]) for r in rows]


def run(args: argparse.Namespace) -> bool:
    import warnings

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from toitcommun.people.models import PersonFile
    from toitcommun.support import rollups
    from toitcommun.support.selectors import caseload, interventions_of

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    found = counts()
    busy, cores = os.getloadavg()[0], os.cpu_count() or 1
    print(f"Community support: {_format(found)} (scale {args.scale:g}); database {connection.vendor}; "
          f"load average {busy:.1f} on {cores} cores")
    agree = True
    if not args.skip_recount:
        t0 = time.perf_counter()
        kept_equal = rollups.kept() == rollups.recount()
        print(f"Roll-ups kept equal a recount of every organization, MRC, category and month: "
              f"{'yes' if kept_equal else 'NO'} ({time.perf_counter() - t0:.0f} s)")
        agree &= kept_equal
    today = timezone.localdate()
    User = get_user_model()
    rng = random.Random(SEED)
    drawn = _draw_workers(10)
    clients: dict[int, Client] = {}
    for worker_id, _org in drawn:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(pk=worker_id))
        clients[worker_id] = client

    # (a) the caseload page
    def page_caseload(draw: tuple[int, int]) -> int:
        response = clients[draw[0]].get("/soutien/")
        return response.status_code

    def sql_caseload(draw: tuple[int, int]) -> int:
        raw_caseload(draw[0], draw[1], today)
        return 200

    same_lists = True
    for worker_id, org in drawn:
        shown = caseload(User.objects.get(pk=worker_id))
        raw = raw_caseload(worker_id, org, today)
        same_lists &= ([p.pk for p in shown.people] == raw["people"] and [i.pk for i in shown.due_this_week]
                       == raw["due"] and [i.pk for i in shown.overdue] == raw["overdue"]
                       and [i.pk for i in shown.recent] == raw["recent"])
    example = raw_caseload(*drawn[0], today)
    # Every client's first request builds its handler, and WhiteNoise's file index with it (about a second):
    # a served page pays that once per process, at start, not per request, so it stays out of the timing.
    for draw in drawn:
        page_caseload(draw), sql_caseload(draw)
    page_ms, raw_ms, _same = interleaved(args.reps, drawn, page_caseload, sql_caseload)
    statuses = {page_caseload(d) for d in drawn}
    ratio_a = statistics.median(page_ms) / statistics.median(raw_ms)
    print(f"\n(a) A worker's caseload page, GET /soutien/ ({len(drawn)} busiest workers; e.g. "
          f"{len(example['people'])} people, {len(example['due'])} due this week, {len(example['overdue'])} overdue,"
          f" {len(example['recent'])} recent), {args.reps} interleaved repetitions")
    print(_line("page (HTTP)", page_ms, page_caseload))
    print(_line("plain SQL (lists)", raw_ms, sql_caseload))
    print(f"    ratio page / SQL   {ratio_a:.2f}×   answers {sorted(statuses)}; same lists as the selector: "
          f"{'yes' if same_lists else 'NO'}")
    agree &= same_lists and statuses == {200}

    # (b) a person's page, as a worker of the organization holding the file
    files = list(PersonFile.objects.filter(organization_id__in=[o for _w, o in drawn])
                 .values_list("person_id", "organization_id").order_by("person_id")[:5000])
    person_draws = []
    for person_id, org in rng.sample(files, min(20, len(files))):
        worker = next(w for w, o in drawn if o == org)
        person_draws.append((worker, person_id))

    def page_person(draw: tuple[int, int]) -> int:
        return clients[draw[0]].get(f"/personnes/{draw[1]}/").status_code

    def sql_person(draw: tuple[int, int]) -> int:
        raw_person(draw[1])
        return 200

    same_person = True
    for worker, person_id in person_draws:
        _p, _a, views, total = interventions_of(User.objects.get(pk=worker), person_id, log=False)
        raw = raw_person(person_id)
        same_person &= [v.intervention.pk for v in views] == raw["interventions"] and total == raw["total"]
    for draw in person_draws[:2]:
        page_person(draw), sql_person(draw)
    person_ms, raw_person_ms, _same = interleaved(args.reps, person_draws, page_person, sql_person)
    statuses = {page_person(d) for d in person_draws}
    sizes = [raw_person(p)["total"] for _w, p in person_draws]
    ratio_b = statistics.median(person_ms) / statistics.median(raw_person_ms)
    print(f"\n(b) A person's page, GET /personnes/<id>/ ({len(person_draws)} drawn persons with "
          f"{min(sizes)}–{max(sizes)} interventions), {args.reps} interleaved repetitions")
    print(_line("page (HTTP)", person_ms, page_person))
    print(_line("plain SQL", raw_person_ms, sql_person))
    print(f"    ratio page / SQL   {ratio_b:.2f}×   answers {sorted(statuses)}; same interventions as the "
          f"selector: {'yes' if same_person else 'NO'}")
    agree &= same_person and statuses == {200}

    # (c) a year by category and MRC
    years = [today.year - k for k in range(1, YEARS_BACK)]

    def orm_year(year: int) -> list[dict[str, Any]]:
        return [r for r in rollups.interventions_by_category_and_mrc(year) if r["mrc_code"]]

    def sql_year(year: int) -> list[dict[str, Any]]:
        return raw_by_category_and_mrc(year)

    orm_year(years[0]), sql_year(years[0])
    reps_c = max(3, min(args.reps, args.sql_reps))
    year_ms, raw_year_ms, same_year = interleaved(reps_c, years, orm_year, sql_year)
    ratio_c = statistics.median(raw_year_ms) / statistics.median(year_ms)
    cells = orm_year(years[0])
    print(f"\n(c) Interventions of a year by category and MRC ({len(years)} drawn years; "
          f"{len(cells)} cells, {sum(c['interventions'] for c in cells):,} interventions with a known place in "
          f"{years[0]}), {reps_c} interleaved repetitions")
    print(_line("roll-ups", year_ms, orm_year))
    print(_line("plain SQL (joins)", raw_year_ms, sql_year))
    print(f"    plain SQL / roll-ups {ratio_c:.0f}×   same figures: {'yes' if same_year else 'NO'}")
    agree &= same_year

    sqlite = connection.vendor == "sqlite"
    full = found["interventions"] >= PER_SCALE["interventions"]
    print("\nAims")
    for label, values, fn in [("caseload page under 100 ms on SQLite (median)", page_ms, page_caseload),
                              ("person's page under 100 ms on SQLite (median)", person_ms, page_person),
                              ("year by category and MRC under 100 ms on SQLite (median)", year_ms, orm_year)]:
        ok = statistics.median(values) < AIM_MS if sqlite else None
        verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        print(f"  {verdict:4}  {label}: {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms wall clock;"
              f" CPU {statistics.median(CPU[fn.__name__]):.1f} ms"
              + ("" if full else f" (at scale {args.scale:g}, not full size)"))
    print(f"\nClosing note: support bench at scale {args.scale:g} ({_format(found)}), {connection.vendor}, load "
          f"{busy:.1f}: caseload page {statistics.median(page_ms):.1f} ms median (p95 {p95(page_ms):.1f}) vs SQL "
          f"{statistics.median(raw_ms):.1f} ms ({ratio_a:.2f}×); person's page {statistics.median(person_ms):.1f} ms "
          f"(p95 {p95(person_ms):.1f}) vs SQL {statistics.median(raw_person_ms):.1f} ms ({ratio_b:.2f}×); year by "
          f"category and MRC {statistics.median(year_ms):.1f} ms from the roll-ups (p95 {p95(year_ms):.1f}) vs "
          f"{statistics.median(raw_year_ms):.0f} ms in plain SQL ({ratio_c:.0f}× faster).")
    return agree


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-recount", action="store_true", help="do not recount the roll-ups")
    parser.add_argument("--sql-reps", type=int, default=10,
                        help="(c): repetitions at most, the plain SQL taking seconds at full size")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = 250,000 persons, 2,000,000 interventions, 100,000 referrals")
    add_arguments(parser)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--database-url", help="default: sqlite:///var/bench_support_<scale>.sqlite3")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url or database_url(args.scale)
    path = generate.is_sqlite_file(url)
    if args.force and path is not None:
        generate._delete_sqlite(path)
    generate.configure(url)
    generate_world(args.scale, force=args.force)
    if not run(args):
        sys.exit("The pages, the roll-ups and the plain SQL disagree: that is a bug, not a slow query.")


if __name__ == "__main__":
    main()
