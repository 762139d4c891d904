"""The officers' pages: plan a meeting with its agenda, convene, hold or cancel it, note who came (named
members, people counted, member organizations' delegates), record decisions with their quorum, follow-ups
and their history; start and end mandates.

Who may not see a meeting gets 404; who sees it but is not an officer of the group gets 403. Every act goes
through its service, which checks again, writes the audit log and refuses in plain French.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.views_common import attach_errors, is_htmx, or_404, refuse

from . import governance_rules as rules
from .governance_forms import (
    AgendaItemForm,
    AttendanceForm,
    CountedForm,
    DecisionForm,
    FollowUpForm,
    FollowUpStatusForm,
    MandateEndForm,
    MandateForm,
    MeetingForm,
)
from .governance_selectors import active_mandates, agenda_visible_to, group_get, meeting_get
from .group_services import mandate_end, mandate_start
from .meeting_services import (
    agenda_item_add,
    attendance_record,
    counted_attendance_set,
    decision_record,
    follow_up_add,
    follow_up_set_status,
    meeting_cancel,
    meeting_convene,
    meeting_create,
    meeting_hold,
    quorum_at,
)
from .models import Decision, FollowUp, HolderKind, Mandate, Meeting, MeetingState


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _officer_meeting(request: HttpRequest, pk: Any) -> Meeting:
    """The meeting for one of its group's officers: 404 for who may not see it, 403 for who only may."""
    meeting = or_404(meeting_get, request.user, pk)
    if not rules.can_manage(request.user, meeting.group):
        raise refuse(PermissionRefused(_("Seuls les dirigeants du groupe peuvent modifier ses réunions.")))
    return meeting


def _visible_decision(request: HttpRequest, pk: Any) -> Decision:
    """A decision as its meeting's visitor sees it: in camera, the members only; otherwise not found."""
    decision = Decision.objects.select_related("meeting__group").filter(pk=_int(pk)).first()
    if decision is None:
        raise Http404(_("Décision introuvable."))
    meeting = or_404(meeting_get, request.user, decision.meeting_id)
    if decision.in_camera and not rules.sees_members_only(request.user, meeting.group):
        raise Http404(_("Décision introuvable."))
    decision.meeting = meeting
    return decision


def _say(request: HttpRequest, refusal: ValidationFailed) -> None:
    for reasons in refusal.errors.values():
        for reason in reasons:
            messages.error(request, reason)


# --- meetings -----------------------------------------------------------------------------------------------


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a meeting of the group, a draft with its agenda; the group's open follow-ups go on it first."""
    group = or_404(group_get, pk)
    if not rules.can_manage(request.user, group):
        raise refuse(PermissionRefused(_("Seuls les dirigeants du groupe peuvent planifier ses réunions.")))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_create(actor=request.user, group_id=group.pk, title=data["title"],
                                     starts_at=data["starts_at"], kind=data["kind"], place=data["place"],
                                     audience=data["audience"], agenda=form.agenda())
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Réunion planifiée (en préparation) : convoquez-la quand l'ordre du jour "
                                        "est prêt."))
            return redirect("collective:meeting", pk=meeting.pk)
    return render(request, "collective/governance/meeting_form.html", {"group": group, "form": form},
                  status=422 if form.is_bound and form.errors else 200)


_MOVES = {
    MeetingState.CONVENED: (meeting_convene, _("Réunion convoquée.")),
    MeetingState.HELD: (meeting_hold, _("Réunion notée comme tenue : présences et décisions peuvent suivre.")),
    MeetingState.CANCELLED: (meeting_cancel, _("Réunion annulée.")),
}


@login_required
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Convene, hold or cancel: the meeting's state moves on, if it may."""
    meeting = _officer_meeting(request, pk)
    move = _MOVES.get(request.POST.get("to", ""))  # type: ignore[call-overload]
    if move is None:
        messages.error(request, _("Choisissez convoquer, tenir ou annuler."))
        return redirect("collective:meeting", pk=meeting.pk)
    act, done = move
    try:
        act(actor=request.user, meeting_id=meeting.pk)
    except ValidationFailed as refusal:
        _say(request, refusal)
    else:
        messages.success(request, str(done))
    return redirect("collective:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """One more item on the agenda of a meeting in preparation or convened."""
    meeting = _officer_meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            agenda_item_add(actor=request.user, meeting_id=meeting.pk, title=form.cleaned_data["title"],
                            kind=form.cleaned_data["kind"], notes=form.cleaned_data["notes"])
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Point ajouté à l'ordre du jour."))
            return redirect(reverse("collective:meeting", args=[meeting.pk]) + "#agenda")
    from .governance_views import meeting_page

    return meeting_page(request, meeting, agenda_form=form, status=422)


# --- attendance ---------------------------------------------------------------------------------------------


def _attendance_rows(meeting: Meeting, *, bound: dict[int, AttendanceForm] | None = None) -> list[dict[str, Any]]:
    """One row per mandate active on the meeting's day: members by name, member organizations and their
    delegates; each with its form, filled with what was noted."""
    day = timezone.localtime(meeting.starts_at).date()
    mandates = (active_mandates(meeting.group, day)
                .select_related("organization", "delegate_of__organization").order_by("role", "holder_name", "pk"))
    noted = {a.mandate_id: a for a in meeting.attendances.all()}
    rows = []
    for mandate in mandates:
        rows.append(_row(mandate, noted.get(mandate.pk), (bound or {}).get(mandate.pk)))
    return rows


def _row(mandate: Mandate, attendance: Any, form: AttendanceForm | None) -> dict[str, Any]:
    if form is None:
        initial = ({"presence": attendance.presence, "arrived_at": attendance.arrived_at,
                    "left_at": attendance.left_at} if attendance else {"presence": "present"})
        form = AttendanceForm(initial=initial, auto_id=f"id_%s_{mandate.pk}")
    return {"mandate": mandate, "attendance": attendance, "form": form,
            "is_delegate": mandate.delegate_of_id is not None,
            "is_organization": mandate.holder_kind == HolderKind.ORGANIZATION}


@login_required
def attendance_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Note who came: each member's presence (with arrival and departure), and the people counted."""
    meeting = _officer_meeting(request, pk)
    counted = CountedForm(initial={"tenants": meeting.counted_tenants, "children": meeting.counted_children,
                                   "observers": meeting.counted_observers})
    bound: dict[int, AttendanceForm] = {}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "count":
        counted = CountedForm(request.POST)
        if counted.is_valid():
            try:
                counted_attendance_set(actor=request.user, meeting_id=meeting.pk, **counted.cleaned_data)
            except ValidationFailed as refusal:
                attach_errors(counted, refusal)
            else:
                messages.success(request, _("Personnes comptées enregistrées."))
                return redirect("collective:meeting_attendance", pk=meeting.pk)
        status = 422
    elif request.method == "POST":
        mandate_pk = _int(request.POST.get("mandate"))
        form = AttendanceForm(request.POST, auto_id=f"id_%s_{mandate_pk}")
        saved = None
        if form.is_valid():
            try:
                saved = attendance_record(actor=request.user, meeting_id=meeting.pk, mandate_id=mandate_pk,
                                          **form.cleaned_data)
            except ValidationFailed as refusal:
                attach_errors(form, refusal)
        if is_htmx(request):
            mandate = active_mandates(meeting.group, timezone.localtime(meeting.starts_at).date()).select_related(
                "organization", "delegate_of__organization").filter(pk=mandate_pk).first()
            if mandate is None:
                raise Http404
            row = _row(mandate, saved, None if saved else form)
            meeting.refresh_from_db(fields=["members_present"])
            return render(request, "collective/governance/attendance.html#row",
                          {"row": row, "meeting": meeting, "just_saved": saved is not None})
        if saved is not None:
            messages.success(request, _("Présence notée."))
            return redirect("collective:meeting_attendance", pk=meeting.pk)
        bound[mandate_pk] = form
        status = 422
    return render(request, "collective/governance/attendance.html", {
        "meeting": meeting, "group": meeting.group, "rows": _attendance_rows(meeting, bound=bound),
        "counted": counted, "open": meeting.state in (MeetingState.CONVENED, MeetingState.HELD)}, status=status)


# --- decisions and follow-ups -------------------------------------------------------------------------------


@login_required
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a numbered decision of a held meeting; its quorum is computed at that moment and kept."""
    meeting = _officer_meeting(request, pk)
    agenda = agenda_visible_to(request.user, meeting)
    form = DecisionForm(request.POST or None, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_record(actor=request.user, meeting_id=meeting.pk, text=data["text"],
                                       method=data["method"], votes_for=data["votes_for"],
                                       votes_against=data["votes_against"], abstentions=data["abstentions"],
                                       taken_at=data["taken_at"], agenda_item_id=data["agenda_item"])
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            if decision.quorum_reached:
                done = _("Décision n° %(n)s notée, quorum atteint (%(p)s membres votants présents sur %(t)s).")
            else:
                done = _("Décision n° %(n)s notée, sans quorum (%(p)s membres votants présents sur %(t)s).")
            messages.success(request, done % {"n": decision.number, "p": decision.voting_present,
                                              "t": decision.voting_total})
            return redirect(reverse("collective:meeting", args=[meeting.pk]) + f"#decision-{decision.pk}")
    total, present = quorum_at(meeting, None)
    return render(request, "collective/governance/decision_form.html", {
        "meeting": meeting, "group": meeting.group, "form": form, "voting_total": total,
        "voting_present": present, "needed": meeting.group.quorum_needed(total) if total else 0,
        "held": meeting.state == MeetingState.HELD}, status=422 if form.is_bound and form.errors else 200)


@login_required
def follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Who does what by when, after a decision."""
    decision = _visible_decision(request, pk)
    if not rules.can_manage(request.user, decision.meeting.group):
        raise refuse(PermissionRefused(_("Seuls les dirigeants du groupe peuvent ajouter un suivi.")))
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = follow_up_add(actor=request.user, decision_id=decision.pk, **form.cleaned_data)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Suivi ajouté : il paraîtra à l'ordre du jour de la prochaine réunion "
                                        "tant qu'il est ouvert."))
            return redirect("collective:follow_up", pk=follow_up.pk)
    return render(request, "collective/governance/follow_up_form.html", {
        "decision": decision, "meeting": decision.meeting, "form": form},
        status=422 if form.is_bound and form.errors else 200)


def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up, its history and whether it is late; the officers move it on."""
    follow_up = FollowUp.objects.filter(pk=_int(pk)).first()
    if follow_up is None:
        raise Http404(_("Suivi introuvable."))
    decision = _visible_decision(request, follow_up.decision_id)
    manage = rules.can_manage(request.user, decision.meeting.group)
    form = FollowUpStatusForm(initial={"status": follow_up.status})
    status = 200
    if request.method == "POST":
        if not manage:
            raise refuse(PermissionRefused(_("Seuls les dirigeants du groupe peuvent mettre un suivi à jour.")))
        form = FollowUpStatusForm(request.POST)
        if form.is_valid():
            try:
                follow_up_set_status(actor=request.user, follow_up_id=follow_up.pk, **form.cleaned_data)
            except ValidationFailed as refusal:
                attach_errors(form, refusal)
            else:
                messages.success(request, _("Suivi mis à jour."))
                return redirect("collective:follow_up", pk=follow_up.pk)
        status = 422
    today = timezone.localdate()
    return render(request, "collective/governance/follow_up.html", {
        "follow_up": follow_up, "decision": decision, "meeting": decision.meeting, "manage": manage,
        "form": form, "events": list(follow_up.events.all()), "overdue": follow_up.is_overdue(today)},
        status=status)


# --- mandates -----------------------------------------------------------------------------------------------


@login_required
def mandate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A person or an organization takes a seat: role, vote, the decision that elected them, the start."""
    group = or_404(group_get, pk)
    if not rules.can_manage_mandates(request.user, group):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier les mandats de ce groupe.")))
    decisions = list(Decision.objects.filter(meeting__group=group).select_related("meeting")
                     .order_by("-meeting__starts_at", "number")[:200])
    if not rules.sees_members_only(request.user, group):
        decisions = [d for d in decisions if not d.in_camera]
    organizations = list(group.mandates.filter(holder_kind=HolderKind.ORGANIZATION, ends_on__isnull=True)
                         .select_related("organization"))
    form = MandateForm(request.POST or None, decisions=decisions, organizations=organizations,
                       initial={"starts_on": timezone.localdate(), "voting": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = data["organization"]
        try:
            mandate_start(actor=request.user, group_id=group.pk, role=data["role"], starts_on=data["starts_on"],
                          holder_kind=data["holder_kind"], holder_name=data["holder_name"],
                          account=data["account"], organization_id=organization.pk if organization else None, voting=data["voting"],
                          elected_by_id=data["elected_by"], delegate_of_id=data["delegate_of"],
                          is_substitute=data["is_substitute"])
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Mandat ajouté."))
            return redirect(reverse("collective:group", args=[group.pk]) + "#mandates")
    return render(request, "collective/governance/mandate_form.html", {"group": group, "form": form},
                  status=422 if form.is_bound and form.errors else 200)


@login_required
def mandate_end_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder leaves the seat on a date; the mandate stays in the group's history."""
    mandate = Mandate.objects.select_related("group__region", "group__mrc", "group__municipality",
                                             "organization").filter(pk=_int(pk)).first()
    if mandate is None:
        raise Http404(_("Mandat introuvable."))
    if not rules.can_manage_mandates(request.user, mandate.group):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier les mandats de ce groupe.")))
    form = MandateEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            mandate_end(actor=request.user, mandate_id=mandate.pk, ends_on=form.cleaned_data["ends_on"])
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except (NotFound, PermissionRefused) as refusal:  # pragma: no cover - checked above
            raise Http404 from refusal
        else:
            messages.success(request, _("Mandat terminé : il reste dans l'historique du groupe."))
            return redirect(reverse("collective:group", args=[mandate.group_id]) + "#mandates")
    return render(request, "collective/governance/mandate_end.html", {
        "mandate": mandate, "group": mandate.group, "form": form},
        status=422 if form.is_bound and form.errors else 200)
