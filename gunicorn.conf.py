"""gunicorn settings for `make run` (read with `gunicorn -c gunicorn.conf.py`).

Two worker processes on 127.0.0.1, port from PORT (default 8000; 0 takes a free one).
In production (README, "Configuration"), set PORT and WEB_CONCURRENCY, and bind where
the proxy reaches it with GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000".
"""

from __future__ import annotations

import os
from typing import Any

wsgi_app = "toitcommun.wsgi:application"
bind = [f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request that hangs longer than this is logged and its worker replaced.
timeout = 60
graceful_timeout = 10
# Access lines carry addresses only; they are off unless asked for (GUNICORN_CMD_ARGS="--access-logfile -").
accesslog = None
# gunicorn's control socket would sit in the home folder, shared by every instance on the machine.
control_socket_disable = True


def when_ready(server: Any) -> None:
    """Print the address actually served (the port may have been chosen by the system)."""
    for listener in server.LISTENERS:
        print(f"\nToit commun : {listener}/  (démonstration : {listener}/logement/disponibles/310/)\n", flush=True)
