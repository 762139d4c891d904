"""Places as people type them, and results by distance (`bench/run.py --only places`; part of `make bench`).

(e) ``place_resolve`` over what people type in the place box: names, designations ("MRC des"),
    abbreviations ("St-"), typos, postal codes and FSAs; median and p95 per call. The page resolves
    the place once per search, the combobox suggests once per keystroke.
(f) The public search sorted by distance: drawn places (a municipality weighted by population, or a
    postal code's FSA), every service serving it, nearest first; the first page and the count from
    ``services_page`` (as the page) against one hand-written statement giving the same ranked page,
    side by side. Both must agree on every page; the aims print PASS or MISS (a miss is not an error).
"""

from __future__ import annotations

import random
import statistics
import uuid
from typing import Any

PAGE = 20
RESOLVE_AIM_MS = 50.0
DISTANCE_AIM_RATIO = 2.0
DISTANCE_AIM_MS = 50.0
TYPED = ["Thetford Mines", "thetford", "MRC des Appalaches", "Ville de Lévis", "Municipalité de Adstock",
         "St-Joseph-de-Beauce", "Ste-Marie", "Robert-Cliche", "Région de la Chaudière-Appalaches", "Thetfort",
         "Rimousky", "Lac Megantik", "Saint-Joseph", "G6G 1N1", "g6g1n1", "G0N", "H2X 1Y4", "31084",
         "Thetford Mines (31084)", "Atlantide"]


def bench_resolve(reps: int) -> dict[str, Any]:
    from bench.run import timed
    from toitcommun.territory.places import place_resolve
    from toitcommun.territory.selectors import TerritoryNotChosen

    def resolve(text: str) -> None:
        try:
            place_resolve(text)
        except TerritoryNotChosen:
            pass

    for text in TYPED:  # warm-up: the names and points are read once per process
        resolve(text)
    times = [timed(lambda text=text: resolve(text)) for _ in range(reps) for text in TYPED]
    slowest = max(TYPED, key=lambda text: timed(lambda: resolve(text)))
    return {"times": times, "slowest": slowest}


def draw_places(n: int, seed: int) -> list[tuple[str, str, tuple[float, float]]]:
    """(what was typed, territory code, origin): municipalities with a point, by population, or FSAs."""
    from bench import generate_directory
    from toitcommun.territory.models import Municipality
    from toitcommun.territory.places import fsa_points, place_resolve

    rng = random.Random(seed + 5)
    local = {m.code for m in generate_directory.local_municipalities()}
    munis = [(code, population or 0) for code, population in Municipality.objects.filter(
        latitude__isnull=False, code__in=local).values_list("code", "population")]
    fsas = sorted(fsa_points())
    drawn = []
    for _ in range(n):
        typed = (rng.choice(fsas) if rng.random() < 0.5
                 else rng.choices(munis, weights=[max(p, 50) for _c, p in munis])[0][0])
        place = place_resolve(typed)
        assert place is not None and place.point is not None
        drawn.append((typed, place.territory.code, place.point))
    return drawn


def orm_distance(code: str, origin: tuple[float, float]) -> tuple[list[Any], int]:
    from toitcommun.directory.selectors import search_query, services_page

    query = search_query(territory=code, origin=origin, sort="distance")
    page = services_page(query, number=1, per_page=PAGE)
    return [s.pk for s in page.object_list], page.paginator.count


def raw_distance(code: str, origin: tuple[float, float]) -> tuple[list[Any], int]:
    """The same first page and count from one statement: the services serving the municipality (its
    areas' codes up to the province, and its places), each with its nearest place's squared distance
    (the page's own measure), nearest first, placeless last, then name and id."""
    import math

    from django.db import connection

    real = "REAL" if connection.vendor == "sqlite" else "double precision"
    shrink = math.cos(math.radians(origin[0]))
    sql = f"""
        WITH place AS (SELECT m.id AS muni_id, m.code AS muni, r.code AS mrc, g.code AS region
                       FROM territory_municipality m JOIN territory_mrc r ON r.id = m.mrc_id
                       JOIN territory_region g ON g.id = r.region_id WHERE m.code = %s),
        codes (code) AS (SELECT muni FROM place UNION ALL SELECT mrc FROM place
                         UNION ALL SELECT region FROM place UNION ALL SELECT 'QC'),
        serving (id) AS (
            SELECT a.service_id FROM directory_servicearea a WHERE a.territory_code IN (SELECT code FROM codes)
            UNION
            SELECT sal.service_id FROM directory_serviceatlocation sal
            JOIN directory_location l ON l.id = sal.location_id
            WHERE l.municipality_id IN (SELECT muni_id FROM place)),
        ranked AS (
            SELECT s.id, s.name,
                   (SELECT MIN((CAST(l.latitude AS {real}) - %s) * (CAST(l.latitude AS {real}) - %s)
                               + (CAST(l.longitude AS {real}) - %s) * %s * (CAST(l.longitude AS {real}) - %s) * %s)
                    FROM directory_serviceatlocation sal JOIN directory_location l ON l.id = sal.location_id
                    WHERE sal.service_id = s.id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL) AS nearest
            FROM serving {"CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"} directory_service s
                 ON s.id = serving.id
            WHERE s.status <> 'defunct')
        SELECT id, COUNT(*) OVER () AS total FROM ranked
        ORDER BY nearest IS NULL, nearest, name, id
        LIMIT {PAGE}
    """
    lat, lng = float(origin[0]), float(origin[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, [code, lat, lat, lng, shrink, lng, shrink])
        rows = cursor.fetchall()
    ids = [r[0] if isinstance(r[0], uuid.UUID) else uuid.UUID(r[0]) for r in rows]
    return ids, (rows[0][1] if rows else 0)


def bench_distance(n: int, seed: int) -> dict[str, Any]:
    from bench.run import timed

    drawn = draw_places(n, seed)
    different = []
    for typed, code, origin in drawn:  # also the warm-up
        orm, raw = orm_distance(code, origin), raw_distance(code, origin)
        if orm != raw:
            different.append((typed, orm, raw))
    times: dict[str, list[float]] = {"orm": [], "raw": []}
    for i, (_typed, code, origin) in enumerate(drawn):
        order = ["orm", "raw"] if i % 2 == 0 else ["raw", "orm"]
        for kind in order:
            call = orm_distance if kind == "orm" else raw_distance
            times[kind].append(timed(lambda call=call, code=code, origin=origin: call(code, origin)))
    return {"same": not different, "different": different, "times": times, "count": n}


def report(args: Any, engine: str, version: str) -> bool:
    from bench import generate_directory
    from bench.run import fmt_ms, p95, verdict

    print(f"\n(e) Places as typed: {len(TYPED)} forms (names, designations, St-, typos, postal codes), "
          f"{args.reps} rounds after a warm-up")
    resolve = bench_resolve(args.reps)
    r_median, r_p95 = statistics.median(resolve["times"]), p95(resolve["times"])
    print(f"  place_resolve: median {fmt_ms(r_median)}, p95 {fmt_ms(r_p95)}; slowest form: {resolve['slowest']!r}")

    searches = max(10, args.searches // 2)
    print(f"\n(f) Search sorted by distance: {searches} drawn places (a municipality or an FSA), every service "
          f"serving it, first {PAGE} and the count")
    result = bench_distance(searches, generate_directory.SEED)
    times = result["times"]
    o_median, o_p95 = statistics.median(times["orm"]), p95(times["orm"])
    w_median, w_p95 = statistics.median(times["raw"]), p95(times["raw"])
    ratio = o_median / w_median
    print(f"  results: {'IDENTICAL' if result['same'] else 'DIFFERENT'} for "
          f"{searches - len(result['different'])}/{searches} places")
    for typed, orm, raw in result["different"][:5]:
        print(f"    {typed}: ORM {orm[1]} results, raw {raw[1]}")
    print(f"  {'':34}{'median':>11}{'p95':>12}")
    print(f"  {'services_page (ORM), as the page':34}{fmt_ms(o_median)} {fmt_ms(o_p95)}")
    print(f"  {'one raw SQL statement':34}{fmt_ms(w_median)} {fmt_ms(w_p95)}")
    under = (o_p95 < DISTANCE_AIM_MS) if engine == "sqlite" else None
    aims = [
        ("ORM and raw SQL give the same page and count, every place", "yes" if result["same"] else "NO",
         result["same"]),
        (f"place resolution p95 under {RESOLVE_AIM_MS:.0f} ms", f"{r_p95:.1f} ms", r_p95 < RESOLVE_AIM_MS),
        (f"distance search within {DISTANCE_AIM_RATIO:.0f}× of the raw query (medians)", f"{ratio:.2f}×",
         ratio <= DISTANCE_AIM_RATIO),
        (f"distance search p95 under {DISTANCE_AIM_MS:.0f} ms on SQLite", f"{o_p95:.1f} ms", under),
    ]
    print("\nAims (places)")
    for label, measured, ok in aims:
        print(f"  {verdict(ok)}  {label:64} {measured:>9}")
    print("\nFor the closing note:")
    print(f"- Places ({engine} {version}): place_resolve {r_median:.1f} ms median, p95 {r_p95:.1f} ms over "
          f"{len(TYPED)} typed forms; search by distance ORM {o_median:.1f} ms median (p95 {o_p95:.1f}), raw SQL "
          f"{w_median:.1f} ms (p95 {w_p95:.1f}): {ratio:.2f}×; pages identical: {'yes' if result['same'] else 'NO'}.")
    return bool(result["same"])
