"""Pages of community support: the worker's caseload, record an intervention, referrals.

Every read goes through the selectors (scoped, logged); a record the caller may not
see is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.people.models import Category
from toitcommun.people.selectors import person_access, person_get
from toitcommun.people.views import _attach, _guard
from toitcommun.views_common import is_htmx, or_404, refuse

from . import services
from .forms import CloseForm, InterventionForm, ReasonForm, ReferralForm
from .models import ReferralState
from .rollups import intervention_statistics
from .selectors import caseload, referral_get, referrals_received


@login_required
def caseload_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    return render(request, "support/caseload.html", {"caseload": caseload(request.user)})


def _person_or_404(request: HttpRequest) -> Any:
    raw = request.GET.get("personne", "")
    if not raw.isdigit() or len(raw) > 18:
        raise Http404(_("Choisissez une personne depuis sa page."))
    person, access = or_404(person_get, request.user, int(raw), log=False)
    if not access.sees(Category.IDENTITY):
        raise Http404(_("Cette personne n'existe pas ou vous n'y avez pas accès."))
    return person


@login_required
@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest) -> HttpResponse:
    _guard(request)
    person = _person_or_404(request)
    form = InterventionForm(request.POST or None)
    if request.method == "POST":
        data = request.POST
        try:
            or_404(services.intervention_record, actor=request.user, person_ids=[person.pk],
                   category=data.get("category", ""), date=data.get("date", ""),
                   duration_minutes=data.get("duration_minutes", ""), summary=data.get("summary", ""),
                   notes=data.get("notes", ""), follow_up_on=data.get("follow_up_on", "") or None)
        except ValidationFailed as refusal:
            _attach(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Intervention consignée."))
            return redirect("people:detail", person.pk)
    return render(request, "support/intervention_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def referral_add(request: HttpRequest) -> HttpResponse:
    _guard(request)
    person = _person_or_404(request)
    form = ReferralForm(request.POST or None)
    if request.method == "POST":
        try:
            referral = or_404(services.referral_create, actor=request.user, person_id=person.pk,
                              service_id=request.POST.get("service", ""), reason=request.POST.get("reason", ""))
        except ValidationFailed as refusal:
            _attach(form, ValidationFailed({("service" if k == "service_id" else k): v
                                            for k, v in refusal.errors.items()}))
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Référence préparée : envoyez-la quand la personne est prête."))
            return redirect("support:referral", referral.pk)
    return render(request, "support/referral_form.html", {"form": form, "person": person})


@login_required
def referral_page(request: HttpRequest, pk: int, *, error: str = "") -> HttpResponse:
    _guard(request)
    referral = or_404(referral_get, request.user, pk)
    access = person_access(request.user, referral.person_id)
    orgs = access.orgs
    state = referral.effective_state()
    sender = referral.sending_organization_id in orgs
    receiver = referral.receiving_organization_id in orgs
    return render(request, "support/referral.html", {
        "referral": referral, "state": state, "sees_identity": access.sees(Category.IDENTITY),
        "can_send": sender and state == ReferralState.DRAFT,
        "can_withdraw": sender and state in (ReferralState.DRAFT, ReferralState.SENT, ReferralState.ACCEPTED,
                                             ReferralState.IN_PROGRESS),
        "can_answer": receiver and state == ReferralState.SENT,
        "can_start": receiver and state == ReferralState.ACCEPTED,
        "can_close": receiver and state in (ReferralState.ACCEPTED, ReferralState.IN_PROGRESS),
        "reason_form": ReasonForm(), "close_form": CloseForm(), "error": error,
    }, status=422 if error else 200)


ACTS = {
    "envoyer": lambda user, pk, post: services.referral_send(actor=user, referral_id=pk),
    "accepter": lambda user, pk, post: services.referral_accept(actor=user, referral_id=pk),
    "refuser": lambda user, pk, post: services.referral_decline(actor=user, referral_id=pk,
                                                                reason=post.get("reason", "")),
    "commencer": lambda user, pk, post: services.referral_start(actor=user, referral_id=pk),
    "fermer": lambda user, pk, post: services.referral_close(actor=user, referral_id=pk,
                                                             outcome=post.get("outcome", ""),
                                                             reason=post.get("reason", "")),
    "retirer": lambda user, pk, post: services.referral_withdraw(actor=user, referral_id=pk,
                                                                 reason=post.get("reason", "")),
}


@login_required
@require_POST
def referral_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    _guard(request)
    if act not in ACTS:
        raise Http404(_("Action inconnue."))
    try:
        ACTS[act](request.user, pk, request.POST)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        return referral_page(request, pk, error=" ".join(m for msgs in refusal.errors.values() for m in msgs))
    messages.success(request, _("Référence mise à jour."))
    return redirect("support:referral", pk)


@login_required
def received_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    page = referrals_received(request.user, page=request.GET.get("page"))
    template = "support/received.html#results" if is_htmx(request) else "support/received.html"
    return render(request, template, {"page": page})


STATISTICS_YEARS = 10


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Interventions of a year by MRC and category (the roll-ups): an organization's own, or de-identified."""
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - STATISTICS_YEARS, -1))
    raw = request.GET.get("annee", "")
    error = ""
    year = this_year
    if raw:
        if raw.isdigit() and int(raw) in years:
            year = int(raw)
        else:
            error = _("Choisissez une année de la liste.")
    try:
        figures = intervention_statistics(request.user, year)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    return render(request, "support/statistics.html", {"stats": figures, "years": years, "error": error,
                                                        "typed": raw[:10]})
