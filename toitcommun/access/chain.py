"""The audit log's hash chain: each event seals its own content and the previous event's seal.

An event's ``hash`` is SHA-256 over a canonical text of what it says (moment,
author, action, object, before, after) and the ``previous_hash`` it links to.
Changing any event, deleting one from the middle or slipping one in breaks the
chain at that point, and ``manage.py verify_audit`` names the first broken link.

The canonical text is a format: once events are sealed with it, it cannot change
without a new version tag (``v1``), since old events are checked against it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

VERSION = "v1"
# The first event links to this: a chain that starts elsewhere lost its beginning.
GENESIS = "0" * 64
# One key for pg_advisory_xact_lock: "toit" + "audt" in ASCII.
CHAIN_LOCK_KEY = 0x746F6974_61756474

SEALED_FIELDS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_label",
                 "before", "after")


def _canonical(value: Any) -> str:
    """JSON with sorted keys, ASCII only, and numbers by their decimal value.

    Numbers are written as their normalized decimal so that what PostgreSQL's
    jsonb gives back (1e20 comes back as 100000000000000000000, -0.0 as 0.0)
    seals the same as what was written.
    """
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        # Zero has no sign in jsonb: -0.0 comes back as 0.0.
        return str(Decimal(repr(value)).normalize()) if value else "0"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=True)}:{_canonical(v)}"
                              for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    raise TypeError(f"not sealable in the audit chain: {type(value).__name__}")


def _moment(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seal(*, content: dict[str, Any], previous_hash: str) -> str:
    """The hash of one event: its sealed fields and the hash it links to."""
    fields = [VERSION, _moment(content["at"])] + [content[name] for name in SEALED_FIELDS[1:]]
    text = previous_hash + "\n" + _canonical(fields)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _content(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in SEALED_FIELDS}


def _head(model: Any) -> str:
    """The last event's hash, once no other transaction can append: callers hold the lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Held to the end of the transaction: the next appender reads this one's events.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: the settings open every transaction with BEGIN IMMEDIATE, so writers already wait in turn.
    last = model.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def append(events: Sequence[Any]) -> None:
    """Seal and insert events at the end of the chain, in order.

    Runs inside the caller's transaction; on PostgreSQL it holds the chain's lock
    until that transaction ends, so audit last in a service, after its other writes.
    """
    if not events:
        return
    model = type(events[0])
    with transaction.atomic():
        previous = _head(model)
        now = timezone.now()
        for event in events:
            event.at = now
            event.previous_hash = previous
            event.hash = seal(content=_content(event), previous_hash=previous)
            previous = event.hash
        if len(events) == 1:
            events[0].save()
        else:
            model.objects.bulk_create(events, batch_size=500)


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    at: datetime.datetime
    reason: str  # "altered", "link" or "unsealed"


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    broken: BrokenLink | None
    head_found: bool | None  # whether an expected earlier head is still in the chain


def _rows(model: Any) -> Iterator[tuple[Any, ...]]:
    fields = ("id", "previous_hash", "hash", *SEALED_FIELDS)
    yield from model.objects.order_by("id").values_list(*fields).iterator(chunk_size=2000)


def verify(model: Any, *, expected_head: str = "") -> ChainReport:
    """Walk the chain from the first event: the first broken link, or none."""
    previous, count, head_found = GENESIS, 0, None
    if expected_head:
        head_found = expected_head == GENESIS
    for row in _rows(model):
        pk, previous_hash, stored_hash, *sealed = row
        content = dict(zip(SEALED_FIELDS, sealed, strict=True))
        if not stored_hash:
            return ChainReport(count, previous, BrokenLink(pk, content["at"], "unsealed"), head_found)
        if previous_hash != previous:
            return ChainReport(count, previous, BrokenLink(pk, content["at"], "link"), head_found)
        if seal(content=content, previous_hash=previous_hash) != stored_hash:
            return ChainReport(count, previous, BrokenLink(pk, content["at"], "altered"), head_found)
        previous = stored_hash
        count += 1
        if expected_head and stored_hash == expected_head:
            head_found = True
    return ChainReport(count, previous, None, head_found)


# The triggers that refuse rewriting or removing events (migrations 0002 and 0004).
GUARDS = {
    "postgresql": {"access_auditevent_no_update", "access_auditevent_no_truncate"},
    "sqlite": {"access_auditevent_no_update", "access_auditevent_no_delete"},
}


def guards_missing() -> list[str]:
    """The database's refusal triggers that are gone or disabled; a table rebuild drops them on SQLite."""
    expected = GUARDS.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'access_auditevent'::regclass "
                           "AND NOT tgisinternal AND tgenabled <> 'D'")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_auditevent'")
        else:
            return []
        present = {name for (name,) in cursor.fetchall()}
    return sorted(expected - present)
