"""The tenants' public pages: a place's collective life on one page, without login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toitcommun.housing.selectors import building_get
from toitcommun.territory.selectors import territory_get
from toitcommun.views_common import or_404

from .public_selectors import public_page_of_building, public_page_of_territory


def tenants_territory(request: HttpRequest, code: str) -> HttpResponse:
    territory = or_404(territory_get, code)
    return render(request, "collective/tenants_page.html", {"page": public_page_of_territory(territory)})


def tenants_building(request: HttpRequest, pk: int) -> HttpResponse:
    building = or_404(building_get, pk)
    return render(request, "collective/tenants_page.html", {"page": public_page_of_building(building),
                                                            "building": building})
