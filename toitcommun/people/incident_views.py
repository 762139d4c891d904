"""The privacy officer's register of confidentiality incidents: list, enter, edit (never delete)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toitcommun.errors import PermissionRefused
from toitcommun.views_common import create_page, or_404, refuse, versioned_edit_page

from .incidents import (
    PAGE_SIZE,
    IncidentForm,
    incident_get,
    incident_record,
    incident_update,
    incidents_of,
)
from .privacy import is_privacy_officer


def _guard(request: HttpRequest) -> None:
    if not is_privacy_officer(request.user):
        raise refuse(PermissionRefused(_("Seul le ou la responsable de la protection des renseignements "
                                         "personnels d'une organisation tient son registre des incidents.")))


def _fields(data: QueryDict) -> dict[str, Any]:
    """What the form posted, as the services take it."""
    names = [n for n in IncidentForm.Meta.fields if n != "persons_affected_estimated"]
    return {**{name: data.get(name, "") for name in names}, "categories": data.getlist("categories"),
            "persons_affected_estimated": data.get("persons_affected_estimated") == "on"}


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    page = Paginator(incidents_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/incidents.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def incident_add(request: HttpRequest) -> HttpResponse:
    _guard(request)
    return create_page(
        request, form_class=IncidentForm, template="people/incident_form.html",
        create=lambda data: incident_record(actor=request.user, **_fields(data)),
        done=lambda incident: reverse("people:incident", args=[incident.pk]),
        done_message=_("Incident inscrit au registre."))


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    incident = or_404(incident_get, request.user, pk)
    return versioned_edit_page(
        request, form_class=IncidentForm, instance=incident, template="people/incident_form.html",
        update=lambda version, data: or_404(incident_update, actor=request.user, incident_id=pk, version=version,
                                            **_fields(data)),
        context={"incident": incident}, done_url=reverse("people:incident", args=[pk]))
