"""`make run` serves a styled site: the server it starts answers the stylesheet and the scripts.

The test server of the other tests always serves static files, so only a server started
the way `make run` starts it (`make serve`: gunicorn with gunicorn.conf.py, DEBUG off)
shows whether a newcomer gets styles, the map, the charts and live search.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVED_AT = re.compile(r"Toit commun : (http://127\.0\.0\.1:\d+)/")
STATIC_IN_TEMPLATES = re.compile(r"""\{% static ['"]([^'"]+)['"] %\}""")
SECRET = "s" * 50 + "-a-long-random-production-secret-for-the-test"

# The server runs on a temporary SQLite file, whatever database the rest of the run uses:
# under PostgreSQL (the second run of `make test`) these tests would only repeat themselves.
pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="serving is tested once, on SQLite")


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DEBUG", "PRODUCTION", "SECRET_KEY", "STATIC_ROOT", "PORT",
                        "DJANGO_SETTINGS_MODULE", "MAKEFLAGS", "MFLAGS", "GUNICORN_CMD_ARGS",
                        # set by the browser tests for Playwright; never in a served deployment
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "0", "PORT": "0", **extra}


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "toitcommun.sqlite3"
    manage(environment(path), "migrate", "--noinput")
    return path


@pytest.fixture(scope="module")
def make_serve(database) -> Iterator[tuple[str, list[str]]]:
    """`make serve` as `make run` starts it, DEBUG off, shared by the tests of this module."""
    with served(environment(database)) as running:
        yield running


@contextmanager
def served(env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """`make serve` on a port the system picks; yields the address it prints and its output so far."""
    server = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=ROOT, env=env,  # noqa: S603, S607
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        address = ""
        while not address and time.monotonic() < deadline and server.poll() is None:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            output.append(line)
            if match := SERVED_AT.search(line):
                address = match.group(1)
        assert address, "the server printed no address:\n" + "".join(output)
        wait_until_answering(address)
        while not lines.empty():
            output.append(lines.get())
        yield address, output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_until_answering(address: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(address + "/static/css/app.css")
            return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, never a request to send elsewhere


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server on 127.0.0.1
    try:
        with OPENER.open(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def linked_assets(html: str) -> tuple[list[str], list[str]]:
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return styles, scripts


def test_make_serve_answers_the_home_page_styles_and_scripts_with_two_workers(make_serve):
    address, output = make_serve
    status, _, body = fetch(address + "/")
    assert status == 200
    styles, scripts = linked_assets(body.decode())
    assert styles == ["/static/css/app.css"]
    assert scripts == ["/static/js/nav.js", "/static/vendor/htmx/htmx.min.js", "/static/js/app.js",
                       "/static/js/combobox.js"]
    for path in styles:
        status, headers, content = fetch(address + path)
        assert (status, headers["content-type"]) == (200, "text/css; charset=\"utf-8\"")
        assert content == (ROOT / "toitcommun" / "static" / "css" / "app.css").read_bytes()
    for path in scripts:
        status, headers, content = fetch(address + path)
        assert (status, headers["content-type"]) == (200, "text/javascript; charset=\"utf-8\"")
        assert len(content) > 100
    assert "".join(output).count("Booting worker") == 2


def test_make_serve_answers_every_static_file_a_template_links(make_serve):
    address, _ = make_serve
    templates = list((ROOT / "toitcommun").rglob("*.html"))
    paths = sorted({m for p in templates for m in STATIC_IN_TEMPLATES.findall(p.read_text(encoding="utf-8"))})
    assert "vendor/leaflet/leaflet.js" in paths and "vendor/chartjs/chart.umd.min.js" in paths
    assert [path for path in paths if fetch(f"{address}/static/{path}")[0] != 200] == []


def test_make_serve_answers_favicon_ico_with_the_icon(make_serve):
    address, _ = make_serve
    status, headers, _ = fetch(address + "/favicon.ico")
    assert (status, headers["location"]) == (302, "/static/img/favicon.svg")
    status, headers, content = fetch(address + "/static/img/favicon.svg")
    assert (status, headers["content-type"]) == (200, "image/svg+xml")
    assert content.startswith(b"<svg ")


def test_production_serves_the_collected_hashed_static_files(database, tmp_path):
    env = environment(database, PRODUCTION="1", SECRET_KEY=SECRET, STATIC_ROOT=str(tmp_path / "static"),
                      ALLOWED_HOSTS="127.0.0.1")
    manage(env, "collectstatic", "--noinput")
    manage(env, "check", "--deploy", "--fail-level", "WARNING")
    with served(env) as (address, _):
        # Behind the TLS-terminating proxy that production expects.
        https = {"X-Forwarded-Proto": "https"}
        status, _, body = fetch(address + "/", https)
        assert status == 200
        styles, scripts = linked_assets(body.decode())
        assert len(styles) == 1 and re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", styles[0])
        # htmx and our own scripts, each under its hashed name
        assert any("/vendor/htmx/" in s for s in scripts) and any("/js/app." in s for s in scripts)
        assert all(re.search(r"\.[0-9a-f]{12}\.js$", s) for s in scripts)
        for path, kind in [(styles[0], "text/css"), *[(s, "text/javascript") for s in scripts]]:
            status, headers, _ = fetch(address + path, https)
            assert (status, headers["content-type"].split(";")[0]) == (200, kind)
            assert headers["cache-control"] == "max-age=315360000, public, immutable"
