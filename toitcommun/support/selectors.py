"""The only way to reach interventions and referrals: scoped to the caller, and written to the access log.

An intervention's summary and notes are visible to the organization that wrote
them; another organization sees a person's interventions only while an active
consent grants it the category (``interventions`` for summaries, ``notes`` for
notes), and each separately. A referral is seen by the organization that sent it
(its outcome included) and by the receiving organization while the consent it was
sent under stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound, PermissionRefused
from toitcommun.organizations.models import Organization
from toitcommun.people.models import (
    CATEGORIES,
    AccessAction,
    AccessBasis,
    AccessLogEntry,
    AccessOutcome,
    Category,
    Consent,
    ConsentScan,
    Person,
    PersonFile,
)
from toitcommun.people.rules import support_organizations
from toitcommun.people.selectors import (
    PAGE_SIZE,
    PersonAccess,
    Read,
    active_consents,
    log_reads,
    person_accesses,
    person_seen,
    persons_visible_to,
)

from .models import (
    OPEN_STATES,
    REFERRAL_OVERDUE_DAYS,
    CaseReview,
    CaseReviewItem,
    CaseReviewNote,
    Intervention,
    Referral,
    ReferralEvent,
    ReferralState,
    open_referrals_q,
)

# ---- interventions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InterventionView:
    """An intervention as one caller sees it: ``summary`` / ``notes`` are None where hidden."""

    intervention: Intervention
    summary: str | None
    notes: str | None
    own: bool

    @property
    def categories(self) -> list[str]:
        return [c for c, v in ((Category.INTERVENTIONS, self.summary), (Category.NOTES, self.notes)) if v is not None]


def _intervention_view(intervention: Intervention, access: PersonAccess) -> InterventionView | None:
    own = intervention.organization_id in access.orgs
    if own:
        return InterventionView(intervention, intervention.summary, intervention.notes, True)
    summary = intervention.summary if Category.INTERVENTIONS in access.shared else None
    notes = intervention.notes if Category.NOTES in access.shared else None
    if summary is None and notes is None:
        return None
    return InterventionView(intervention, summary, notes, False)


def _intervention_read(view: InterventionView, access: PersonAccess, person_id: int) -> Read:
    return Read(record_type="intervention", record_id=view.intervention.pk, person_id=person_id,
                categories=view.categories,
                basis=AccessBasis.OWN_ORGANIZATION if view.own else AccessBasis.CONSENT,
                organization_id=view.intervention.organization_id if view.own else access.consent_organization_id,
                consent_id=None if view.own else access.consent_id)


def _visible_interventions_q(access: PersonAccess) -> Q:
    shown = Q(organization_id__in=access.orgs)
    if access.shared & {Category.INTERVENTIONS, Category.NOTES}:
        shown |= ~Q(organization_id__in=access.orgs)
    return shown


def interventions_of(user: Any, person_id: int, *, page: Any = 1, offset: int | None = None,
                     limit: int = PAGE_SIZE, action: str = AccessAction.LIST, log: bool = True,
                     seen: tuple[Person, PersonAccess] | None = None,
                     ) -> tuple[Person, PersonAccess, list[InterventionView], int]:
    """A page of a person's interventions the caller may see, each one logged."""
    person, access = person_seen(user, person_id, seen, action=action)
    rows = (Intervention.objects.filter(persons=person).filter(_visible_interventions_q(access))
            .select_related("organization", "worker").order_by("-date", "-id"))
    total = rows.count()
    start = offset if offset is not None else (max(int(page or 1), 1) - 1) * limit
    views = [v for v in (_intervention_view(i, access) for i in rows[start:start + limit]) if v is not None]
    if log:
        log_reads(user, action, [_intervention_read(v, access, person.pk) for v in views] or [access.read([])])
    return person, access, views, total


def interventions_written_by(user: Any) -> QuerySet[Intervention]:
    """Interventions the caller's organizations wrote (their own record, every field visible)."""
    orgs = support_organizations(user)
    return Intervention.objects.filter(organization_id__in=orgs)


# ---- referrals ---------------------------------------------------------------------------------


def _consent_active_q(prefix: str = "consent__", moment: datetime.datetime | None = None) -> Q:
    moment = moment or timezone.now()
    today = timezone.localdate(moment)
    return (Q(**{f"{prefix}starts_on__lte": today, f"{prefix}ends_on__gte": today})
            & (Q(**{f"{prefix}revoked_at__isnull": True}) | Q(**{f"{prefix}revoked_at__gt": moment})))


def referrals_visible_to(user: Any, moment: datetime.datetime | None = None) -> QuerySet[Referral]:
    """Referrals the caller's organizations sent, and those they receive while their consent stands."""
    orgs = support_organizations(user)
    if not orgs:
        return Referral.objects.none()
    received = Q(receiving_organization_id__in=orgs) & ~Q(state=ReferralState.DRAFT) & _consent_active_q(
        moment=moment)
    return (Referral.objects.filter(Q(sending_organization_id__in=orgs) | received)
            .filter(person__merged_into__isnull=True)
            .select_related("service", "sending_organization", "receiving_organization", "person", "consent"))


def _referral_read(referral: Referral, orgs: frozenset[int]) -> Read:
    sender = referral.sending_organization_id in orgs
    return Read(record_type="referral", record_id=referral.pk, person_id=referral.person_id,
                categories=[Category.REFERRALS],
                basis=AccessBasis.OWN_ORGANIZATION if sender else AccessBasis.REFERRAL,
                organization_id=referral.sending_organization_id if sender else referral.receiving_organization_id,
                consent_id=None if sender else referral.consent_id, referral_id=referral.pk)


def referral_get(user: Any, referral_id: int, *, action: str = AccessAction.VIEW, log: bool = True) -> Referral:
    """One referral the caller may see, with its events; NotFound otherwise (logged too)."""
    referral = referrals_visible_to(user).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor", "organization"))).filter(
        pk=referral_id).first()
    if referral is None:
        exists = Referral.objects.filter(pk=referral_id).values_list("person_id", flat=True).first()
        log_reads(user, action, [Read(record_type="referral", record_id=referral_id, person_id=exists,
                                      outcome=AccessOutcome.DENIED if exists else AccessOutcome.NOT_FOUND)])
        raise NotFound(_("Cette référence n'existe pas ou vous n'y avez pas accès."))
    if log:
        log_reads(user, action, [_referral_read(referral, support_organizations(user))])
    return referral


def referral_for_act(user: Any, referral_id: int) -> Referral:
    """A referral a service acts on, locked for the act; NotFound when the caller may not see it."""
    referral = referrals_visible_to(user).select_for_update(of=("self",)).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(_("Cette référence n'existe pas ou vous n'y avez pas accès."))
    return referral


def referrals_of(user: Any, person_id: int, *, action: str = AccessAction.LIST, log: bool = True,
                 seen: tuple[Person, PersonAccess] | None = None) -> list[Referral]:
    """A person's referrals the caller sees: its own and received ones, and, where an active consent
    grants ``referrals``, the others' state and outcome."""
    person, access = person_seen(user, person_id, seen, action=action)
    rows = Referral.objects.filter(person=person).select_related("service", "sending_organization",
                                                                 "receiving_organization")
    if Category.REFERRALS not in access.shared:
        rows = rows.filter(pk__in=referrals_visible_to(user).values("pk"))
    result = list(rows.order_by("-created_at", "-id")[:50])
    if not log:
        return result
    log_reads(user, action, [_referral_read(r, access.orgs) if (r.sending_organization_id in access.orgs
                                                                or r.receiving_organization_id in access.orgs)
                             else access.read([Category.REFERRALS], record_type="referral", record_id=r.pk)
                             for r in result])
    return result


def referrals_received(user: Any, *, page: Any = 1) -> Page:
    """Referrals sent to the caller's organizations (not drafts), open ones first; each logged."""
    orgs = support_organizations(user)
    rows = referrals_visible_to(user).filter(receiving_organization_id__in=orgs).order_by("-sent_at", "-id")
    result = Paginator(rows, PAGE_SIZE).get_page(page)
    log_reads(user, AccessAction.LIST, [_referral_read(r, orgs) for r in result.object_list])
    return result


DIRECTIONS = ("sent", "received")
# The most rows one CSV export of open referrals carries (an organization has far fewer open ones).
EXPORT_LIMIT = 5000


def referrals_open_past(user: Any, *, direction: str | None, days: int = REFERRAL_OVERDUE_DAYS,
                        moment: datetime.datetime | None = None) -> QuerySet[Referral]:
    """Referrals still open (sent and not expired, accepted, in progress) sent more than ``days`` ago,
    that the caller's organizations sent or received (``direction`` None: both), oldest first. Not logged:
    the callers log what they show."""
    moment = moment or timezone.now()
    orgs = support_organizations(user)
    side = Q(sending_organization_id__in=orgs) | Q(receiving_organization_id__in=orgs)
    if direction == "sent":
        side = Q(sending_organization_id__in=orgs)
    elif direction == "received":
        side = Q(receiving_organization_id__in=orgs)
    cutoff = moment - datetime.timedelta(days=days)
    return (referrals_visible_to(user, moment).filter(side, sent_at__lt=cutoff).filter(open_referrals_q(moment))
            .order_by("sent_at", "id"))


def referrals_open_past_page(user: Any, *, direction: str, days: int = REFERRAL_OVERDUE_DAYS,
                             page: Any = 1) -> Page:
    """The report's page of one direction (sent or received), each referral shown logged."""
    result = Paginator(referrals_open_past(user, direction=direction, days=days), PAGE_SIZE).get_page(page)
    log_reads(user, AccessAction.LIST, [_referral_read(r, support_organizations(user)) for r in result.object_list])
    return result


def referrals_open_past_export(user: Any, *, days: int = REFERRAL_OVERDUE_DAYS) -> list[tuple[str, Referral]]:
    """Every open referral past ``days`` the caller's organizations sent or received (at most EXPORT_LIMIT
    of each), for a CSV file: each one logged as exported."""
    rows = [(direction, r) for direction in DIRECTIONS
            for r in referrals_open_past(user, direction=direction, days=days)[:EXPORT_LIMIT]]
    orgs = support_organizations(user)
    log_reads(user, AccessAction.EXPORT, [_referral_read(r, orgs) for _d, r in rows])
    return rows


def referral_slice(user: Any, *, open_over_days: int | None = None, direction: str | None = None,
                   offset: int = 0, limit: int = PAGE_SIZE) -> tuple[list[Referral], int]:
    """The API's list: the referrals the caller sees (sent, received), or only those open past
    ``open_over_days``; one slice and the total, each one shown logged."""
    orgs = support_organizations(user)
    if open_over_days is not None:
        rows = referrals_open_past(user, direction=direction, days=open_over_days)
    else:
        rows = referrals_visible_to(user)
        if direction == "sent":
            rows = rows.filter(sending_organization_id__in=orgs)
        elif direction == "received":
            rows = rows.filter(receiving_organization_id__in=orgs).exclude(state=ReferralState.DRAFT)
        rows = rows.order_by("-created_at", "-id")
    result = list(rows[offset:offset + limit])
    log_reads(user, AccessAction.LIST, [_referral_read(r, orgs) for r in result])
    return result, rows.count()


# ---- the worker's caseload ---------------------------------------------------------------------


@dataclass
class Caseload:
    people: list[Person]
    due_this_week: list[Any]
    overdue: list[Any]
    recent: list[Any]
    open_past: list[Referral]
    accesses: dict[int, PersonAccess]
    received_open_past: list[Referral]


@dataclass(frozen=True)
class NamedPerson:
    """A person as a caseload line names them: enough for a link, nothing more."""

    pk: int
    first_name: str
    last_name: str


CASELOAD_INTERVENTION_FIELDS = ("id", "organization_id", "worker_id", "date", "duration_minutes", "category",
                                "follow_up_on", "group_label")


def _name_persons(interventions: Iterable[Intervention], visible: QuerySet[Person]) -> dict[int, list[NamedPerson]]:
    """The persons each intervention concerns that the caller may see, by intervention, in two queries for
    all of them (the links, then the visible persons among them); each one is also given them as ``named``."""
    items = list(interventions)  # one intervention may be in two lists, as two instances: each is given its names
    links = list(Intervention.persons.through.objects.filter(intervention_id__in={i.pk for i in items})
                 .values_list("intervention_id", "person_id").order_by("intervention_id", "person_id"))
    names = {pk: NamedPerson(pk, first, last) for pk, first, last in visible.filter(
        pk__in={person_id for _i, person_id in links}).values_list("id", "first_name", "last_name")}
    named: dict[int, list[NamedPerson]] = {i.pk: [] for i in items}
    for intervention_id, person_id in links:
        if person_id in names:
            named[intervention_id].append(names[person_id])
    for persons in named.values():
        persons.sort(key=lambda p: (p.last_name, p.first_name, p.pk))
    for item in items:
        setattr(item, "named", named[item.pk])  # noqa: B010 (the template reads it from the intervention)
    return named


def caseload(user: Any, moment: datetime.datetime | None = None) -> Caseload:
    """A worker's page: the people they follow, follow-ups due this week and overdue, recent
    interventions, open referrals past 30 days. Everything shown is logged, in one insert.

    An intervention's persons are in ``named`` (only those the caller may see). The page shows no
    summary or note, so none is read.
    """
    moment = moment or timezone.now()
    today = timezone.localdate(moment)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    orgs = support_organizations(user)
    mine = Intervention.objects.filter(worker=user, organization_id__in=orgs).only(*CASELOAD_INTERVENTION_FIELDS)
    visible = persons_visible_to(user, moment=moment)
    followed_ids = mine.filter(date__gte=today - datetime.timedelta(days=365)).values("persons")
    people = list(visible.filter(pk__in=followed_ids).order_by("last_name", "first_name", "id")[:PAGE_SIZE])
    later = Intervention.objects.filter(worker=user, date__gt=OuterRef("date"),
                                        persons__in=OuterRef("persons")).values("pk")
    due = list(mine.filter(follow_up_on__gte=today, follow_up_on__lte=week_end)
               .order_by("follow_up_on", "id")[:PAGE_SIZE])
    overdue = list(mine.filter(follow_up_on__lt=today, follow_up_on__gte=today - datetime.timedelta(days=90))
                   .annotate(done=Exists(later)).filter(done=False).distinct()
                   .order_by("follow_up_on", "id")[:PAGE_SIZE])
    recent = list(mine.filter(date__lte=today).order_by("-date", "-id")[:10])
    named = _name_persons((*due, *overdue, *recent), visible)
    shown = {i.pk: i for i in (*due, *overdue, *recent)}
    open_sent, open_received = (list(_open_past_lines(user, direction, moment)) for direction in ("sent", "received"))
    accesses = person_accesses(user, [p.pk for p in people], moment)
    reads = [accesses[p.pk].read([Category.IDENTITY]) for p in people]
    for item in shown.values():
        reads.append(Read(record_type="intervention", record_id=item.pk,
                          person_id=named[item.pk][0].pk if named[item.pk] else None,
                          categories=[Category.INTERVENTIONS], basis=AccessBasis.OWN_ORGANIZATION,
                          organization_id=item.organization_id))
    reads += [_referral_read(r, orgs) for r in (*open_sent, *open_received)]
    log_reads(user, AccessAction.LIST, reads)
    return Caseload(people, due, overdue, recent, open_sent, accesses, open_received)


def _open_past_lines(user: Any, direction: str, moment: datetime.datetime) -> QuerySet[Referral]:
    """The caseload's first 20 open referrals past 30 days in one direction, with only what a line shows
    (the service, both organizations, the state and its dates): no reason, person or consent is read."""
    return (referrals_open_past(user, direction=direction, moment=moment)
            .select_related(None).select_related("service", "sending_organization", "receiving_organization")
            .only("id", "person_id", "consent_id", "state", "sent_at", "service__name", "sending_organization__name",
                  "receiving_organization__name")[:PAGE_SIZE])


def open_states() -> tuple[str, ...]:
    return tuple(OPEN_STATES)


# ---- the working committee's case reviews ------------------------------------------------------


def case_reviews_visible_to(user: Any) -> QuerySet[CaseReview]:
    """The case reviews at which one of the caller's organizations is present (no one else sees them)."""
    orgs = support_organizations(user)
    if not orgs:
        return CaseReview.objects.none()
    present = CaseReview.organizations.through.objects.filter(organization_id__in=orgs).values("casereview_id")
    return CaseReview.objects.filter(pk__in=present).select_related("convening_organization")


def case_review_page(user: Any, *, page: Any = 1) -> Page:
    """A page of the reviews the caller's organizations attend, newest first, with their number of persons.

    Names no one: nothing is written to the access log.
    """
    rows = (case_reviews_visible_to(user).annotate(item_count=Count("items"))
            .prefetch_related("organizations").order_by("-held_on", "-id"))
    return Paginator(rows, PAGE_SIZE).get_page(page)


def case_review_slice(user: Any, *, offset: int = 0, limit: int = PAGE_SIZE) -> tuple[list[CaseReview], int]:
    """The API's reading of the same list: one slice and the total."""
    rows = (case_reviews_visible_to(user).annotate(item_count=Count("items"))
            .prefetch_related("organizations").order_by("-held_on", "-id"))
    return list(rows[offset:offset + limit]), rows.count()


def consent_gaps(person_ids: Any, organization_ids: Any, categories: Any,
                 moment: datetime.datetime | None = None) -> dict[int, list[tuple[int, str]]]:
    """For each person, the (organization, category) pairs that no active consent covers.

    An organization holding the person's file needs no consent for them. Two queries, whatever
    the number of persons. An empty list for a person means the review may show them.
    """
    ids, orgs = set(person_ids), sorted(set(organization_ids))
    wanted = [c for c in CATEGORIES if c in set(categories)]
    if not ids:
        return {}
    holders = set(PersonFile.objects.filter(person_id__in=ids, organization_id__in=orgs)
                  .values_list("person_id", "organization_id"))
    covered: set[tuple[int, int, str]] = set()
    for person_id, org_id, *granted in (active_consents(moment).filter(person_id__in=ids,
                                                                       receiving_organizations__in=orgs)
                                        .values_list("person_id", "receiving_organizations", *CATEGORIES)):
        covered.update((person_id, org_id, c) for c, g in zip(CATEGORIES, granted, strict=True) if g)
    return {pk: [(org, c) for org in orgs if (pk, org) not in holders for c in wanted
                 if (pk, org, c) not in covered] for pk in ids}


@dataclass(frozen=True)
class ReviewItemView:
    """A person on a review as one caller sees it.

    ``in_force``: the consent rule still holds for every organization present. ``named``: the caller
    sees who it is (the rule holds, or their organization holds the file). A withdrawn item seen by
    another organization carries neither name nor notes.
    """

    item: CaseReviewItem
    in_force: bool
    named: bool
    notes: list[CaseReviewNote]

    @property
    def person(self) -> Person | None:
        return self.item.person if self.named else None


def _review_or_404(user: Any, review_id: int, action: str) -> CaseReview:
    review = case_reviews_visible_to(user).prefetch_related("organizations").filter(pk=review_id).first()
    if review is None:
        exists = CaseReview.objects.filter(pk=review_id).exists()
        log_reads(user, action, [Read(record_type="case_review", record_id=review_id, person_id=None,
                                      outcome=AccessOutcome.DENIED if exists else AccessOutcome.NOT_FOUND)])
        raise NotFound(_("Cette revue de cas n'existe pas ou vous n'y avez pas accès."))
    return review


def case_review_get(user: Any, review_id: int, *, item_id: int | None = None, action: str = AccessAction.VIEW,
                    moment: datetime.datetime | None = None) -> tuple[CaseReview, list[ReviewItemView]]:
    """A review with its persons (or the one ``item_id`` names) as the caller may see them, the consent
    rule checked again now.

    One access-log line per person shown by name; a withdrawn person shown to another organization
    without a name is not a read of their record.
    """
    review = _review_or_404(user, review_id, action)
    notes = Prefetch("review_notes", queryset=CaseReviewNote.objects.select_related("organization", "author"))
    rows = review.items.filter(person__merged_into__isnull=True)
    if item_id is not None:
        rows = rows.filter(pk=item_id)
    items = list(rows.select_related("person", "added_by_organization").prefetch_related(notes)
                 .order_by("added_at", "id"))
    if item_id is not None and not items:
        raise NotFound(_("Cette personne n'est pas sur la liste de cette revue."))
    person_ids = [i.person_id for i in items]
    present = {o.pk for o in review.organizations.all()}
    gaps = consent_gaps(person_ids, present, review.categories, moment)
    accesses = person_accesses(user, person_ids, moment)
    views, reads = [], []
    for item in items:
        access = accesses[item.person_id]
        in_force = not gaps.get(item.person_id)
        named = in_force or access.own
        shown_notes = [n for n in item.review_notes.all() if in_force or (named and n.organization_id in access.orgs)]
        views.append(ReviewItemView(item, in_force, named, shown_notes))
        if named:
            reads.append(access.read(review.categories if in_force else [Category.IDENTITY],
                                     record_type="case_review_item", record_id=item.pk))
    log_reads(user, action, reads)
    return review, views


def case_review_for_act(user: Any, review_id: int) -> CaseReview:
    """A review a service acts on (add a person, write a note): one the caller's organization attends."""
    review = case_reviews_visible_to(user).prefetch_related("organizations").filter(pk=review_id).first()
    if review is None:
        raise NotFound(_("Cette revue de cas n'existe pas ou vous n'y avez pas accès."))
    return review


def case_review_item_for_act(user: Any, review: CaseReview, item_id: int) -> CaseReviewItem:
    item = review.items.filter(pk=item_id, person__merged_into__isnull=True).first()
    if item is None:
        raise NotFound(_("Cette personne n'est pas sur la liste de cette revue."))
    return item


# ---- a person's complete file, on their request (right of access) --------------------------------


def _d(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def file_organizations(user: Any, person_id: int) -> list[int]:
    """The organizations holding a file on the person for which the caller may answer their request:
    those the caller works for, and those whose privacy officer the caller is."""
    from toitcommun.people.privacy import privacy_organizations

    orgs = support_organizations(user) | privacy_organizations(user)
    if not orgs:
        return []
    return sorted(PersonFile.objects.filter(person_id=person_id, organization_id__in=orgs,
                                            person__merged_into__isnull=True)
                  .values_list("organization_id", flat=True))


def person_complete_file(user: Any, person_id: int, *, action: str = AccessAction.EXPORT) -> dict[str, Any]:
    """Everything the system holds about a person that the requesting organization may give them.

    The requesting organization is the caller's (as staff, worker or privacy officer) that holds the
    person's file. It gives its own records: the person's identity and housing, all their consents,
    the interventions it wrote (a collective one counts the other persons, never names them), the
    referrals it sent or received with their steps, and who read the file (organizations, never
    the readers' names). Another organization answers for its own records. Anyone else gets
    NotFound, logged. Every record given is written to the access log with ``action``.
    """
    orgs = file_organizations(user, person_id)
    if not orgs:
        exists = Person.objects.filter(pk=person_id).exists()
        log_reads(user, action, [Read(record_type="person_file", record_id=person_id, person_id=person_id,
                                      outcome=AccessOutcome.DENIED if exists else AccessOutcome.NOT_FOUND)])
        raise NotFound(_("Cette personne n'existe pas ou vous n'y avez pas accès."))
    org_id = orgs[0]
    person = Person.objects.select_related("building", "building__municipality").get(pk=person_id)
    organization = Organization.objects.get(pk=org_id)
    opened = PersonFile.objects.filter(person_id=person_id, organization_id=org_id).values_list(
        "opened_at", flat=True).first()
    own = Read(record_type="person", record_id=person_id, person_id=person_id, categories=CATEGORIES,
               basis=AccessBasis.OWN_ORGANIZATION, organization_id=org_id)
    reads = [own]

    consents = list(Consent.objects.filter(person_id=person_id).select_related("recording_organization")
                    .prefetch_related("receiving_organizations").order_by("starts_on", "id"))
    scanned = set(ConsentScan.objects.filter(consent__person_id=person_id).values_list("consent_id", flat=True))
    reads += [replace(own, record_type="consent", record_id=c.pk, categories=c.categories) for c in consents]

    # The subquery, not a join on persons: the count must see every person the intervention names.
    naming = Intervention.objects.filter(persons__pk=person_id).values("pk")
    interventions = list(Intervention.objects.filter(pk__in=naming, organization_id=org_id)
                         .select_related("worker").annotate(persons_named=Count("persons", distinct=True))
                         .order_by("date", "id"))
    reads += [replace(own, record_type="intervention", record_id=i.pk,
                      categories=[Category.INTERVENTIONS, Category.NOTES]) for i in interventions]

    referrals = list(Referral.objects.filter(person_id=person_id)
                     .filter(Q(sending_organization_id=org_id) | Q(receiving_organization_id=org_id))
                     .select_related("service", "sending_organization", "receiving_organization")
                     .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related(
                         "organization"))).order_by("created_at", "id"))
    reads += [replace(own, record_type="referral", record_id=r.pk, categories=[Category.REFERRALS],
                      referral_id=r.pk) for r in referrals]

    log_rows = list(AccessLogEntry.objects.filter(person_id=person_id).exclude(record_type="access_log")
                    .order_by("at", "id").values_list("at", "organization__name", "record_type", "record_id",
                                                      "action", "categories", "basis", "outcome"))
    reads.append(replace(own, record_type="access_log", record_id=None, categories=()))

    def category_list(codes: Iterable[str]) -> list[str]:
        return [c for c in CATEGORIES if c in set(codes)]

    result = {
        "format": "toitcommun.person_file.v1",
        "generated_at": timezone.now().isoformat(),
        "organization": {"id": organization.pk, "name": organization.name},
        "person": {
            "id": person.pk, "first_name": person.first_name, "last_name": person.last_name,
            "phone": person.phone, "email": person.email, "languages": person.languages,
            "building": person.building.name if person.building else None,
            "municipality": person.building.municipality.name if person.building else None,
            "unit": person.unit, "clientele": person.clientele, "household_id": person.household_id,
            "file_opened_at": _d(opened), "registered_at": _d(person.created_at),
        },
        "consents": [{
            "id": c.pk, "recording_organization": c.recording_organization.name,
            "receiving_organizations": sorted(o.name for o in c.receiving_organizations.all()),
            "categories": c.categories, "purpose": c.purpose, "given_by": c.given_by,
            "given_by_name": c.given_by_name, "method": c.method, "witness_name": c.witness_name,
            "legal_basis": c.legal_basis, "starts_on": _d(c.starts_on), "ends_on": _d(c.ends_on),
            "status": c.status(), "revoked_at": _d(c.revoked_at), "revocation_method": c.revocation_method,
            "revocation_reason": c.revocation_reason, "signed_form_attached": c.pk in scanned,
        } for c in consents],
        "interventions": [{
            "id": i.pk, "date": _d(i.date), "duration_minutes": i.duration_minutes, "category": i.category,
            "mode": i.mode, "worker": i.worker.get_full_name() or i.worker.get_username(),
            "other_persons": max(i.persons_named - 1, 0), "summary": i.summary, "notes": i.notes,
            "follow_up_on": _d(i.follow_up_on),
        } for i in interventions],
        "referrals": [{
            "id": r.pk, "service": r.service.name, "sending_organization": r.sending_organization.name,
            "receiving_organization": r.receiving_organization.name, "reason": r.reason,
            "state": r.effective_state(), "outcome": r.outcome, "sent_at": _d(r.sent_at),
            "events": [{"at": _d(e.at), "organization": e.organization.name if e.organization else None,
                        "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason}
                       for e in r.events.all()],
        } for r in referrals],
        "access_log": [{
            "at": _d(at), "organization": org_name, "record_type": record_type, "record_id": record_id,
            "action": act, "categories": category_list(categories.split(",")), "basis": basis, "outcome": outcome,
        } for at, org_name, record_type, record_id, act, categories, basis, outcome in log_rows],
    }
    log_reads(user, action, reads)
    return result


# ---- counts for research (de-identified aggregates only) ---------------------------------------


def research_counts(user: Any, *, year: int) -> dict[str, list[tuple[Any, ...]]]:
    """The raw counts behind the research tables of one year: never a row, a name or a text.

    Only a researcher gets them (PermissionRefused otherwise), and only through
    ``support.research``, which suppresses the small cells before anything is shown. A person
    is placed in the MRC of their building; an intervention in that of its building, else of the
    persons it names (a collective one reaching two MRCs counts in each).
    """
    from toitcommun.access import rules as access_rules
    from toitcommun.access.models import Role

    if not access_rules.has_role(user, [Role.RESEARCHER]):
        raise PermissionRefused(_("Seuls les chercheurs et chercheuses consultent les données de recherche."))
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_year = Intervention.objects.filter(date__gte=start, date__lte=end)
    by_building = list(in_year.filter(building__isnull=False).annotate(month=TruncMonth("date"))
                       .values_list("building__municipality__mrc__code", "month", "category")
                       .annotate(n=Count("pk")).order_by())
    through = Intervention.persons.through
    by_person = list(through.objects.filter(intervention__in=in_year.filter(building__isnull=True))
                     .annotate(month=TruncMonth("intervention__date"))
                     .values_list("person__building__municipality__mrc__code", "month",  # type: ignore[misc]
                                  "intervention__category")
                     .annotate(n=Count("intervention_id", distinct=True)).order_by())
    reached = list(through.objects.filter(intervention__in=in_year)
                   .annotate(month=TruncMonth("intervention__date"))
                   .values_list("person__building__municipality__mrc__code", "month")  # type: ignore[misc]
                   .annotate(n=Count("person_id", distinct=True)).order_by())
    reached_year = list(through.objects.filter(intervention__in=in_year)
                        .values_list("person__building__municipality__mrc__code")
                        .annotate(n=Count("person_id", distinct=True)).order_by())
    referrals = list(Referral.objects.filter(state=ReferralState.CLOSED, sent_at__date__gte=start,
                                             sent_at__date__lte=end)
                     .values_list("person__building__municipality__mrc__code", "outcome")
                     .annotate(n=Count("pk")).order_by())
    return {"interventions": by_building + by_person, "reached": reached, "reached_year": reached_year,
            "referrals": referrals}
