"""The researcher's page: the year's de-identified tables, and their CSV and XLSX downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access import rules as access_rules
from toitcommun.access.models import Role
from toitcommun.errors import PermissionRefused
from toitcommun.views_common import refuse

from .research import research_tables, tables_csv, tables_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> tuple[int, str]:
    if not access_rules.has_role(request.user, [Role.RESEARCHER]):
        raise refuse(PermissionRefused(_("Seuls les chercheurs et chercheuses consultent les données de recherche.")))
    this_year = timezone.localdate().year
    typed = request.GET.get("annee", "").strip()[:10]
    if not typed:
        return this_year, ""
    if typed.isdigit() and 2000 <= int(typed) <= this_year:
        return int(typed), ""
    return this_year, _("« Année » : une année de 2000 à %(year)s, par exemple 2015.") % {"year": this_year}


@login_required
def research_page(request: HttpRequest) -> HttpResponse:
    year, error = _year(request)
    tables = research_tables(request.user, year=year)
    this_year = timezone.localdate().year
    return render(request, "support/research.html", {
        "tables": tables, "year": year, "error": error, "threshold": settings.RESEARCH_MIN_CELL,
        "years": list(range(this_year, max(this_year - 12, 1999), -1)),
    }, status=400 if error else 200)


@login_required
def research_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Ce format n'existe pas : csv ou xlsx."))
    year, error = _year(request)
    if error:
        return research_page(request)
    tables = research_tables(request.user, year=year)
    name = f"toitcommun-recherche-{year}"
    if fmt == "xlsx":
        response = HttpResponse(tables_xlsx(tables, year=year, threshold=settings.RESEARCH_MIN_CELL),
                                content_type=XLSX)
    else:
        response = HttpResponse(tables_csv(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
