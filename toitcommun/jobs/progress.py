"""How far along a running job is, where every process can read it while the job's transaction is open.

An import writes all or nothing in one transaction: a row of the database changed inside it is not
seen by the page that polls until the end. The percentage therefore goes through a cache shared
by every process: the ``jobs`` cache (Redis when CACHE_URL names it, else files under var/).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import caches

TTL = 24 * 60 * 60
# A report less than this long after the previous one is not sent: the cache is not flooded.
MIN_INTERVAL = 0.25


def _key(job_id: str) -> str:
    return f"job-progress:{job_id}"


def percent_of(job_id: str) -> int | None:
    value = caches["jobs"].get(_key(job_id))
    return int(value) if value is not None else None


def set_percent(job_id: str, percent: int) -> None:
    caches["jobs"].set(_key(job_id), max(0, min(100, percent)), TTL)


def reporter(job_id: str) -> Callable[[float], None]:
    """A function that takes a fraction done (0 to 1) and publishes it as a whole percentage."""
    last = {"at": 0.0, "percent": -1}

    def report(fraction: float) -> None:
        percent = max(0, min(99, int(fraction * 100)))  # 100 % is said by the job's record, once done
        now = time.monotonic()
        if percent != last["percent"] and now - last["at"] >= MIN_INTERVAL:
            set_percent(job_id, percent)
            last.update(at=now, percent=percent)
    return report
