"""Pages of a group's governance: groups, a group, a meeting (agenda, attendance, decisions, minutes),
the minutes' editing, a recommendation. What a visitor may not see answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
from toitcommun.territory.selectors import territory_get
from toitcommun.views_common import attach_errors, or_404, refuse

from . import governance_rules as rules
from .governance_selectors import (
    agenda_visible_to,
    decisions_visible_to,
    follow_ups_visible_to,
    group_get,
    groups_list,
    holder_name_for,
    mandates_of,
    meeting_get,
    meetings_visible_to,
    minutes_to_adopt,
    minutes_visible_to,
    named_attendance_visible_to,
    recommendation_get,
    recommendations_visible_to,
)
from .meeting_services import decision_record
from .minutes_services import EDITABLE, minutes_draft, minutes_edit, minutes_publish, minutes_submit
from .models import GroupKind, MeetingState, Minutes, RecommendationAnswer, RecommendationState
from .recommendation_services import recommendation_acknowledge, recommendation_answer


class MinutesForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Procès-verbal"), max_length=50_000,
                           widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=gettext_lazy("Ce que le groupe a dit et décidé. Les membres le liront d'abord "
                                                  "comme un brouillon ; il sera public une fois adopté et publié."))
    in_camera_text = forms.CharField(label=gettext_lazy("Huis clos"), max_length=20_000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 5}),
                                     help_text=gettext_lazy("Réservé aux membres, à toutes les étapes."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=gettext_lazy("Réponse"), choices=RecommendationAnswer.choices)
    reply = forms.CharField(label=gettext_lazy("Réponse de l'office"), max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 5}))


def group_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    kind = kind if kind in GroupKind.values else ""
    code = request.GET.get("territoire", "").strip()[:8]
    territory, error = None, ""
    if code:
        try:
            territory = territory_get(code)
        except NotFound as unknown:
            error = str(unknown)
    groups = list(groups_list(territory=territory, kind=kind)[:200])
    return render(request, "collective/governance/group_list.html", {
        "groups": groups, "kinds": GroupKind.choices, "kind": kind, "code": code, "territory": territory,
        "error": error})


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = or_404(group_get, pk)
    user = request.user
    today = timezone.localdate()
    mandates = [(m, holder_name_for(user, m)) for m in mandates_of(group)]
    recommendations = recommendations_visible_to(user, group)
    return render(request, "collective/governance/group_detail.html", {
        "group": group,
        "can_manage": rules.can_manage(user, group),
        "can_manage_mandates": rules.can_manage_mandates(user, group),
        "current": [(m, name) for m, name in mandates if m.active_on(today)],
        "past": [(m, name) for m, name in mandates if not m.active_on(today)],
        "names_hidden": not rules.r.is_authenticated(user),
        "meetings": list(meetings_visible_to(user, group).order_by("-starts_at", "-pk")[:100]),
        "recommendations": [(rec, rec.is_overdue(today)) for rec in recommendations],
        "follow_ups": follow_ups_visible_to(user, group),
        "today": today,
    })


def _meeting_context(request: HttpRequest, meeting: Any) -> dict[str, Any]:
    user = request.user
    group = meeting.group
    versions = minutes_visible_to(user, meeting)
    manage = rules.can_manage(user, group)
    return {
        "meeting": meeting, "group": group,
        "agenda": agenda_visible_to(user, meeting),
        "decisions": decisions_visible_to(user, meeting),
        "named": named_attendance_visible_to(user, meeting),
        "members_only": rules.sees_members_only(user, group),
        "versions": versions,
        "can_manage": manage,
        "editable": next((m for m in versions if m.state in EDITABLE), None) if manage else None,
        "can_start_minutes": manage and meeting.state == MeetingState.HELD
        and not any(m.state in EDITABLE for m in versions),
        "to_adopt": minutes_to_adopt(group, meeting) if manage and meeting.state == MeetingState.HELD else [],
        "today": timezone.localdate(),
    }


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = or_404(meeting_get, request.user, pk)
    return meeting_page(request, meeting)


def meeting_page(request: HttpRequest, meeting: Any, *, agenda_form: Any = None, status: int = 200) -> HttpResponse:
    """The meeting's page; for its officers, the acts its state allows (convene, hold, cancel, the agenda,
    attendance, decisions, follow-ups)."""
    from .governance_forms import AgendaItemForm

    context = _meeting_context(request, meeting)
    if context["can_manage"]:
        state = meeting.state
        context.update({
            "can_convene": state == MeetingState.DRAFT,
            "can_hold": state == MeetingState.CONVENED,
            "can_cancel": state in (MeetingState.DRAFT, MeetingState.CONVENED),
            "agenda_open": state in (MeetingState.DRAFT, MeetingState.CONVENED),
            "attendance_open": state in (MeetingState.CONVENED, MeetingState.HELD),
            "agenda_form": agenda_form or AgendaItemForm(),
        })
    return render(request, "collective/governance/meeting_detail.html", context, status=status)


@login_required
def minutes_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the minutes of a held meeting: a new draft, or the one under way (version-checked)."""
    meeting = or_404(meeting_get, request.user, pk)
    if not rules.can_manage(request.user, meeting.group):
        raise refuse(PermissionRefused(_("Seuls le secrétariat et les dirigeants du groupe rédigent ses "
                                         "procès-verbaux.")))
    current = meeting.minutes_versions.filter(state__in=EDITABLE).first()
    conflict = None
    if request.method == "POST":
        form = MinutesForm(request.POST)
        try:
            if current is None:
                minutes_draft(actor=request.user, meeting_id=meeting.pk, text=request.POST.get("text", ""),
                              in_camera_text=request.POST.get("in_camera_text", ""))
            else:
                minutes_edit(actor=request.user, minutes_id=current.pk, version=request.POST.get("version"),
                             text=request.POST.get("text", ""),
                             in_camera_text=request.POST.get("in_camera_text", ""))
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except VersionConflict as stale:
            conflict = stale.current
            form = MinutesForm({**request.POST.dict(), "version": stale.current_version})
            form.is_valid()
        else:
            messages.success(request, _("Procès-verbal enregistré."))
            return redirect("collective:meeting", pk=meeting.pk)
    elif current is not None:
        form = MinutesForm(initial={"text": current.text, "in_camera_text": current.in_camera_text,
                                    "version": current.version})
    else:
        form = MinutesForm()
    return render(request, "collective/governance/minutes_form.html", {
        "meeting": meeting, "form": form, "current": current, "conflict": conflict,
        "held": meeting.state == MeetingState.HELD})


def _minutes_act(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    minutes = Minutes.objects.filter(pk=pk).select_related("meeting").first()
    if minutes is None:
        raise Http404(_("Procès-verbal introuvable."))
    try:
        act(actor=request.user, minutes_id=pk)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        for reasons in refusal.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    else:
        messages.success(request, done)
    return redirect("collective:meeting", pk=minutes.meeting_id)


@login_required
@require_POST
def minutes_submit_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_act(request, pk, minutes_submit, _("Procès-verbal soumis aux membres."))


@login_required
@require_POST
def minutes_publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_act(request, pk, minutes_publish, _("Procès-verbal publié."))


@login_required
@require_POST
def minutes_adopt_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A held meeting's decision adopting the submitted minutes of an earlier meeting of the group."""
    meeting = or_404(meeting_get, request.user, pk)
    try:
        decision_record(actor=request.user, meeting_id=meeting.pk,
                        text=_("Adoption du procès-verbal de la réunion précédente."),
                        adopts_minutes_id=_int_or_none(request.POST.get("minutes")))
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        for reasons in refusal.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    else:
        messages.success(request, _("Procès-verbal adopté."))
    return redirect("collective:meeting", pk=meeting.pk)


def _int_or_none(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = or_404(recommendation_get, request.user, pk)
    return render(request, "collective/governance/recommendation_detail.html", _rec_context(request, rec, None))


def _rec_context(request: HttpRequest, rec: Any, form: AnswerForm | None) -> dict[str, Any]:
    waiting = rec.state in (RecommendationState.SENT, RecommendationState.ACKNOWLEDGED)
    can_answer = waiting and rules.can_answer(request.user, rec)
    return {"rec": rec, "overdue": rec.is_overdue(timezone.localdate()), "can_answer": can_answer,
            "can_acknowledge": can_answer and rec.state == RecommendationState.SENT,
            "form": form or AnswerForm()}


@login_required
@require_POST
def recommendation_answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    rec = or_404(recommendation_get, request.user, pk)
    form = AnswerForm(request.POST)
    try:
        recommendation_answer(actor=request.user, recommendation_id=pk, answer=request.POST.get("answer", ""),
                              reply=request.POST.get("reply", ""))
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        attach_errors(form, refusal)
        return render(request, "collective/governance/recommendation_detail.html", _rec_context(request, rec, form),
                      status=422)
    messages.success(request, _("Réponse enregistrée."))
    return redirect("collective:recommendation", pk=pk)


@login_required
@require_POST
def recommendation_acknowledge_page(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(recommendation_get, request.user, pk)
    try:
        recommendation_acknowledge(actor=request.user, recommendation_id=pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        for reasons in refusal.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    return redirect("collective:recommendation", pk=pk)
