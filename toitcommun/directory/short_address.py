"""A service's short address, /s/<code>, for paper: eight characters a person can read aloud and type.

The code is the first 40 bits of the service's id (its HSDS UUID) in Crockford's base 32:
digits and capital letters without I, L, O and U, so that 0/O and 1/I/L cannot be mixed up
(typed ones are read as the digits). Nothing is stored: the code is found again as a range
of ids, on the primary key's index. Two services whose ids start alike (about one chance in
27,000 at 20,000 services) share the short code: the older keeps it, the newer gets sixteen
characters (80 bits).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from toitcommun.errors import NotFound

from .models import Service

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT, LONG = 8, 16  # characters: 40 and 80 bits
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def _encode(service_id: uuid.UUID, length: int) -> str:
    bits = length * 5
    value = service_id.int >> (128 - bits)
    return "".join(ALPHABET[(value >> (5 * (length - 1 - i))) & 31] for i in range(length))


def _id_range(code: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The ids whose first bits are the code's."""
    value = 0
    for char in code:
        value = value * 32 + ALPHABET.index(char)
    shift = 128 - 5 * len(code)
    return uuid.UUID(int=value << shift), uuid.UUID(int=(value << shift) | ((1 << shift) - 1))


def _older_first(code: str) -> Any:
    low, high = _id_range(code)
    return Service.objects.filter(id__range=(low, high)).order_by("created_at", "id")


def short_code(service: Service) -> str:
    """The service's short code: eight characters, sixteen if an older service's id starts alike."""
    code = _encode(service.id, SHORT)
    first = _older_first(code).values_list("id", flat=True).first()
    return code if first in (None, service.id) else _encode(service.id, LONG)


def read_code(typed: str) -> str:
    """A code as typed (any case, dashes or spaces, O for 0, I or L for 1) in its written form; NotFound if none."""
    code = "".join(_READ_AS.get(c, c) for c in str(typed).upper() if c not in "- ")
    if len(code) not in (SHORT, LONG) or any(c not in ALPHABET for c in code):
        raise NotFound(_("Adresse courte inconnue."))
    return code


def service_by_short_code(typed: str) -> Service:
    """The service a short code names (retired ones too: their page says so); NotFound otherwise."""
    code = read_code(typed)
    service = _older_first(code).first()  # eight characters: the oldest of the ids starting alike
    if service is None:
        raise NotFound(_("Adresse courte inconnue."))
    return service
