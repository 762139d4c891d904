"""Compile locale/*/LC_MESSAGES/django.po into .mo with polib (no GNU gettext needed).

--check: also fail when a message is untranslated, fuzzy or defined twice, so English stays complete
and GNU msgfmt would accept the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    check = "--check" in sys.argv
    problems = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        if check:
            missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
            for msgid in missing:
                print(f"{po_path.relative_to(ROOT)}: untranslated: {msgid!r}")
            problems += len(missing)
            seen: set[tuple[str | None, str]] = set()
            for entry in po:
                key = (entry.msgctxt, entry.msgid)
                if not entry.obsolete and key in seen:
                    print(f"{po_path.relative_to(ROOT)}: defined twice: {entry.msgid!r}")
                    problems += 1
                seen.add(key)
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
