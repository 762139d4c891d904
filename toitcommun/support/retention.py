"""Retention: each category of personal information destroyed when its rule says, the fact kept.

Québec's private-sector Act (art. 23) asks that personal information be destroyed, or anonymized,
once the purposes it was collected for are achieved. The periods are settings
(``RETENTION_YEARS``, docs/retention.md gives the defaults and their reasons); this module decides
what is due on a given day, destroys it (blanks the text, removes the scan), and writes one
``DestructionRecord`` per record touched: what kind of record, its id, whose organization, the
category, the rule, the date counted from, never the content. Running it twice on the same day
destroys nothing the second time: what was destroyed is no longer there to find.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from toitcommun.access.services import audit_record
from toitcommun.people.models import (
    Consent,
    ConsentScan,
    DestructionRecord,
    Person,
    PersonFile,
    RetentionCategory,
)

from .models import OPEN_STATES, Intervention, Referral, ReferralEvent, ReferralState

CHUNK = 500
RULES: dict[str, str] = {
    RetentionCategory.NOTES: "notes: {years} an(s) après la dernière intervention de l'organisation auprès de la personne",
    RetentionCategory.SUMMARIES: "summaries: {years} an(s) après la dernière intervention de l'organisation auprès de "
                                 "la personne",
    RetentionCategory.REFERRAL_REASONS: "referral_reasons: {years} an(s) après la dernière étape d'une référence "
                                        "qui n'est plus ouverte",
    RetentionCategory.CONTACT: "contact: {years} an(s) sans activité auprès de la personne",
    RetentionCategory.CONSENT_SCANS: "consent_scans: {years} an(s) après la fin ou la révocation du consentement",
}


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Due:
    """One record whose information of one category is due for destruction."""

    category: str
    record_type: str
    record_id: int
    organization_id: int | None
    person_id: int | None
    counted_from: datetime.date


@dataclass
class RetentionReport:
    """What a run destroyed (or, dry, would destroy): counts per category and organization, no content."""

    applied_on: datetime.date
    dry_run: bool
    run: str
    counts: Counter[tuple[str, int | None]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_category(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for (category, _org), n in self.counts.items():
            totals[category] += n
        return dict(totals)


# ---- what is due -------------------------------------------------------------------------------


def _last_intervention_by_org_person(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], datetime.date]:
    through = Intervention.persons.through
    result: dict[tuple[int, int], datetime.date] = {}
    persons = sorted({p for _o, p in pairs})
    for start in range(0, len(persons), CHUNK):
        rows = (through.objects.filter(person_id__in=persons[start:start + CHUNK])
                .values_list("intervention__organization_id", "person_id")
                .annotate(last=Max("intervention__date")))
        for org_id, person_id, last in rows:
            result[(org_id, person_id)] = last
    return result


def _interventions_due(category: str, text_field: str, cutoff: datetime.date) -> Iterator[Due]:
    """Interventions whose text is due: for every person they name, the writing organization's last
    intervention with that person is on or before ``cutoff`` (a record naming nobody: its own date)."""
    candidates = list(Intervention.objects.filter(date__lte=cutoff).exclude(**{text_field: ""})
                      .values_list("pk", "organization_id", "date"))
    through = Intervention.persons.through
    persons_of: dict[int, list[int]] = defaultdict(list)
    ids = [pk for pk, _o, _d in candidates]
    for start in range(0, len(ids), CHUNK):
        for intervention_id, person_id in through.objects.filter(
                intervention_id__in=ids[start:start + CHUNK]).values_list("intervention_id", "person_id"):
            persons_of[intervention_id].append(person_id)
    last = _last_intervention_by_org_person({(org, p) for pk, org, _d in candidates for p in persons_of[pk]})
    for pk, org_id, day in candidates:
        named = persons_of[pk]
        latest = max((last[(org_id, p)] for p in named), default=day)
        if latest <= cutoff:
            yield Due(category, "intervention", pk, org_id, min(named) if named else None, latest)


def _referrals_due(cutoff: datetime.date, today: datetime.date) -> Iterator[Due]:
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
    still_open = Q(state__in=[s for s in OPEN_STATES if s != ReferralState.SENT]) | Q(
        state=ReferralState.SENT, sent_at__gt=moment - datetime.timedelta(days=14))
    rows = (Referral.objects.exclude(reason="").exclude(still_open)
            .annotate(last=Max("events__at")).values_list("pk", "sending_organization_id", "person_id", "last",
                                                          "created_at"))
    for pk, org_id, person_id, last_event, created in rows:
        last = timezone.localdate(last_event or created)
        if last <= cutoff:
            yield Due(RetentionCategory.REFERRAL_REASONS, "referral", pk, org_id, person_id, last)


def _persons_due(cutoff: datetime.date) -> Iterator[Due]:
    has_contact = ~Q(phone="") | ~Q(email="") | ~Q(languages="")

    def latest(rows: Any, field: str) -> Subquery:
        # One subquery per kind of activity: joining them all would multiply the rows by each other.
        return Subquery(rows.order_by(f"-{field}").values(field)[:1])

    through = Intervention.persons.through
    candidates = list(Person.objects.filter(has_contact, created_at__date__lte=cutoff).annotate(
        last_intervention=latest(through.objects.filter(person_id=OuterRef("pk")), "intervention__date"),
        last_consent=latest(Consent.objects.filter(person_id=OuterRef("pk")), "ends_on"),
        last_referral=latest(ReferralEvent.objects.filter(referral__person_id=OuterRef("pk")), "at"),
        holder=Subquery(PersonFile.objects.filter(person_id=OuterRef("pk")).order_by("opened_at", "id")
                        .values("organization_id")[:1]),
    ).values_list("pk", "created_at", "last_intervention", "last_consent", "last_referral", "holder"))
    for pk, created, last_intervention, last_consent, last_referral, holder in candidates:
        dates = [timezone.localdate(created), last_intervention, last_consent,
                 timezone.localdate(last_referral) if last_referral else None]
        last = max(d for d in dates if d is not None)
        if last <= cutoff:
            yield Due(RetentionCategory.CONTACT, "person", pk, holder, pk, last)


def _scans_due(cutoff: datetime.date) -> Iterator[Due]:
    rows = ConsentScan.objects.filter(Q(consent__ends_on__lte=cutoff) | Q(consent__revoked_at__date__lte=cutoff)) \
        .values_list("consent_id", "consent__recording_organization_id", "consent__person_id", "consent__ends_on",
                     "consent__revoked_at")
    for consent_id, org_id, person_id, ends_on, revoked_at in rows:
        ended = min(ends_on, timezone.localdate(revoked_at)) if revoked_at else ends_on
        if ended <= cutoff:
            yield Due(RetentionCategory.CONSENT_SCANS, "consent", consent_id, org_id, person_id, ended)


def due_on(today: datetime.date, years: dict[str, int] | None = None) -> dict[str, list[Due]]:
    """Every record due for destruction on ``today``, by category, under the rules' periods."""
    years = years or settings.RETENTION_YEARS
    cut: dict[str, datetime.date] = {category: years_before(today, years[category]) for category in RULES}
    return {
        RetentionCategory.NOTES: list(_interventions_due(RetentionCategory.NOTES, "notes", cut["notes"])),
        RetentionCategory.SUMMARIES: list(_interventions_due(RetentionCategory.SUMMARIES, "summary",
                                                             cut["summaries"])),
        RetentionCategory.REFERRAL_REASONS: list(_referrals_due(cut["referral_reasons"], today)),
        RetentionCategory.CONTACT: list(_persons_due(cut["contact"])),
        RetentionCategory.CONSENT_SCANS: list(_scans_due(cut["consent_scans"])),
    }


# ---- destroying, and keeping the fact ------------------------------------------------------------


def _ids(rows: Iterable[Due]) -> list[int]:
    return [d.record_id for d in rows]


def _destroy(category: str, rows: list[Due]) -> None:
    for start in range(0, len(rows), CHUNK):
        ids = _ids(rows[start:start + CHUNK])
        if category == RetentionCategory.NOTES:
            Intervention.objects.filter(pk__in=ids).update(notes="")
        elif category == RetentionCategory.SUMMARIES:
            Intervention.objects.filter(pk__in=ids).update(summary="")
        elif category == RetentionCategory.REFERRAL_REASONS:
            Referral.objects.filter(pk__in=ids).update(reason="")
            ReferralEvent.objects.filter(referral_id__in=ids).exclude(reason="").update(reason="")
        elif category == RetentionCategory.CONTACT:
            Person.objects.filter(pk__in=ids).update(phone="", phone_key="", email="", languages="")
        elif category == RetentionCategory.CONSENT_SCANS:
            ConsentScan.objects.filter(consent_id__in=ids).delete()


def retention_apply(*, today: datetime.date | None = None, dry_run: bool = False,
                    years: dict[str, int] | None = None) -> RetentionReport:
    """Destroy what the retention rules say is due on ``today`` and record each destruction's fact.

    A dry run finds the same records and changes nothing. Each category is destroyed in its own
    transaction, with its facts written in it: a fact is never kept for what was not destroyed.
    """
    today = today or timezone.localdate()
    years = years or settings.RETENTION_YEARS
    report = RetentionReport(applied_on=today, dry_run=dry_run, run=str(uuid.uuid4()))
    for category, rows in due_on(today, years).items():
        for due in rows:
            report.counts[(category, due.organization_id)] += 1
        if dry_run or not rows:
            continue
        rule = RULES[category].format(years=years[category])
        with transaction.atomic():
            _destroy(category, rows)
            DestructionRecord.objects.bulk_create([DestructionRecord(
                run=report.run, record_type=d.record_type, record_id=d.record_id, person_id=d.person_id,
                organization_id=d.organization_id, category=category, rule=rule[:200], counted_from=d.counted_from,
                applied_on=today) for d in rows], batch_size=CHUNK)
    if not dry_run and report.total:
        with transaction.atomic():
            audit_record(actor=None, action="retention.apply", object_type="people.destructionrecord",
                         object_id=report.run, object_label=f"conservation {today.isoformat()}",
                         after={"applied_on": today.isoformat(), "destroyed": report.by_category()})
    return report

