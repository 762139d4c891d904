"""The privacy officer's reading of the access log: who read what of her organization's data.

An organization's privacy officer (role ``privacy_officer``) reads the access-log
lines about the persons whose file her organization holds, whoever the reader was
(her colleagues, or partners reading under a consent or a referral). Reading the log
is itself written to the log. Nobody else reads it here: not administrators, not
workers, not researchers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from toitcommun.access import rules as r
from toitcommun.access.models import Role
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed

from .models import AccessAction, AccessBasis, AccessLogEntry, AccessOutcome, Person, PersonFile
from .selectors import Read, log_reads, with_merged

PAGE_SIZE = 50
LOG_RECORD = "access_log"


def privacy_organizations(user: Any) -> frozenset[int]:
    """The organizations whose access log this user reads as their privacy officer."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(r.organizations_of(user, roles=(Role.PRIVACY_OFFICER,)))


def is_privacy_officer(user: Any) -> bool:
    return bool(privacy_organizations(user))


def _entries(orgs: frozenset[int]) -> QuerySet[AccessLogEntry]:
    held = PersonFile.objects.filter(organization_id__in=orgs).values("person_id")
    # Persons merged into a held one (their files moved with them): their log lines stay readable.
    merged = Person.objects.filter(merged_into_id__in=held).values("pk")
    return (AccessLogEntry.objects.filter(Q(person_id__in=held) | Q(person_id__in=merged))
            .exclude(record_type=LOG_RECORD))


def _log_the_reading(user: Any, orgs: frozenset[int], person_id: int | None, outcome: str) -> None:
    log_reads(user, AccessAction.LIST, [Read(
        record_type=LOG_RECORD, record_id=None, person_id=person_id, basis=AccessBasis.OWN_ORGANIZATION,
        organization_id=min(orgs) if orgs else None, outcome=outcome,
    )])


def access_log_page(user: Any, *, person_id: int | None = None, since: datetime.date | None = None,
                    until: datetime.date | None = None, page: Any = 1,
                    page_size: int = PAGE_SIZE) -> Page:
    """A page of the log of the officer's organizations' data, newest first; the reading is logged.

    A person whose file none of her organizations holds is NotFound, whether or not they exist.
    """
    orgs = privacy_organizations(user)
    if not orgs:
        raise PermissionRefused(_("Seul le ou la responsable de la protection des renseignements personnels "
                                  "d'une organisation lit son journal des accès."))
    if since and until and since > until:
        raise ValidationFailed({"until": [_("La fin de la période précède son début.")]})
    if person_id is not None and not PersonFile.objects.filter(organization_id__in=orgs,
                                                               person_id=person_id).exists():
        _log_the_reading(user, orgs, person_id, AccessOutcome.NOT_FOUND)
        raise NotFound(_("Votre organisation ne tient pas de dossier sur cette personne."))
    entries = _entries(orgs).select_related("user", "organization")
    if person_id is not None:
        entries = entries.filter(person_id__in=with_merged([person_id]))
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    paginator = Paginator(entries.order_by("-at", "-id"), page_size)
    result = paginator.get_page(page)
    _log_the_reading(user, orgs, person_id, AccessOutcome.ALLOWED)
    return result


def access_log_slice(user: Any, *, person_id: int, offset: int = 0, limit: int = PAGE_SIZE
                     ) -> tuple[int, list[AccessLogEntry]]:
    """The API's reading: the count and one slice of a person's log lines, newest first (logged)."""
    orgs = privacy_organizations(user)
    if not orgs or not PersonFile.objects.filter(organization_id__in=orgs, person_id=person_id).exists():
        if orgs:
            _log_the_reading(user, orgs, person_id, AccessOutcome.NOT_FOUND)
        raise NotFound(_("Votre organisation ne tient pas de dossier sur cette personne."))
    entries = _entries(orgs).filter(person_id__in=with_merged([person_id])).select_related("user", "organization").order_by("-at", "-id")
    count = entries.count()
    rows = list(entries[offset:offset + limit])
    _log_the_reading(user, orgs, person_id, AccessOutcome.ALLOWED)
    return count, rows


def destructions_page(user: Any, *, page: Any = 1, page_size: int = PAGE_SIZE) -> Page:
    """A page of the facts of destruction of the officer's organizations' records, newest first."""
    from .models import DestructionRecord

    orgs = privacy_organizations(user)
    if not orgs:
        raise PermissionRefused(_("Seul le ou la responsable de la protection des renseignements personnels "
                                  "d'une organisation consulte ses destructions."))
    rows = DestructionRecord.objects.filter(organization_id__in=orgs).select_related("organization")
    return Paginator(rows.order_by("-destroyed_at", "-id"), page_size).get_page(page)
