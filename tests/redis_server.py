"""Whether a Redis server answers (127.0.0.1:6379, or REDIS_URL): tests that need one skip without it,
unless REQUIRE_REDIS=1, which makes its absence a failure."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")


def redis_url(db: int) -> str:
    """The server's address with a database number of its own (tests use 11 to 14)."""
    return f"{REDIS_URL.rstrip('/')}/{db}"


def require_redis() -> None:
    address = urlparse(REDIS_URL)
    try:
        with socket.create_connection((address.hostname or "127.0.0.1", address.port or 6379), timeout=2):
            return
    except OSError:
        pass
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"REQUIRE_REDIS=1 but no Redis server answers at {REDIS_URL}")
    pytest.skip(f"no Redis server at {REDIS_URL}: skipped (set REQUIRE_REDIS=1 to make this an error)")
