"""Pages of the housing stock: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.territory.models import Level
from toitcommun.territory.selectors import (
    TerritoryRef,
    territory_ancestors,
    territory_children,
    territory_get,
)
from toitcommun.uploads import upload_limit
from toitcommun.views_common import (
    attach_errors,
    create_page,
    is_htmx,
    or_404,
    refuse,
    versioned_edit_page,
)

from . import rules
from .exports import available_table, table_response
from .forms import AvailabilityForm, BuildingForm, ImportUploadForm, SummaryQueryForm
from .imports import ImportRejected, housing_import
from .jobs import housing_export_start, housing_import_start
from .models import Clientele, Tenure
from .selectors import (
    AvailabilityPage,
    AvailabilityRow,
    availability_overview,
    availability_page,
    availability_rows,
    building_get,
    buildings_in,
    housing_summary,
    snapshots_of,
)

MAX_ROWS_SHOWN = 500
# The available-housing page's per-building table, a page at a time.
ROWS_PER_PAGE = 100


def _query(request: HttpRequest) -> tuple[SummaryQueryForm, datetime.date, str]:
    form = SummaryQueryForm(request.GET or None, initial={"date": timezone.localdate()})
    on, clientele = timezone.localdate(), ""
    if form.is_valid():
        on = form.cleaned_data["date"] or on
        clientele = form.cleaned_data["clientele"] or ""
    return form, on, clientele


def _map_points(buildings, lines: dict[int, list[str]] | None = None) -> list[dict]:
    return [
        {"name": b.name, "lat": float(b.latitude), "lng": float(b.longitude), "url": b.get_absolute_url(),
         "municipality": b.municipality.name, "tenure": b.get_tenure_display(), "lines": (lines or {}).get(b.pk, [])}
        for b in buildings if b.latitude is not None and b.longitude is not None
    ]


def _figure_line(row: AvailabilityRow) -> str:
    """One clientele of a building in a map popup: its figures and their date, or that they are unknown."""
    if row.as_of is None:
        return _("%(clientele)s : vacants inconnus (jamais signalé)") % {"clientele": row.clientele_label}
    line = _("%(clientele)s : %(vacant)s vacants, %(waiting)s en attente, au %(date)s") % {
        "clientele": row.clientele_label, "vacant": row.vacant_units, "waiting": row.waiting_list,
        "date": row.as_of.isoformat(),
    }
    if row.is_stale:
        line += " " + _("(ancien : plus de %(days)s jours)") % {"days": settings.HOUSING_STALE_AFTER_DAYS}
    return line


def _export_available(request: HttpRequest, territory: TerritoryRef, on: datetime.date, clientele: str,
                      fmt: str) -> HttpResponseBase:
    """The available-housing table as CSV or XLSX: an empty cell where nothing is known, never 0."""
    table = available_table(request.user, territory, on, clientele)
    return table_response(filename=table.filename, fmt=fmt, headers=table.headers, rows=table.rows,
                          title=table.title, notes=table.notes)


def _rows_page(request: HttpRequest) -> int:
    """The page of the per-building table asked for (``table`` in the address); availability_page bounds it."""
    try:
        return int(request.GET.get("table") or 1)
    except ValueError:
        return 1


def available(request: HttpRequest, code: str) -> HttpResponseBase:
    territory = or_404(territory_get, code)
    form, on, clientele = _query(request)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export_available(request, territory, on, clientele, fmt)
    overview = availability_overview(territory, on)
    summary = overview.summary
    # A region or the province holds thousands of buildings: the page shows them by
    # subdivision, and each building only from an MRC down, a page of the table at a time;
    # the map's points come as JSON (available_points). The export has every row.
    by_building = territory.level in (Level.MRC, Level.MUNICIPALITY)
    page = (availability_page(territory, on, clientele, _rows_page(request), ROWS_PER_PAGE) if by_building
            else AvailabilityPage(rows=[], total=0, number=1, pages=1, has_points=False))
    number, pages, shown = page.number, page.pages, page.rows
    unknown = _("inconnu")
    kept = request.GET.copy()
    kept.pop("table", None)
    points_query = urlencode({"date": on.isoformat(), **({"clientele": clientele} if clientele else {})})
    context = {
        "territory": territory, "ancestors": territory_ancestors(territory), "form": form, "on": on,
        "clientele": clientele, "summary": summary, "rows": shown, "rows_total": page.total,
        "rows_first": (number - 1) * ROWS_PER_PAGE + 1, "rows_last": (number - 1) * ROWS_PER_PAGE + len(shown),
        "table_page": number, "table_pages": pages, "table_query": kept.urlencode(),
        "by_building": by_building, "stale_days": settings.HOUSING_STALE_AFTER_DAYS,
        "show_reporters": rules.can_see_reporters(request.user),
        "children": overview.children,
        "crosstab": overview.crosstab, "clienteles": Clientele.choices, "tenures": Tenure.choices,
        "map_points_url": (f"{reverse('housing:available_points', args=[territory.code])}?{points_query}"
                           if page.has_points else ""),
        # Unknown figures are null: the chart draws no bar for them and says so in the label.
        "chart": {
            "labels": [str(label) if summary.vacant_by_clientele[value] is not None else f"{label} ({unknown})"
                       for value, label in Clientele.choices],
            "vacant": [summary.vacant_by_clientele[c] for c in Clientele.values],
            "waiting": [summary.waiting_by_clientele[c] for c in Clientele.values],
            "vacantLabel": _("Logements vacants"), "waitingLabel": _("Liste d'attente"),
        },
        "query": request.GET.urlencode(),
    }
    return render(request, "housing/available.html", context)


def available_points(request: HttpRequest, code: str) -> JsonResponse:
    """The available-housing map's points (an MRC or a municipality): every building, its figures in its popup."""
    territory = or_404(territory_get, code)
    _form, on, clientele = _query(request)
    if territory.level not in (Level.MRC, Level.MUNICIPALITY):
        return JsonResponse([], safe=False)
    rows = availability_rows(territory, on, clientele)
    lines: dict[int, list[str]] = {}
    for r in rows:
        lines.setdefault(r.building.pk, []).append(_figure_line(r))
    buildings = {r.building.pk: r.building for r in rows}.values()
    return JsonResponse(_map_points(buildings, lines), safe=False)


def stock(request: HttpRequest, code: str) -> HttpResponseBase:
    territory = or_404(territory_get, code)
    buildings = buildings_in(territory)
    tenure = request.GET.get("tenure", "")
    if tenure in Tenure.values:
        buildings = buildings.filter(tenure=tenure)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        headers = [_("Municipalité"), _("Site"), _("Adresse"), _("Propriétaire"), _("Tenure"), _("Forme"),
                   _("Salle communautaire"), _("Logements"), _("Logements adaptés"), _("Latitude"), _("Longitude")]
        data = [[b.municipality.name, b.name, b.address, b.organization.name, b.get_tenure_display(),
                 b.get_form_display(), _("oui") if b.has_common_room else _("non"), getattr(b, "units_total", 0) or 0,
                 getattr(b, "adapted_total", 0) or 0, b.latitude, b.longitude] for b in buildings]
        return table_response(filename=f"parc-{territory.code}", fmt=fmt, headers=headers, rows=data,
                              title=_("Parc"), notes=[f"{territory.name} ({territory.code})"])
    shown = list(buildings[:MAX_ROWS_SHOWN])
    summary = housing_summary(territory, timezone.localdate())
    return render(request, "housing/stock.html", {
        "territory": territory, "ancestors": territory_ancestors(territory), "buildings": shown,
        "truncated": buildings.count() > MAX_ROWS_SHOWN if len(shown) == MAX_ROWS_SHOWN else False,
        "summary": summary, "children": territory_children(territory), "tenure": tenure, "tenures": Tenure.choices,
        "map_points": _map_points(shown), "query": request.GET.urlencode(),
        "can_add": request.user.is_authenticated,
    })


def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = or_404(building_get, pk)
    groups = list(building.unit_groups.order_by("clientele", "bedrooms"))
    return render(request, "housing/building.html", {
        "building": building,
        "groups": groups,
        "units_total": sum(g.units for g in groups),
        "adapted_total": sum(g.adapted_units for g in groups),
        "snapshots": snapshots_of(building)[:60],
        "can_edit": rules.can_change_building(request.user, building),
        "can_report": rules.can_report_availability(request.user, building),
        "show_reporters": rules.can_see_reporters(request.user),
        "map_points": _map_points([building]),
    })


@login_required
def building_create_page(request: HttpRequest) -> HttpResponse:
    from .services import building_create

    return create_page(
        request, form_class=BuildingForm, create=lambda **sent: building_create(actor=request.user, **sent),
        template="housing/building_form.html", done=lambda b: reverse("housing:building", args=[b.pk]),
        done_message=_("Immeuble ajouté."),
    )


@login_required
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from .services import building_update

    building = or_404(building_get, pk)
    if not rules.can_change_building(request.user, building):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier cet immeuble.")))
    return versioned_edit_page(
        request, form_class=BuildingForm, instance=building,
        update=lambda **sent: building_update(actor=request.user, building_id=pk, **sent),
        template="housing/building_form.html", context={"building": building},
        done_url=reverse("housing:building", args=[pk]),
    )


@login_required
def availability_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    from .services import availability_report

    building = or_404(building_get, pk)
    if not rules.can_report_availability(request.user, building):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas signaler les disponibilités de cet immeuble.")))
    offered = sorted({g.clientele for g in building.unit_groups.all()})
    form = AvailabilityForm(request.POST or None, initial={"as_of": timezone.localdate()})
    clientele_field = form.fields["clientele"]
    assert isinstance(clientele_field, forms.ChoiceField)
    clientele_field.choices = [(c, label) for c, label in Clientele.choices if c in offered]
    if request.method == "POST":
        try:
            availability_report(actor=request.user, building_id=pk, data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Disponibilités enregistrées."))
            return redirect("housing:building", pk=pk)
    return render(request, "housing/availability_form.html", {"form": form, "building": building})


# A 160,000-row CSV is about 20 MB; past the background threshold the worker imports it.
IMPORT_MAX_BYTES = 32 * 1024 * 1024


def _import_too_large(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(data={}, files=MultiValueDict())
    form.full_clean()
    form.errors["file"] = form.error_class([_("Le fichier dépasse %(max)s Mo : découpez-le ou envoyez un CSV.") % {
        "max": IMPORT_MAX_BYTES // (1024 * 1024)}])
    template = "housing/import.html#outcome" if is_htmx(request) else "housing/import.html"
    return render(request, template, {"form": form, "errors": None, "summary": None, "file_name": ""}, status=413)


@upload_limit(IMPORT_MAX_BYTES, too_large=_import_too_large)
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not rules.can_import_housing(request.user):
        raise PermissionDenied(_("Vous ne pouvez pas importer de logements."))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    errors, summary, file_name = None, None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_name = upload.name
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("Le fichier dépasse %(max)s Mo : découpez-le ou envoyez un CSV.") % {
                "max": IMPORT_MAX_BYTES // (1024 * 1024)})
        elif upload.size >= settings.IMPORT_IN_BACKGROUND_FROM_BYTES:
            try:
                job = housing_import_start(actor=request.user, file_name=upload.name, content=upload.read())
            except PermissionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return _go_to(request, reverse("jobs:job", args=[job.pk]))
        else:
            try:
                summary = housing_import(actor=request.user, file_name=upload.name, content=upload.read())
            except ImportRejected as rejected:
                errors = rejected.errors
            except PermissionRefused as refusal:
                form.add_error(None, str(refusal))
    template = "housing/import.html#outcome" if is_htmx(request) else "housing/import.html"
    return render(request, template, {"form": form, "errors": errors, "summary": summary, "file_name": file_name})


def _go_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect after a POST; htmx follows HX-Redirect (a plain 303 would be swapped into the page)."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@csrf_exempt
@require_POST
def available_export_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start making a large territory's Excel file in the background, then follow it.

    Without a CSRF token: the page is public (and cached without per-visitor state); starting an
    export changes nothing and its result goes only to the job's unguessable address.
    """
    territory = or_404(territory_get, code)
    _form, on, clientele = _query(request)
    job = housing_export_start(actor=request.user, code=territory.code, on=on, clientele=clientele)
    return _go_to(request, reverse("jobs:job", args=[job.pk]))


def import_template(request: HttpRequest) -> HttpResponseBase:
    """The import's model file, its columns and values in the reader's language."""
    from .imports import vocabulary

    language = vocabulary.FRENCH if (request.LANGUAGE_CODE or "fr").startswith("fr") else vocabulary.ENGLISH
    headers = [vocabulary.COLUMN_BY_CODE[code].in_language(language) for code in vocabulary.ORDER]

    def value(column: str, code: str) -> str:
        return next(w.in_language(language) for w in vocabulary.VALUES[column] if w.code == code)

    example = [[_("Office d'habitation Exemple"), "31084", _("Les Érables"), _("123, rue Exemple"),
                value("tenure", "hlm"), value("form", "multi_unit"), value("clientele", "seniors"),
                "12", "1", "1", "0", "4", timezone.localdate().isoformat()]]
    filename = "modele-import-logements" if language == vocabulary.FRENCH else "housing-import-template"
    return table_response(filename=filename, fmt="csv", headers=headers, rows=example)
