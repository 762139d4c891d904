"""The privacy officer's list of destruction facts: what the retention rules destroyed, never its content."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from toitcommun.errors import PermissionRefused
from toitcommun.views_common import refuse

from .privacy import destructions_page, is_privacy_officer


@login_required
def destruction_list(request: HttpRequest) -> HttpResponse:
    if not is_privacy_officer(request.user):
        raise refuse(PermissionRefused(_("Seul le ou la responsable de la protection des renseignements "
                                         "personnels d'une organisation consulte ses destructions.")))
    page = destructions_page(request.user, page=request.GET.get("page"))
    return render(request, "people/destructions.html", {"page": page})
