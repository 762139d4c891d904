"""Pages of suspected duplicates: the list of the organization's look-alike persons, two side by side
(with only what the caller may see of each), merge after a confirmation, or dismiss.

Reads go through people.selectors (scoped, logged); a suspicion the caller may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.views_common import or_404, refuse

from .selectors import duplicate_get, duplicate_page
from .services import duplicate_dismiss, person_merge
from .views import _guard


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    _guard(request)
    page, accesses = duplicate_page(request.user, page=request.GET.get("page"))
    return render(request, "people/duplicates.html", {"page": page, "accesses": accesses})


@login_required
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    suspect, first, second = or_404(duplicate_get, request.user, pk)
    return render(request, "people/duplicate.html", {"suspect": suspect, "sides": [
        (suspect.person, first), (suspect.other, second)]})


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step, then the merge: the kept person is the one chosen on the side-by-side page."""
    _guard(request)
    suspect, first, second = or_404(duplicate_get, request.user, pk)
    raw = (request.POST.get("garder") if request.method == "POST" else request.GET.get("garder")) or ""
    pair = {suspect.person_id: (suspect.person, first), suspect.other_id: (suspect.other, second)}
    if not raw.isdigit() or int(raw) not in pair:
        raise Http404(_("Choisissez la personne à garder depuis la page du doublon."))
    keep_id = int(raw)
    merge_id = next(pk for pk in pair if pk != keep_id)
    error = ""
    if request.method == "POST":
        try:
            or_404(person_merge, actor=request.user, keep_id=keep_id, merge_id=merge_id)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        except ValidationFailed as refusal:
            error = " ".join(m for msgs in refusal.errors.values() for m in msgs)
        else:
            messages.success(request, _("Personnes fusionnées : tout le dossier est maintenant sur la personne gardée."))
            return redirect("people:detail", keep_id)
    return render(request, "people/duplicate_merge.html", {
        "suspect": suspect, "keep": pair[keep_id], "merged": pair[merge_id], "error": error,
    }, status=422 if error else 200)


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    or_404(duplicate_dismiss, actor=request.user, suspect_id=pk)
    messages.success(request, _("Doublon écarté : ces deux personnes restent distinctes."))
    return redirect("people:duplicates")
