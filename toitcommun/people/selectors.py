"""The only way to reach persons and consents: scoped to the caller, and written to the access log.

Who sees what:

- an organization that holds a file on a person (it registered them) sees their
  identity and housing, and everything it wrote itself;
- another organization sees exactly the categories that an active consent (started,
  not ended, not revoked — computed at each request) grants it, and nothing after;
- everyone else (researchers, coordinators, tenants' representatives, administrators
  without an organization) sees nothing personal.

A record the caller may not see is ``NotFound``, whether it exists or not. Every read
writes one access-log line per record in the same request: a page of 20 writes 20.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.territory.text import fold

from .models import (
    CATEGORIES,
    AccessAction,
    AccessBasis,
    AccessLogEntry,
    AccessOutcome,
    Category,
    Consent,
    DuplicateSuspect,
    Household,
    Person,
    PersonFile,
)
from .rules import support_organizations

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100

# ---- the access log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One read to log: which record, what it returned, on what basis, with what outcome."""

    record_type: str
    record_id: int | None
    person_id: int | None
    categories: Iterable[str] = ()
    basis: str = AccessBasis.NONE
    organization_id: int | None = None
    consent_id: int | None = None
    referral_id: int | None = None
    outcome: str = AccessOutcome.ALLOWED


def log_reads(user: Any, action: str, reads: Sequence[Read]) -> None:
    """Write one access-log line per read, in one statement. Ids and codes only: no content, no names.

    A plain INSERT run for every row (``executemany``) in one transaction: the same rows as
    ``bulk_create`` would write, without building a model instance and compiling each field of
    each row (a caseload logs a hundred reads, and this was a fifth of its time).
    """
    if not reads:
        return
    actor_id = user.pk if getattr(user, "is_authenticated", False) else None
    fallback = min(support_organizations(user), default=None)
    at = _LOG_AT.get_db_prep_save(timezone.now(), connection)
    rows = [(at, actor_id, read.organization_id or fallback, read.person_id, read.record_type, read.record_id,
             ",".join(c for c in CATEGORIES if c in set(read.categories)), action, read.basis, read.consent_id,
             read.referral_id, read.outcome) for read in reads]
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model, values bound)
        quote(AccessLogEntry._meta.db_table), ", ".join(quote(c) for c in _LOG_COLUMNS),
        ", ".join(["%s"] * len(_LOG_COLUMNS)))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(insert, rows)


# The access log's columns, in the order log_reads gives their values.
_LOG_COLUMNS = ("at", "user_id", "organization_id", "person_id", "record_type", "record_id", "categories", "action",
                "basis", "consent_id", "referral_id", "outcome")
_LOG_AT = AccessLogEntry._meta.get_field("at")


# ---- what a caller may see of a person --------------------------------------------------------


@dataclass(frozen=True)
class PersonAccess:
    """What one caller may see of one person, now, and why.

    ``own``: one of the caller's organizations holds a file on the person.
    ``shared``: the categories active consents grant the caller's organizations.
    """

    person_id: int
    own_organization_id: int | None
    shared: frozenset[str]
    consent_id: int | None
    consent_organization_id: int | None
    orgs: frozenset[int] = field(default_factory=frozenset)

    @property
    def own(self) -> bool:
        return self.own_organization_id is not None

    @property
    def visible(self) -> bool:
        return self.own or bool(self.shared)

    @property
    def categories(self) -> frozenset[str]:
        """The categories of the person's record this caller sees (own files show all they wrote)."""
        if self.own:
            return frozenset(CATEGORIES)
        return self.shared

    def sees(self, category: str) -> bool:
        return category in self.categories

    @property
    def basis(self) -> str:
        if self.own:
            return AccessBasis.OWN_ORGANIZATION
        return AccessBasis.CONSENT if self.shared else AccessBasis.NONE

    @property
    def organization_id(self) -> int | None:
        return self.own_organization_id or self.consent_organization_id

    def read(self, categories: Iterable[str] | None = None, *, record_type: str = "person",
             record_id: int | None = None, basis: str | None = None, referral_id: int | None = None) -> Read:
        own_basis = (basis or self.basis) == AccessBasis.OWN_ORGANIZATION
        return Read(
            record_type=record_type, record_id=self.person_id if record_id is None else record_id,
            person_id=self.person_id, categories=self.categories if categories is None else categories,
            basis=basis or self.basis, organization_id=self.organization_id,
            consent_id=None if own_basis else self.consent_id, referral_id=referral_id,
        )


def active_consents(moment: datetime.datetime | None = None) -> QuerySet[Consent]:
    return Consent.objects.active_on(moment)


def person_accesses(user: Any, person_ids: Iterable[int],
                    moment: datetime.datetime | None = None) -> dict[int, PersonAccess]:
    """What the caller may see of each person, in two queries whatever their number."""
    ids = set(person_ids)
    orgs = support_organizations(user)
    if not ids or not orgs:
        return {pk: PersonAccess(pk, None, frozenset(), None, None, orgs) for pk in ids}
    own: dict[int, int] = {}
    for person_id, org_id in PersonFile.objects.filter(person_id__in=ids, organization_id__in=orgs).values_list(
            "person_id", "organization_id").order_by("organization_id"):
        own.setdefault(person_id, org_id)
    shared: dict[int, set[str]] = defaultdict(set)
    basis: dict[int, tuple[int, int]] = {}
    rows = (active_consents(moment).filter(person_id__in=ids, receiving_organizations__in=orgs)
            .values_list("id", "person_id", "receiving_organizations", *CATEGORIES).order_by("-starts_on", "-id"))
    for consent_id, person_id, org_id, *granted in rows:
        shared[person_id].update(c for c, g in zip(CATEGORIES, granted, strict=True) if g)
        basis.setdefault(person_id, (consent_id, org_id))
    result = {}
    for pk in ids:
        consent_id, consent_org = basis.get(pk, (None, None))
        result[pk] = PersonAccess(pk, own.get(pk), frozenset(shared.get(pk, ())), consent_id, consent_org, orgs)
    return result


def person_access(user: Any, person_id: int, moment: datetime.datetime | None = None) -> PersonAccess:
    return person_accesses(user, [person_id], moment)[person_id]


def _visible_q(orgs: Iterable[int], moment: datetime.datetime | None = None, *, identity: bool = False) -> Q:
    orgs = list(orgs)
    own = PersonFile.objects.filter(person=OuterRef("pk"), organization_id__in=orgs)
    shared = active_consents(moment).filter(person=OuterRef("pk"), receiving_organizations__in=orgs)
    if identity:
        shared = shared.filter(identity=True)
    return Q(Exists(own)) | Q(Exists(shared))


def persons_visible_to(user: Any, *, identity: bool = True,
                       moment: datetime.datetime | None = None) -> QuerySet[Person]:
    """The persons the caller may see: their organizations' files, and what active consents share.

    With ``identity`` (lists and search), only those whose name the caller may see.
    """
    orgs = support_organizations(user)
    if not orgs:
        return Person.objects.none()
    return (Person.objects.filter(merged_into__isnull=True).filter(_visible_q(orgs, moment, identity=identity))
            .select_related("building"))


def persons_on_files_of(organization_ids: Iterable[int]) -> QuerySet[Person]:
    """The persons on whom these organizations hold a file (for naming attendance at their activities).

    The caller has already decided that the user acts for these organizations.
    """
    held = PersonFile.objects.filter(organization_id__in=list(organization_ids)).values("person_id")
    return Person.objects.filter(merged_into__isnull=True, pk__in=held).order_by("last_name", "first_name", "id")


def person_search_text(q: str) -> str:
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed({"q": [_("La recherche est trop longue (%(max)s caractères au plus).")
                                      % {"max": MAX_QUERY_LENGTH}]})
    return q


def person_search(user: Any, *, q: str = "", page: int = 1, offset: int | None = None,
                  limit: int = PAGE_SIZE) -> tuple[list[tuple[Person, PersonAccess]], int]:
    """A page of the persons the caller may name, matching ``q`` (name or phone); each one logged.

    Returns the rows with what the caller may see of each, and the total count.
    """
    q = person_search_text(q)
    persons = persons_visible_to(user)
    if q:
        key = fold(q)
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(name_key__contains=key)
        if len(digits) >= 4:
            match |= Q(phone_key__contains=digits)
        persons = persons.filter(match)
    total = persons.count()
    start = offset if offset is not None else (max(page, 1) - 1) * limit
    rows = list(persons[start:start + limit])
    accesses = person_accesses(user, [p.pk for p in rows])
    log_reads(user, AccessAction.SEARCH if q else AccessAction.LIST,
              [accesses[p.pk].read(_listed(accesses[p.pk])) for p in rows])
    return [(p, accesses[p.pk]) for p in rows], total


def _listed(access: PersonAccess) -> list[str]:
    """What a row of a list shows: the name, and the building when housing is shared."""
    return [c for c in (Category.IDENTITY, Category.HOUSING) if access.sees(c)]


def person_page(user: Any, *, q: str = "", page: Any = 1) -> tuple[Page, dict[int, PersonAccess]]:
    """The people list page: a page of persons (paginated), each logged."""
    q = person_search_text(q)
    persons = persons_visible_to(user)
    if q:
        key = fold(q)
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(name_key__contains=key)
        if len(digits) >= 4:
            match |= Q(phone_key__contains=digits)
        persons = persons.filter(match)
    paginator = Paginator(persons, PAGE_SIZE)
    result = paginator.get_page(page)
    accesses = person_accesses(user, [p.pk for p in result.object_list])
    log_reads(user, AccessAction.SEARCH if q else AccessAction.LIST,
              [accesses[p.pk].read(_listed(accesses[p.pk])) for p in result.object_list])
    return result, accesses


def person_get(user: Any, person_id: int, *, action: str = AccessAction.VIEW,
               log: bool = True) -> tuple[Person, PersonAccess]:
    """One person the caller may see, with what they may see of them; NotFound otherwise (logged too)."""
    person = Person.objects.select_related("building", "building__municipality", "household").filter(
        pk=person_id, merged_into__isnull=True).first()
    access = person_access(user, person_id)
    if person is None or not access.visible:
        log_reads(user, action, [Read(record_type="person", record_id=person_id, person_id=person_id,
                                      outcome=AccessOutcome.DENIED if person else AccessOutcome.NOT_FOUND)])
        raise NotFound(_("Cette personne n'existe pas ou vous n'y avez pas accès."))
    if log:
        log_reads(user, action, [access.read()])
    return person, access


def person_seen(user: Any, person_id: int, seen: tuple[Person, PersonAccess] | None, *,
                action: str = AccessAction.VIEW) -> tuple[Person, PersonAccess]:
    """The person and access a page already read with ``person_get`` for this caller, or read them now.

    A page that shows a person's consents, interventions and referrals reads the person once and hands
    it to each selector, instead of each reading it again (three queries each).
    """
    if seen is not None and seen[0].pk == person_id and seen[1].orgs == support_organizations(user):
        return seen
    return person_get(user, person_id, action=action, log=False)


def person_for_act(user: Any, person_id: int, *, identity: bool = True) -> tuple[Person, PersonAccess]:
    """A person a service acts on: visible to the caller (by name, unless ``identity`` is off), else NotFound.

    Not a read: nothing is shown, so nothing is logged.
    """
    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    access = person_access(user, person_id)
    if person is None or not (access.sees(Category.IDENTITY) if identity else access.visible):
        raise NotFound(_("Cette personne n'existe pas ou vous n'y avez pas accès."))
    return person, access


# ---- consents ---------------------------------------------------------------------------------


def consents_of(user: Any, person_id: int, *, action: str = AccessAction.LIST, log: bool = True,
                seen: tuple[Person, PersonAccess] | None = None) -> tuple[Person, list[Consent]]:
    """A person's consents as the caller may see them: all of them for an organization holding their
    file, else the active ones naming the caller's organizations. Each one logged."""
    person, access = person_seen(user, person_id, seen, action=action)
    consents: Any = Consent.objects.filter(person=person).select_related(
        "recording_organization", "recorded_by", "revoked_by").prefetch_related("receiving_organizations")
    if not access.own:
        consents = active_consents().filter(person=person, receiving_organizations__in=access.orgs).distinct()
        consents = consents.select_related("recording_organization", "recorded_by", "revoked_by").prefetch_related(
            "receiving_organizations")
    rows = list(consents.order_by("-starts_on", "-id"))
    if log:
        log_reads(user, action, [access.read(c.categories, record_type="consent", record_id=c.pk) for c in rows]
                  or [access.read([])])
    return person, rows


def consent_get(user: Any, consent_id: int, *, action: str = AccessAction.VIEW) -> tuple[Consent, PersonAccess]:
    """One consent: the organization holding the person's file sees it; one it names, while it is active."""
    consent = Consent.objects.select_related("person", "recording_organization", "recorded_by").prefetch_related(
        "receiving_organizations").filter(pk=consent_id).first()
    access = person_access(user, consent.person_id) if consent else None
    named = consent is not None and access is not None and consent.is_active() and bool(
        {o.pk for o in consent.receiving_organizations.all()} & access.orgs)
    if consent is None or access is None or not (access.own or named) or consent.person.merged_into_id:
        log_reads(user, action, [Read(record_type="consent", record_id=consent_id,
                                      person_id=consent.person_id if consent else None,
                                      outcome=AccessOutcome.DENIED if consent else AccessOutcome.NOT_FOUND)])
        raise NotFound(_("Ce consentement n'existe pas ou vous n'y avez pas accès."))
    log_reads(user, action, [access.read(consent.categories, record_type="consent", record_id=consent.pk)])
    return consent, access


def consent_for_act(user: Any, consent_id: int) -> Consent:
    """A consent a service acts on (revocation): one held by an organization of the caller, else NotFound."""
    consent = Consent.objects.select_related("person").filter(pk=consent_id).first()
    if consent is None:
        raise NotFound(_("Ce consentement n'existe pas ou vous n'y avez pas accès."))
    access = person_access(user, consent.person_id)
    if not (access.own or consent.recording_organization_id in access.orgs):
        raise NotFound(_("Ce consentement n'existe pas ou vous n'y avez pas accès."))
    return consent


def possible_duplicates(user: Any, person: Person) -> list[Person]:
    """Other persons the caller may name that look like this one (same name and building, or same phone)."""
    match = Q(name_key=person.name_key, building_id=person.building_id) if person.building_id else Q(pk__in=[])
    if person.phone_key:
        match |= Q(phone_key=person.phone_key)
    return list(persons_visible_to(user).filter(match).exclude(pk=person.pk)[:10])


# ---- suspected duplicates ---------------------------------------------------------------------


def _duplicates_visible_to(user: Any) -> QuerySet[DuplicateSuspect]:
    """Open suspicions where the caller's organizations hold one file and may name both persons.

    A look-alike the caller may not name (another organization's tenant, unshared) is never listed.
    """
    orgs = support_organizations(user)
    if not orgs:
        return DuplicateSuspect.objects.none()
    held = PersonFile.objects.filter(organization_id__in=orgs).values("person_id")
    named = persons_visible_to(user).values("pk")
    return (DuplicateSuspect.objects.filter(resolved_at__isnull=True)
            .filter(Q(person_id__in=held) | Q(other_id__in=held))
            .filter(person_id__in=named, other_id__in=named)
            .select_related("person", "person__building", "other", "other__building"))


def duplicate_page(user: Any, *, page: Any = 1) -> tuple[Page, dict[int, PersonAccess]]:
    """A page of the suspected duplicates of the caller's persons, each person shown logged."""
    result = Paginator(_duplicates_visible_to(user).order_by("-found_at", "-id"), PAGE_SIZE).get_page(page)
    ids = {pk for d in result.object_list for pk in (d.person_id, d.other_id)}
    accesses = person_accesses(user, ids)
    log_reads(user, AccessAction.LIST, [accesses[pk].read(_listed(accesses[pk])) for pk in sorted(ids)])
    return result, accesses


def duplicate_get(user: Any, suspect_id: int) -> tuple[DuplicateSuspect, PersonAccess, PersonAccess]:
    """One suspicion, side by side: both persons with what the caller may see of each (both logged)."""
    suspect = _duplicates_visible_to(user).select_related("person__household", "other__household").filter(
        pk=suspect_id).first()
    if suspect is None:
        raise NotFound(_("Ce doublon possible n'existe pas ou vous n'y avez pas accès."))
    accesses = person_accesses(user, [suspect.person_id, suspect.other_id])
    log_reads(user, AccessAction.VIEW, [accesses[suspect.person_id].read(), accesses[suspect.other_id].read()])
    return suspect, accesses[suspect.person_id], accesses[suspect.other_id]


def duplicate_for_act(user: Any, suspect_id: int) -> DuplicateSuspect:
    """A suspicion a service acts on (dismiss): one the caller would see listed, else NotFound."""
    suspect = _duplicates_visible_to(user).filter(pk=suspect_id).first()
    if suspect is None:
        raise NotFound(_("Ce doublon possible n'existe pas ou vous n'y avez pas accès."))
    return suspect


def with_merged(person_ids: Iterable[int]) -> set[int]:
    """These persons and every person merged into them (through chains of merges): the access log of a
    person includes the lines of the records merged into theirs, which it never rewrites."""
    found = set(person_ids)
    frontier = set(found)
    while frontier:
        frontier = set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


# ---- households -------------------------------------------------------------------------------


def _housing_visible_q(orgs: Iterable[int]) -> Q:
    orgs = list(orgs)
    own = PersonFile.objects.filter(organization_id__in=orgs).values("person_id")
    shared = active_consents().filter(receiving_organizations__in=orgs, housing=True).values("person_id")
    return Q(pk__in=own) | Q(pk__in=shared)


def households_visible_to(user: Any) -> QuerySet[Household]:
    """Households with a member whose housing the caller may see (their file, or a consent to housing)."""
    orgs = support_organizations(user)
    if not orgs:
        return Household.objects.none()
    members = Person.objects.filter(merged_into__isnull=True).filter(_housing_visible_q(orgs)).values("household_id")
    return Household.objects.filter(pk__in=members).select_related("building")


def _members_shown(user: Any) -> Prefetch:
    """The members a caller is shown: those they may name and whose housing they may see."""
    orgs = support_organizations(user)
    return Prefetch("members", queryset=persons_visible_to(user).filter(_housing_visible_q(orgs))
                    .order_by("last_name", "first_name", "id"), to_attr="shown_members")


def _households_listed(user: Any) -> QuerySet[Household]:
    """The caller's households, newest first, with the members they may see."""
    return households_visible_to(user).prefetch_related(_members_shown(user)).order_by("-id")


def household_page(user: Any, *, page: Any = 1) -> Page:
    """A page of the caller's households with the members they may see, each member shown logged."""
    rows = _households_listed(user)
    result = Paginator(rows, PAGE_SIZE).get_page(page)
    _log_members(user, AccessAction.LIST, list(result.object_list))
    return result


def household_slice(user: Any, *, offset: int = 0, limit: int = PAGE_SIZE) -> tuple[list[Household], int]:
    """The API's reading of the same list: one slice and the total, each member shown logged."""
    rows = _households_listed(user)
    result = list(rows[offset:offset + limit])
    _log_members(user, AccessAction.LIST, result)
    return result, rows.count()


def _log_members(user: Any, action: str, households: list[Household]) -> dict[int, PersonAccess]:
    ids = [p.pk for h in households for p in h.shown_members]  # type: ignore[attr-defined]
    accesses = person_accesses(user, ids)
    log_reads(user, action, [accesses[p.pk].read([Category.IDENTITY, Category.HOUSING], record_type="household",
                                                 record_id=h.pk)
                             for h in households for p in h.shown_members])  # type: ignore[attr-defined]
    return accesses


def household_get(user: Any, household_id: int) -> tuple[Household, dict[int, PersonAccess]]:
    """One household with the members the caller may see (each logged); NotFound otherwise."""
    household = households_visible_to(user).prefetch_related(_members_shown(user)).filter(pk=household_id).first()
    if household is None:
        raise NotFound(_("Ce ménage n'existe pas ou vous n'y avez pas accès."))
    return household, _log_members(user, AccessAction.VIEW, [household])


def household_for_act(user: Any, household_id: int) -> Household:
    household = households_visible_to(user).filter(pk=household_id).first()
    if household is None:
        raise NotFound(_("Ce ménage n'existe pas ou vous n'y avez pas accès."))
    return household


def consent_scan_get(user: Any, consent_id: int) -> tuple[Consent, Any]:
    """A consent's signed-form scan, to whoever may see the consent (logged as a view of it); else NotFound."""
    from .models import ConsentScan

    consent, access = consent_get(user, consent_id, action=AccessAction.VIEW)
    scan = ConsentScan.objects.filter(consent=consent).first()
    if scan is None:
        raise NotFound(_("Aucun formulaire signé n'est joint à ce consentement."))
    log_reads(user, AccessAction.VIEW, [access.read(consent.categories, record_type="consent_scan",
                                                    record_id=consent.pk)])
    return consent, scan


def consent_scan_attached(consent: Consent) -> bool:
    """Whether a signed form is attached to a consent the caller already reads (its size, not its bytes)."""
    from .models import ConsentScan

    return ConsentScan.objects.filter(consent=consent).exists()
