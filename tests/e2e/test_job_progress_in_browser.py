"""A large housing import, followed in the browser: the progress bar moves, then reaches 100 %.

Served as `make run` serves it: gunicorn (`make serve`) and the background worker
(`manage.py db_worker`) as two processes on one SQLite file, the progress passing between them
through the job-progress cache. Chromium uploads a 20,000-row file and reads the bar as a
screen reader does (role=progressbar, aria-valuenow) until the import is done.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import SHOTS
from tests.housing.import_files import housing_csv
from tests.test_serving import ROOT, environment, manage, served

ROWS = 20_000
USERNAME, PASSWORD = "admin-import-fictif", "Import-en-arriere-plan-2026"
CODES = ["31084", "25213", "31056", "31122", "31135", "31140", "31015", "19097"]


@pytest.fixture(scope="module")
def server_and_worker(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("job-progress")
    env = {**environment(folder / "toitcommun.sqlite3"), "TASKS_BACKEND": "database",
           "JOBS_PROGRESS_DIR": str(folder / "progress")}
    env.pop("CACHE_URL", None)
    manage(env, "migrate", "--noinput")
    manage(env, "load_territory")
    manage(env, "shell", "-c", (
        "from django.contrib.auth import get_user_model; from toitcommun.access.models import Role, RoleAssignment; "
        f"u = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
        "RoleAssignment.objects.create(user=u, role=Role.ADMINISTRATOR)"))
    with served(env) as (address, _output):
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.2"],  # noqa: S603
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            yield address
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)


def test_a_large_import_shows_its_progress_bar_reaching_the_end(browser, server_and_worker):
    address = server_and_worker
    context = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    context.set_default_timeout(30000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(address)
                  else route.abort())
    page = context.new_page()
    try:
        page.goto(f"{address}/comptes/connexion/?next=/logement/importer/")
        page.fill("input[name=username]", USERNAME)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/logement/importer/")
        content = housing_csv(ROWS, CODES)
        page.set_input_files("input[type=file]", {"name": "parc-fictif.csv", "mimeType": "text/csv",
                                                  "buffer": content})
        page.get_by_role("button", name="Importer").click()
        page.wait_for_url("**/travaux/*/")

        bar = page.get_by_role("progressbar")
        seen: list[int] = []
        SHOTS.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            value = int(bar.get_attribute("aria-valuenow") or 0)
            if not seen or value != seen[-1]:
                seen.append(value)
                if 0 < value < 100 and not any(0 < v < 100 for v in seen[:-1]):
                    page.screenshot(path=str(SHOTS / "job-progress-running.png"), full_page=True)
            if value == 100 and page.locator("#job-done").count():
                break
            page.wait_for_timeout(200)

        assert seen[-1] == 100, seen
        assert any(0 < value < 100 for value in seen), f"the bar never showed a step between: {seen}"
        assert seen == sorted(seen), seen
        assert bar.get_attribute("aria-valuemin") == "0" and bar.get_attribute("aria-valuemax") == "100"
        assert page.locator(".job-percent").inner_text() == "100 %"
        done = page.locator("#job-done").inner_text()
        assert "Import terminé : parc-fictif.csv." in done
        assert f"Groupes de logements : {ROWS} créés, 0 mis à jour" in done
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SHOTS / "job-progress-done.png"), full_page=True)
    finally:
        context.close()
