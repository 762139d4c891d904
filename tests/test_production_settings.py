"""One environment variable chooses the cache shared by every process; sessions and job progress follow it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from tests.redis_server import redis_url, require_redis
from toitcommun.settings import cache_from_url

ROOT = Path(__file__).resolve().parent.parent


def settings_under(**env: str) -> dict[str, str]:
    """Read a few settings as a fresh process with this environment would."""
    code = ("from django.conf import settings as s; import json; print(json.dumps({'session': s.SESSION_ENGINE, "
            "'cache': s.CACHES['default']['BACKEND'], 'jobs': s.CACHES['jobs']['BACKEND'], "
            "'tasks': s.TASKS['default']['BACKEND']}))")
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "TASKS_BACKEND"}}
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,  # noqa: S603
                            env={**clean, "DJANGO_SETTINGS_MODULE": "toitcommun.settings", **env},
                            capture_output=True, text=True, check=True, timeout=60)
    import json

    return json.loads(result.stdout)


def test_the_cache_url_names_the_backend():
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert cache_from_url("file:///srv/toitcommun/cache")["LOCATION"] == "/srv/toitcommun/cache"
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_by_default_one_process_keeps_its_cache_and_sessions_stay_in_the_database():
    found = settings_under()
    assert found == {"session": "django.contrib.sessions.backends.db",
                     "cache": "django.core.cache.backends.locmem.LocMemCache",
                     "jobs": "django.core.cache.backends.filebased.FileBasedCache",
                     "tasks": "django_tasks_db.DatabaseBackend"}


def test_with_redis_every_process_shares_the_cache_sessions_and_job_progress():
    found = settings_under(CACHE_URL="redis://127.0.0.1:6379/1")
    assert found == {"session": "django.contrib.sessions.backends.cached_db",
                     "cache": "django.core.cache.backends.redis.RedisCache",
                     "jobs": "django.core.cache.backends.redis.RedisCache",
                     "tasks": "django_tasks_db.DatabaseBackend"}


def test_a_redis_cache_written_by_one_client_is_read_by_another():
    require_redis()
    url = redis_url(11)
    one = RedisCache(url, {"KEY_PREFIX": "tc-test"})
    two = RedisCache(url, {"KEY_PREFIX": "tc-test"})
    one.set("seen", "oui", 30)
    assert two.get("seen") == "oui"
    one.delete("seen")
    assert two.get("seen") is None
