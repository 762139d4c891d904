"""The whole test run behind `make test`.

1. Lint (ruff), types (mypy), migrations check, and the suite on SQLite, browser tests included.
2. The suite again on PostgreSQL (browser tests aside: they exercise pages, not the database).

REQUIRE_POSTGRES=1 makes a missing PostgreSQL server an error; without it the
PostgreSQL run is skipped with a message. REQUIRE_BROWSER=1 does the same for
Chromium (checked in tests/e2e/conftest.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PGPORT", "5432"))
PG_URL = os.environ.get("TEST_DATABASE_URL", f"postgres://postgres@{PG_HOST}:{PG_PORT}/toitcommun")


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)  # noqa: S603 - our own fixed commands
    if result.returncode != 0:
        sys.exit(result.returncode)


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=2):
            return True
    except OSError:
        return False


def main() -> None:
    extra = sys.argv[1:]
    base_env = {"DATABASE_URL": "", "PRODUCTION": "", "DEBUG": ""}
    os.environ.pop("DATABASE_URL", None)
    run([PY, "-m", "ruff", "check", "."])
    run([PY, "-m", "mypy"])
    run([PY, "manage.py", "makemigrations", "--check", "--dry-run"], env=base_env)
    run([PY, "scripts/compile_messages.py", "--check"])
    run([PY, "-m", "pytest", *extra], env=base_env)

    require = os.environ.get("REQUIRE_POSTGRES") == "1"
    if not postgres_reachable():
        if require:
            print(f"REQUIRE_POSTGRES=1 but no PostgreSQL server answers at {PG_HOST}:{PG_PORT}.", file=sys.stderr)
            sys.exit(1)
        print(f"SKIPPED: PostgreSQL run — no server at {PG_HOST}:{PG_PORT} (set REQUIRE_POSTGRES=1 to make this an error).")
        return
    run([PY, "-m", "pytest", "-m", "not browser", *extra], env={**base_env, "DATABASE_URL": PG_URL})


if __name__ == "__main__":
    main()
