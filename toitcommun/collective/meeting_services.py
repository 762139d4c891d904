"""Acts on meetings: convene, hold, cancel; the agenda, attendance, decisions and their follow-ups."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from . import governance_rules as rules
from .governance_selectors import active_mandates, group_get, open_follow_ups
from .models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Audience,
    Decision,
    DecisionMethod,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    HolderKind,
    Mandate,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
    Presence,
)
from .models.meetings import MAX_COUNT


def _meeting_for_change(actor: Any, meeting_id: Any) -> Meeting:
    """The meeting, for an officer of its group; not found for those who may not even see it."""
    try:
        meeting = Meeting.objects.select_related("group__region", "group__mrc", "group__municipality").get(
            pk=int(meeting_id))
    except (Meeting.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Réunion introuvable.")) from None
    if not rules.can_manage(actor, meeting.group):
        if not rules.can_see_meeting(actor, meeting):
            raise NotFound(_("Réunion introuvable."))
        raise PermissionRefused(_("Seuls les dirigeants du groupe peuvent modifier ses réunions."))
    return meeting


def _text(value: Any, field: str, longest: int, errors: dict[str, list[str]], *, required: bool = True) -> str:
    value = " ".join(str(value or "").split()) if longest <= 300 else str(value or "").strip()
    if required and not value:
        errors[field] = [_("Ce champ est obligatoire.")]
    elif len(value) > longest:
        errors[field] = [_("%(n)s caractères au plus.") % {"n": longest}]
    return value


def meeting_create(*, actor: Any, group_id: Any, title: str, starts_at: datetime.datetime,
                   kind: str = MeetingKind.ORDINARY, place: str = "", audience: str = Audience.MEMBERS,
                   agenda: Sequence[tuple[str, str]] = ()) -> Meeting:
    """Plan a meeting (a draft) with its agenda: items of information, decision, follow-up or in camera,
    in the order given. The group's open follow-ups go on the agenda first."""
    group = group_get(group_id)
    if not rules.can_manage(actor, group):
        raise PermissionRefused(_("Seuls les dirigeants du groupe peuvent planifier ses réunions."))
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", 200, errors)
    place = _text(place, "place", 300, errors, required=False)
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choisissez un type de réunion.")]
    if audience not in Audience.values:
        errors["audience"] = [_("Choisissez à qui la réunion s'adresse.")]
    if not isinstance(starts_at, datetime.datetime):
        errors["starts_at"] = [_("Donnez la date et l'heure.")]
    items: list[tuple[str, str]] = []
    for n, (item_title, item_kind) in enumerate(agenda, start=1):
        item_title = " ".join(str(item_title or "").split())
        if not item_title:
            continue
        if len(item_title) > 200:
            errors[f"agenda_title_{n}"] = [_("%(n)s caractères au plus.") % {"n": 200}]
        if item_kind not in AgendaItemKind.values:
            errors[f"agenda_kind_{n}"] = [_("Choisissez un type de point.")]
        items.append((item_title, item_kind))
    if errors:
        raise ValidationFailed(errors)
    meeting = Meeting(group=group, title=title, kind=kind, starts_at=starts_at, place=place, audience=audience)
    with transaction.atomic():
        meeting.save()
        carried = [AgendaItem(meeting=meeting, position=n, kind=AgendaItemKind.FOLLOW_UP, title=f.title[:200],
                              follow_up=f)
                   for n, f in enumerate(open_follow_ups(group, before=starts_at), start=1)]
        carried += [AgendaItem(meeting=meeting, position=n, kind=item_kind, title=item_title)
                    for n, (item_title, item_kind) in enumerate(items, start=len(carried) + 1)]
        AgendaItem.objects.bulk_create(carried)
        audit_record(actor=actor, action="collective.meeting.create", instance=meeting, after=snapshot(meeting))
    return meeting


_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingState.CONVENED: (MeetingState.DRAFT,),
    MeetingState.HELD: (MeetingState.CONVENED,),
    MeetingState.CANCELLED: (MeetingState.DRAFT, MeetingState.CONVENED),
}


def _move(actor: Any, meeting_id: Any, to: str, action: str) -> Meeting:
    meeting = _meeting_for_change(actor, meeting_id)
    if meeting.state not in _TRANSITIONS[to]:
        raise ValidationFailed({"state": [_("Une réunion « %(now)s » ne peut devenir « %(to)s ».") % {
            "now": MeetingState(meeting.state).label, "to": MeetingState(to).label}]})
    before = snapshot(meeting)
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, state=meeting.state).update(
            state=to, version=meeting.version + 1, updated_at=timezone.now())
        if not changed:
            raise Conflict({"state": [_("La réunion vient d'être modifiée par quelqu'un d'autre : rechargez.")]})
        meeting.refresh_from_db()
        audit_record(actor=actor, action=action, instance=meeting, before=before, after=snapshot(meeting))
    return meeting


def meeting_convene(*, actor: Any, meeting_id: Any) -> Meeting:
    """Send the notice: the meeting becomes known to its audience."""
    return _move(actor, meeting_id, MeetingState.CONVENED, "collective.meeting.convene")


def meeting_hold(*, actor: Any, meeting_id: Any) -> Meeting:
    """Record that the convened meeting took place: decisions and minutes may follow."""
    return _move(actor, meeting_id, MeetingState.HELD, "collective.meeting.hold")


def meeting_cancel(*, actor: Any, meeting_id: Any) -> Meeting:
    return _move(actor, meeting_id, MeetingState.CANCELLED, "collective.meeting.cancel")


def agenda_item_add(*, actor: Any, meeting_id: Any, title: str, kind: str = AgendaItemKind.INFORMATION,
                    notes: str = "") -> AgendaItem:
    meeting = _meeting_for_change(actor, meeting_id)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", 200, errors)
    notes = _text(notes, "notes", 4000, errors, required=False)
    if kind not in AgendaItemKind.values:
        errors["kind"] = [_("Choisissez un type de point.")]
    if meeting.state in (MeetingState.HELD, MeetingState.CANCELLED):
        errors["__all__"] = [_("L'ordre du jour d'une réunion tenue ou annulée ne change plus.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=title, notes=notes)
        audit_record(actor=actor, action="collective.agenda.add", instance=item,
                     object_label=f"{meeting.pk} · {position}", after={"kind": kind, "position": position})
    return item


def _members_present(meeting: Meeting) -> int:
    return meeting.attendances.filter(presence=Presence.PRESENT).count()


def attendance_record(*, actor: Any, meeting_id: Any, mandate_id: Any, presence: str,
                      arrived_at: datetime.time | None = None, left_at: datetime.time | None = None) -> Attendance:
    """A named member (or a member organization's delegate) present, excused or absent; arrival and departure."""
    meeting = _meeting_for_change(actor, meeting_id)
    errors: dict[str, list[str]] = {}
    if presence not in Presence.values:
        errors["presence"] = [_("Choisissez présent, excusé ou absent.")]
    day = timezone.localtime(meeting.starts_at).date()
    try:
        mandate = active_mandates(meeting.group, day).get(pk=int(mandate_id))
    except (Mandate.DoesNotExist, TypeError, ValueError, OverflowError):
        mandate = None
        errors["mandate_id"] = [_("Cette personne n'avait pas de mandat dans le groupe ce jour-là.")]
    if arrived_at and left_at and left_at < arrived_at:
        errors["left_at"] = [_("Le départ ne peut précéder l'arrivée.")]
    if meeting.state in (MeetingState.DRAFT, MeetingState.CANCELLED):
        errors["__all__"] = [_("Les présences se notent à une réunion convoquée ou tenue.")]
    if errors:
        raise ValidationFailed(errors)
    if presence != Presence.PRESENT:
        arrived_at = left_at = None
    with transaction.atomic():
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting, mandate=mandate, defaults={"presence": presence, "arrived_at": arrived_at,
                                                        "left_at": left_at})
        Meeting.objects.filter(pk=meeting.pk).update(members_present=_members_present(meeting))
        audit_record(actor=actor, action="collective.attendance.record", instance=attendance,
                     object_label=f"{meeting.pk} · {mandate.pk}",  # type: ignore[union-attr]
                     after={"presence": presence})
    return attendance


def counted_attendance_set(*, actor: Any, meeting_id: Any, tenants: int, children: int = 0,
                           observers: int = 0) -> Meeting:
    """People counted without names: tenants, children, observers."""
    meeting = _meeting_for_change(actor, meeting_id)
    errors: dict[str, list[str]] = {}
    for field, value in (("tenants", tenants), ("children", children), ("observers", observers)):
        if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            errors[field] = [_("Un nombre de 0 à %(n)s.") % {"n": MAX_COUNT}]
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(meeting)
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(counted_tenants=tenants, counted_children=children,
                                                     counted_observers=observers)
        meeting.refresh_from_db()
        audit_record(actor=actor, action="collective.attendance.count", instance=meeting, before=before,
                     after=snapshot(meeting))
    return meeting


def quorum_at(meeting: Meeting, moment: datetime.time | None) -> tuple[int, int]:
    """(voting members that day, voting members present at that moment).

    A member organization is present when its own seat, or one of its delegates or substitutes, is.
    """
    day = timezone.localtime(meeting.starts_at).date()
    voting = list(active_mandates(meeting.group, day).filter(voting=True, delegate_of__isnull=True))
    there = {a.mandate_id: a for a in meeting.attendances.select_related("mandate")}
    present = 0
    for mandate in voting:
        seat = there.get(mandate.pk)
        if seat is not None and seat.there_at(moment):
            present += 1
        elif mandate.holder_kind == HolderKind.ORGANIZATION and any(
                a.mandate.delegate_of_id == mandate.pk and a.there_at(moment) for a in there.values()):
            present += 1
    return len(voting), present


def decision_record(*, actor: Any, meeting_id: Any, text: str, method: str = DecisionMethod.CONSENSUS,
                    votes_for: int | None = None, votes_against: int | None = None,
                    abstentions: int | None = None, taken_at: datetime.time | None = None,
                    agenda_item_id: int | None = None, adopts_minutes_id: int | None = None) -> Decision:
    """A numbered decision of a held meeting, with the quorum at that moment computed and kept.

    A decision may adopt the submitted minutes of an earlier meeting of the same group, only with quorum.
    """
    meeting = _meeting_for_change(actor, meeting_id)
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", 4000, errors)
    if method not in DecisionMethod.values:
        errors["method"] = [_("Choisissez vote ou consensus.")]
    for field, value in (("votes_for", votes_for), ("votes_against", votes_against),
                         ("abstentions", abstentions)):
        if value is not None and not 0 <= value <= MAX_COUNT:
            errors[field] = [_("Un nombre de 0 à %(n)s.") % {"n": MAX_COUNT}]
    if method == DecisionMethod.VOTE and votes_for is None and "votes_for" not in errors:
        errors["votes_for"] = [_("Un vote se note avec le nombre de voix pour (0 s'il n'y en a aucune).")]
    if method == DecisionMethod.CONSENSUS:
        # A consensus has no count: what was typed in the vote boxes is not kept.
        votes_for = votes_against = abstentions = None
    if meeting.state != MeetingState.HELD:
        errors["__all__"] = [_("Une décision se prend à une réunion tenue : notez d'abord que la réunion a eu "
                               "lieu.")]
    item = None
    if agenda_item_id is not None:
        item = meeting.agenda_items.filter(pk=agenda_item_id).first()
        if item is None:
            errors["agenda_item_id"] = [_("Ce point n'est pas à l'ordre du jour de cette réunion.")]
    minutes = None
    if adopts_minutes_id is not None:
        minutes = Minutes.objects.select_related("meeting__group").filter(pk=adopts_minutes_id).first()
        if minutes is None or not rules.can_see_minutes(actor, minutes):
            errors["adopts_minutes_id"] = [_("Procès-verbal introuvable.")]
        elif minutes.meeting_id == meeting.pk:
            errors["adopts_minutes_id"] = [_("Un procès-verbal ne s'adopte pas à la réunion qu'il relate : il "
                                             "s'adopte à une réunion suivante du groupe.")]
        elif minutes.meeting.group_id != meeting.group_id:
            errors["adopts_minutes_id"] = [_("Seul le groupe qui a tenu la réunion peut en adopter le "
                                             "procès-verbal.")]
        elif minutes.meeting.starts_at >= meeting.starts_at:
            errors["adopts_minutes_id"] = [_("Un procès-verbal s'adopte à une réunion qui suit celle qu'il "
                                             "relate.")]
        elif minutes.state != MinutesState.SUBMITTED:
            errors["adopts_minutes_id"] = [_("Seul un procès-verbal soumis aux membres peut être adopté.")]
    if errors:
        raise ValidationFailed(errors)
    voting_total, voting_present = quorum_at(meeting, taken_at)
    reached = voting_total > 0 and voting_present >= meeting.group.quorum_needed(voting_total)
    if minutes is not None and not reached:
        raise ValidationFailed({"adopts_minutes_id": [
            _("Le quorum n'est pas atteint (%(present)s membres votants présents sur %(total)s) : le procès-verbal "
              "ne peut être adopté.") % {"present": voting_present, "total": voting_total}]})
    try:
        with transaction.atomic():
            number = (meeting.decisions.aggregate(m=Max("number"))["m"] or 0) + 1
            decision = Decision.objects.create(
                meeting=meeting, agenda_item=item, number=number, text=text, method=method, votes_for=votes_for,
                votes_against=votes_against, abstentions=abstentions, taken_at=taken_at,
                in_camera=bool(item and item.in_camera), voting_total=voting_total, voting_present=voting_present,
                quorum_reached=reached, adopts_minutes=minutes)
            if minutes is not None:
                adopted = Minutes.objects.filter(pk=minutes.pk, state=MinutesState.SUBMITTED).update(
                    state=MinutesState.ADOPTED, adopted_by=decision,
                    adopted_on=timezone.localtime(meeting.starts_at).date(), version=minutes.version + 1,
                    updated_at=timezone.now())
                if not adopted:
                    raise Conflict({"adopts_minutes_id": [_("Ce procès-verbal vient de changer : rechargez.")]})
                audit_record(actor=actor, action="collective.minutes.adopt", instance=minutes,
                             after={"state": MinutesState.ADOPTED, "adopted_by": decision.pk})
            audit_record(actor=actor, action="collective.decision.record", instance=decision,
                         object_label=f"{meeting.pk} · {number}",
                         after={"number": number, "method": method, "quorum_reached": reached,
                                "voting_present": voting_present, "voting_total": voting_total})
    except IntegrityError:
        raise Conflict({"__all__": [_("Une autre décision vient d'être notée : rechargez et réessayez.")]}) from None
    return decision


def follow_up_add(*, actor: Any, decision_id: Any, title: str, owner: str,
                  due_on: datetime.date | None = None) -> FollowUp:
    """Who does what by when, after a decision."""
    try:
        decision = Decision.objects.select_related("meeting__group").get(pk=int(decision_id))
    except (Decision.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Décision introuvable.")) from None
    _meeting_for_change(actor, decision.meeting_id)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", 200, errors)
    owner = _text(owner, "owner", 200, errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(decision=decision, title=title, owner=owner, due_on=due_on)
        FollowUpEvent.objects.create(follow_up=follow_up, status=FollowUpStatus.OPEN, actor=actor)
        audit_record(actor=actor, action="collective.follow_up.add", instance=follow_up,
                     after={"due_on": str(due_on) if due_on else None, "status": FollowUpStatus.OPEN})
    return follow_up


def follow_up_set_status(*, actor: Any, follow_up_id: Any, status: str, note: str = "") -> FollowUp:
    """A follow-up moves on (in progress, done, dropped); its history keeps every step."""
    try:
        follow_up = FollowUp.objects.select_related("decision__meeting__group").get(pk=int(follow_up_id))
    except (FollowUp.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Suivi introuvable.")) from None
    _meeting_for_change(actor, follow_up.decision.meeting_id)
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", 1000, errors, required=False)
    if status not in FollowUpStatus.values:
        errors["status"] = [_("Choisissez un état.")]
    if errors:
        raise ValidationFailed(errors)
    before = {"status": follow_up.status}
    with transaction.atomic():
        FollowUp.objects.filter(pk=follow_up.pk).update(status=status, version=follow_up.version + 1,
                                                        updated_at=timezone.now())
        FollowUpEvent.objects.create(follow_up=follow_up, status=status, note=note, actor=actor)
        follow_up.refresh_from_db()
        audit_record(actor=actor, action="collective.follow_up.status", instance=follow_up, before=before,
                     after={"status": status})
    return follow_up
