"""The privacy officer's page: the access log of her organization's data, filtered and paginated."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.views_common import or_404, refuse

from .privacy import access_log_page, is_privacy_officer

MAX_ID = 2**53


def _date(text: str, errors: list[str], label: str) -> datetime.date | None:
    if not text:
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        errors.append(_("« %(field)s » : date illisible, écrivez-la ainsi : 2025-10-23.") % {"field": label})
        return None
    if not datetime.date(2000, 1, 1) <= value <= datetime.date(2100, 12, 31):
        errors.append(_("« %(field)s » : date hors des limites (2000 à 2100).") % {"field": label})
        return None
    return value


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not is_privacy_officer(request.user):
        raise refuse(PermissionRefused(_("Seul le ou la responsable de la protection des renseignements "
                                         "personnels d'une organisation lit son journal des accès.")))
    errors: list[str] = []
    typed = {key: request.GET.get(key, "").strip()[:20] for key in ("personne", "du", "au")}
    person_id: int | None = None
    if typed["personne"]:
        if typed["personne"].isdigit() and 0 < int(typed["personne"]) < MAX_ID:
            person_id = int(typed["personne"])
        else:
            errors.append(_("« Personne » : écrivez le numéro de dossier de la personne, par exemple 42."))
    since = _date(typed["du"], errors, _("Du"))
    until = _date(typed["au"], errors, _("Au"))
    page = None
    if not errors:
        try:
            page = or_404(access_log_page, request.user, person_id=person_id, since=since, until=until,
                          page=request.GET.get("page"))
        except ValidationFailed as refusal:
            errors.extend(message for messages in refusal.errors.values() for message in messages)
    query = "&".join(f"{key}={value}" for key, value in typed.items() if value and not errors)
    return render(request, "people/access_log.html", {
        "page": page, "typed": typed, "errors": errors, "query": query,
    }, status=400 if errors else 200)
