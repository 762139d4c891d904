from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from toitcommun.errors import NotFound
from toitcommun.views_common import is_htmx

from .selectors import (
    PROVINCE,
    territory_ancestors,
    territory_children,
    territory_get,
    territory_search,
    territory_suggest,
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


def suggestions_json(q: str, levels_text: str, limit: int = 10) -> dict[str, object]:
    """What the combobox and the API show for what a person typed."""
    levels = [lvl for lvl in levels_text.split(",") if lvl] or None
    items = territory_suggest(q, levels=levels, limit=limit)
    return {"items": [{"code": s.territory.code, "name": s.territory.name, "level": str(s.territory.level),
                       "level_label": s.territory.level_label, "context": s.context,
                       "matched_name": s.matched_name} for s in items]}


def suggest(request: HttpRequest) -> HttpResponse:
    """Territories for the combobox, as JSON: ?q=what was typed&levels=municipality,mrc."""
    try:
        return JsonResponse(suggestions_json(request.GET.get("q", "")[:100], request.GET.get("levels", "")[:100]))
    except NotFound as unknown:
        return JsonResponse({"detail": str(unknown)}, status=400)
