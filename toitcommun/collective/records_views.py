"""Search across the governance records a person may see, and the export of a group's decisions and follow-ups."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.housing.exports import table_response
from toitcommun.views_common import or_404

from .governance_records import SEARCH_LIMIT, export_rows, governance_search
from .governance_selectors import group_get, groups_list


def governance_search_page(request: HttpRequest) -> HttpResponse:
    """Meetings, decisions, minutes and recommendations; what the visitor may not see is never found."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    group = None
    group_pk = request.GET.get("groupe", "")
    if group_pk:
        group = or_404(group_get, group_pk)
    hits = governance_search(request.user, query, group=group) if query else []
    return render(request, "collective/governance/search.html", {
        "query": query, "group": group, "hits": hits, "too_short": bool(query) and len(query) < 2,
        "groups": list(groups_list()[:200]), "limit": SEARCH_LIMIT})


def governance_export(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """The group's decisions and their follow-ups, as CSV or XLSX: what its page shows to this visitor."""
    group = or_404(group_get, pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers, rows = export_rows(request.user, group)
    today = timezone.localdate()
    return table_response(filename=f"decisions-suivis-groupe-{group.pk}-{today.isoformat()}", fmt=fmt,
                          headers=headers, rows=rows, title=_("Décisions et suivis"),
                          notes=[group.name, _("Exporté le %(date)s") % {"date": today.isoformat()}])
