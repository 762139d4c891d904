"""The report of referrals still open past N days (30 by default): sent and received by the caller's
organizations, with their age, state and service; paginated, and as a CSV file.

Reads go through ``support.selectors`` (scoped to the caller, each referral shown or exported logged).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.housing.exports import csv_lines
from toitcommun.people.views import _guard

from .models import REFERRAL_OVERDUE_DAYS
from .selectors import referrals_open_past_export, referrals_open_past_page

MAX_DAYS = 3650


def _days(raw: str) -> tuple[int, str]:
    """The number of days asked for, or the default with a reason when it cannot be read."""
    raw = (raw or "").strip()
    if not raw:
        return REFERRAL_OVERDUE_DAYS, ""
    if raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= MAX_DAYS:
        return int(raw), ""
    return REFERRAL_OVERDUE_DAYS, _("Entrez un nombre de jours de 1 à %(max)s : le rapport montre %(days)s jours.") % {
        "max": MAX_DAYS, "days": REFERRAL_OVERDUE_DAYS}


@login_required
def referrals_open_report(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _guard(request)
    days, error = _days(request.GET.get("jours", ""))
    if request.GET.get("format") == "csv" and not error:
        return _csv(request, days)
    sent = referrals_open_past_page(request.user, direction="sent", days=days, page=request.GET.get("envoyees"))
    received = referrals_open_past_page(request.user, direction="received", days=days,
                                        page=request.GET.get("recues"))
    now = timezone.now()
    return render(request, "support/referrals_open.html", {
        "days": days, "error": error, "raw_days": request.GET.get("jours", "")[:10],
        "sent": sent, "received": received,
        "sent_rows": [(r, r.age_days(now)) for r in sent.object_list],
        "received_rows": [(r, r.age_days(now)) for r in received.object_list],
    }, status=422 if error else 200)


def _csv(request: HttpRequest, days: int) -> StreamingHttpResponse:
    now = timezone.now()
    labels = {"sent": _("envoyée"), "received": _("reçue")}
    headers = [_("Sens"), _("Référence"), _("Service"), _("Organisation qui réfère"), _("Organisation qui reçoit"),
               _("Envoyée le"), _("Âge (jours)"), _("État")]
    rows = [[labels[direction], r.pk, r.service.name, r.sending_organization.name, r.receiving_organization.name,
             timezone.localtime(r.sent_at).date().isoformat() if r.sent_at else "", r.age_days(now),
             r.effective_state_label()] for direction, r in referrals_open_past_export(request.user, days=days)]
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="references-ouvertes-{days}-jours-{stamp}.csv"'
    return response
