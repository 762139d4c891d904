"""Two application processes and a background worker share PostgreSQL and Redis, as production does.

Two `make serve` (gunicorn, as `make run` starts it) listen on two ports against one PostgreSQL
database and one Redis database, with `manage.py db_worker` beside them. What one process does,
the other sees at once: a write, a login lock, a background job that the worker finished.

Runs in the PostgreSQL run of `make test` (DATABASE_URL names the server; the served database
is a fresh one beside the test database). Without Redis it skips with a message, unless
REQUIRE_REDIS=1.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from tests.redis_server import redis_url, require_redis
from tests.test_serving import ROOT, SECRET, environment, manage, served

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="needs PostgreSQL: runs in the PostgreSQL run of `make test`")

USERNAME, PASSWORD = "admin-deux-processus", "Deux-processus-fictif-2026"
DATABASE_SUFFIX = "_two_processes"


def _postgres(url: str, statement: str) -> None:
    import psycopg

    server = re.sub(r"/[^/?]*(\?|$)", r"/postgres\1", url, count=1)
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(scope="module")
def shared_env() -> Iterator[dict[str, str]]:
    require_redis()
    import redis

    base = os.environ["DATABASE_URL"]
    name = re.search(r"/([^/?]+)(\?|$)", base.split("@")[-1]).group(1) + DATABASE_SUFFIX  # type: ignore[union-attr]
    url = re.sub(r"/[^/?]+(\?|$)", f"/{name}\\1", base.split("@")[-1], count=1)
    url = base.split("@")[0] + "@" + url if "@" in base else url
    _postgres(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(base, f'CREATE DATABASE "{name}"')
    cache = redis_url(12)
    redis.Redis.from_url(cache).flushdb()
    env = {**environment(ROOT / "var" / "unused.sqlite3"), "DATABASE_URL": url, "CACHE_URL": cache,
           "SECRET_KEY": SECRET, "TASKS_BACKEND": "database", "LOG_LEVEL": "WARNING"}
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_territory")
        manage(env, "shell", "-c", (
            "from django.contrib.auth import get_user_model; from toitcommun.access.models import Role, RoleAssignment; "
            f"u = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
            "RoleAssignment.objects.create(user=u, role=Role.ADMINISTRATOR)"))
        yield env
    finally:
        _postgres(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(cache).flushdb()


@pytest.fixture(scope="module")
def two_servers_and_a_worker(shared_env) -> Iterator[tuple[str, str]]:
    with ExitStack() as stack:
        first, _ = stack.enter_context(served(shared_env))
        second, _ = stack.enter_context(served(shared_env))
        log = stack.enter_context(open(ROOT / "var" / "two-processes-worker.log", "w"))  # noqa: SIM115
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.2"],  # noqa: S603
                                  cwd=ROOT, env=shared_env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        stack.callback(lambda: (os.killpg(worker.pid, signal.SIGTERM), worker.wait(timeout=30)))
        assert first != second
        yield first, second


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def call(method: str, url: str, body: dict[str, Any] | None = None, token: str = "",
         opener: urllib.request.OpenerDirector | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json", "Accept-Language": "fr"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - our loopback server
    try:
        with (opener or urllib.request.build_opener(NoRedirect)).open(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def token_from(address: str) -> str:
    status, _, body = call("POST", f"{address}/api/v1/auth/token", {"username": USERNAME, "password": PASSWORD})
    assert status == 200, body
    return json.loads(body)["token"]


def test_a_write_on_one_process_is_read_on_the_other_at_once(two_servers_and_a_worker):
    first, second = two_servers_and_a_worker
    token = token_from(first)  # a token issued by one process is accepted by the other
    status, _, body = call("POST", f"{first}/api/v1/organizations",
                           {"name": "Coopérative fictive des Deux Ports", "kind": "housing_coop"}, token)
    assert status == 201, body
    created = json.loads(body)
    tags = set()
    for address in (second, first, second):  # read, and so kept in the shared page cache, on both
        status, headers, body = call("GET", f"{address}/organisations/{created['id']}/")
        assert status == 200 and "Coopérative fictive des Deux Ports" in body.decode()
        tags.add(headers.get("ETag"))
    assert len(tags) == 1 and None not in tags
    import redis

    kept = redis.Redis.from_url(redis_url(12)).keys("*public:*")
    assert kept, "the page read was not kept in the shared cache"

    status, _, body = call("PATCH", f"{second}/api/v1/organizations/{created['id']}",
                           {"version": created["version"], "name": "Coopérative fictive renommée"}, token)
    assert status == 200, body
    for address in (first, second):
        _, headers, body = call("GET", f"{address}/organisations/{created['id']}/")
        page = body.decode()
        assert "Coopérative fictive renommée" in page and "Deux Ports" not in page
        assert headers.get("ETag") not in tags
        api = json.loads(call("GET", f"{address}/api/v1/organizations/{created['id']}")[2])
        assert api["name"] == "Coopérative fictive renommée"


def test_a_login_lock_counted_on_one_process_holds_on_the_other(two_servers_and_a_worker):
    first, second = two_servers_and_a_worker
    for _ in range(5):
        status, _, _ = call("POST", f"{first}/api/v1/auth/token", {"username": USERNAME, "password": "faux-mot"})
        assert status in (401, 429)
    status, _, body = call("POST", f"{second}/api/v1/auth/token", {"username": USERNAME, "password": PASSWORD})
    assert status == 429, body
    assert "verrouillé" in json.loads(body)["detail"]


def test_a_session_opened_on_one_process_is_known_to_the_other(two_servers_and_a_worker, shared_env):
    first, second = two_servers_and_a_worker
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    manage(shared_env, "shell", "-c", (
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('session-deux', password='Session-deux-fictive-2026')"))
    page = call("GET", f"{first}/comptes/connexion/", opener=opener)[2].decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "session-deux",
                                   "password": "Session-deux-fictive-2026"}).encode()
    request = urllib.request.Request(f"{first}/comptes/connexion/", data=form, method="POST",  # noqa: S310
                                     headers={"Referer": f"{first}/comptes/connexion/"})
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
    # The cookie was set for 127.0.0.1 whatever the port: the second process reads the same session.
    status, _, body = call("GET", f"{second}/comptes/mot-de-passe/", opener=opener)
    assert status == 200 and "session-deux" in body.decode()


def test_a_job_started_on_one_process_is_finished_by_the_worker_and_seen_on_the_other(two_servers_and_a_worker):
    first, second = two_servers_and_a_worker
    status, headers, _ = call("POST", f"{first}/logement/disponibles/12/export/?date=2016-01-01")
    assert status == 302
    job_page = headers["Location"]
    assert job_page.startswith("/travaux/")
    deadline = time.monotonic() + 120
    while True:
        page = call("GET", f"{second}{job_page}")[2].decode()
        if "Le fichier est prêt" in page or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    worker_log = (ROOT / "var" / "two-processes-worker.log").read_text()
    assert "Le fichier est prêt" in page, page[page.find("<main"):][:1500] + "\nworker:\n" + worker_log[-3000:]
    assert re.search(r"Le fichier est prêt : \d+ lignes?\.", page), page[page.find("job-status"):][:1200]
    assert 'aria-valuenow="100"' in page
    status, headers, body = call("GET", f"{second}{job_page}fichier/")
    assert status == 200 and body[:2] == b"PK"  # an XLSX workbook
    assert headers["Content-Disposition"] == 'attachment; filename="logements-disponibles-12-2016-01-01.xlsx"'
