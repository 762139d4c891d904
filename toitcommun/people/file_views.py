"""A person's complete file, exported on their request: JSON to download, and a printable page.

Reached from the person's page by the staff of an organization holding the file, and by its
privacy officer (who types the file's number). The file comes from one scoped selector
(``support.selectors.person_complete_file``), which writes the access log: ``export`` for the
JSON, ``print`` for the page. Anyone else gets the same 404 as for a person who does not exist.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused
from toitcommun.support.models import (
    InterventionCategory,
    InterventionMode,
    ReferralOutcome,
    ReferralState,
)
from toitcommun.support.selectors import person_complete_file
from toitcommun.views_common import or_404, refuse

from .models import (
    AccessAction,
    AccessBasis,
    AccessOutcome,
    Category,
    ConsentMethod,
    GivenBy,
    RevocationMethod,
)
from .privacy import is_privacy_officer
from .rules import works_with_tenants

MAX_ID = 2**53


def _guard(request: HttpRequest) -> None:
    if not (works_with_tenants(request.user) or is_privacy_officer(request.user)):
        raise refuse(PermissionRefused(_("Seul le personnel d'une organisation qui tient le dossier, ou son ou sa "
                                         "responsable de la protection des renseignements personnels, exporte le "
                                         "dossier complet d'une personne.")))


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "—"


def _readable(data: dict[str, Any]) -> dict[str, Any]:
    """The file's codes as words, for the printable page."""
    statuses = {"active": _("en vigueur"), "revoked": _("révoqué"), "expired": _("expiré"), "future": _("à venir")}
    for c in data["consents"]:
        c["status_label"] = statuses.get(c["status"], c["status"])
        c["categories_label"] = ", ".join(_label(Category, x) for x in c["categories"])
        c["given_by_label"] = _label(GivenBy, c["given_by"])
        c["method_label"] = _label(ConsentMethod, c["method"])
        c["revocation_method_label"] = _label(RevocationMethod, c["revocation_method"])
    for i in data["interventions"]:
        i["category_label"] = _label(InterventionCategory, i["category"])
        i["mode_label"] = _label(InterventionMode, i["mode"])
    for r in data["referrals"]:
        r["state_label"] = _label(ReferralState, r["state"])
        r["outcome_label"] = _label(ReferralOutcome, r["outcome"]) if r["outcome"] else "—"
        for e in r["events"]:
            e["from_label"] = _label(ReferralState, e["from_state"]) if e["from_state"] else "—"
            e["to_label"] = _label(ReferralState, e["to_state"])
    for row in data["access_log"]:
        row["action_label"] = _label(AccessAction, row["action"])
        row["basis_label"] = _label(AccessBasis, row["basis"])
        row["outcome_label"] = _label(AccessOutcome, row["outcome"])
        row["categories_label"] = ", ".join(_label(Category, x) for x in row["categories"]) or "—"
    return data


@login_required
def person_file_json(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    data = or_404(person_complete_file, request.user, pk, action=AccessAction.EXPORT)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dossier-personne-{pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person_file_print(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    data = or_404(person_complete_file, request.user, pk, action=AccessAction.PRINT)
    response = render(request, "people/person_file.html", {"file": _readable(data), "pk": pk})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person_file_request(request: HttpRequest) -> HttpResponse:
    """A person asks for their file: the privacy officer (or staff) types its number."""
    _guard(request)
    typed = request.GET.get("personne", "").strip()[:20]
    error = ""
    if typed:
        if typed.isdigit() and 0 < int(typed) < MAX_ID:
            return redirect("people:file_print", int(typed))
        error = _("« Personne » : écrivez le numéro de dossier de la personne, par exemple 42.")
    return render(request, "people/person_file_request.html", {"typed": typed, "error": error},
                  status=400 if error else 200)
