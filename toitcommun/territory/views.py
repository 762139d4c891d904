from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from toitcommun.errors import NotFound
from toitcommun.views_common import is_htmx

from .selectors import (
    PROVINCE,
    territory_ancestors,
    territory_children,
    territory_get,
    territory_search,
)


def browse(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    results = territory_search(q=q, limit=50) if q else []
    context = {"q": q, "results": results, "regions": territory_children(PROVINCE)}
    template = "territory/browse.html#results" if is_htmx(request) else "territory/browse.html"
    return render(request, template, context)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        territory = territory_get(code)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    return render(request, "territory/detail.html", {
        "territory": territory,
        "ancestors": territory_ancestors(territory),
        "children": territory_children(territory),
    })
