"""The English catalogue as the application reads it: locale/en/LC_MESSAGES/django.po, compiled.

`make install` (and so `make test`) compiles it with scripts/compile_messages.py; a test
run on its own compiles it again when the .mo is missing or older than the .po, then
makes Django read it afresh. Tests read this catalogue and never patch it, so a
message missing from it fails the test that shows it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from asgiref.local import Local
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")


def load_english_catalogue() -> None:
    """Compile the .mo when it is missing or stale, then drop Django's cached catalogues."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "compile_messages.py")],  # noqa: S603
                       cwd=ROOT, check=True)
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
