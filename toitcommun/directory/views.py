"""Public pages of the resource directory: search, a service's page, its printable sheet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toitcommun.views_common import or_404

from .selectors import service_get


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search.html", {})


def territory_suggestions(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def service_detail(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "directory/service.html", {"service": or_404(service_get, pk)})


def service_sheet(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "directory/service_sheet.html", {"service": or_404(service_get, pk)})
