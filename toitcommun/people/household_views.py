"""Pages of households: the organization's households, create one around a person, a household's page
with the members the caller may see, add and remove members.

Reads go through people.selectors (scoped, each member shown logged); a household the caller may not
see is a 404.
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

from .selectors import household_get, household_page, person_get, person_search
from .services import household_add_member, household_create, household_remove_member
from .views import _guard


def _id(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


@login_required
def households(request: HttpRequest) -> HttpResponse:
    _guard(request)
    return render(request, "people/households.html", {"page": household_page(request.user,
                                                                               page=request.GET.get("page"))})


@login_required
@require_http_methods(["GET", "POST"])
def household_new(request: HttpRequest) -> HttpResponse:
    _guard(request)
    person_id = _id(request.GET.get("personne"))
    if person_id is None:
        raise Http404(_("Choisissez une personne depuis sa page."))
    person, access = or_404(person_get, request.user, person_id, log=False)
    if not access.own:
        raise refuse(PermissionRefused(_("Seule une organisation qui tient le dossier de cette personne peut "
                                         "changer son ménage.")))
    error = ""
    if request.method == "POST":
        try:
            household = or_404(household_create, actor=request.user, person_id=person.pk,
                               unit=request.POST.get("unit", ""))
        except ValidationFailed as refusal:
            error = " ".join(m for msgs in refusal.errors.values() for m in msgs)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Ménage créé."))
            return redirect("people:household", household.pk)
    return render(request, "people/household_new.html", {"person": person, "error": error,
                                                         "unit": request.POST.get("unit", person.unit)},
                  status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """A household's page; its form adds a person (found by name) whose file the organization holds."""
    _guard(request)
    error = ""
    if request.method == "POST":
        try:
            person_id = _id(request.POST.get("person"))
            if person_id is None:
                raise ValidationFailed({"person_id": [_("Choisissez une personne de la liste.")]})
            or_404(household_add_member, actor=request.user, household_id=pk, person_id=person_id)
        except ValidationFailed as refusal:
            error = " ".join(m for msgs in refusal.errors.values() for m in msgs)
        except PermissionRefused as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Personne ajoutée au ménage."))
            return redirect("people:household", pk)
    found, accesses = or_404(household_get, request.user, pk)
    q = (request.GET.get("q") or "").strip()[:100]
    candidates = [(p, a) for p, a in or_404(person_search, request.user, q=q, limit=20)[0] if a.own] if q else []
    return render(request, "people/household.html", {
        "household": found, "members": [(p, accesses[p.pk]) for p in found.shown_members],  # type: ignore[attr-defined]
        "q": q, "candidates": candidates, "error": error}, status=422 if error else 200)


@login_required
@require_POST
def household_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    person_id = _id(request.POST.get("person"))
    if person_id is None:
        raise Http404(_("Choisissez une personne de la liste."))
    try:
        or_404(household_remove_member, actor=request.user, household_id=pk, person_id=person_id)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        raise Http404(" ".join(m for msgs in refusal.errors.values() for m in msgs)) from refusal
    messages.success(request, _("Personne retirée du ménage."))
    return redirect("people:detail", person_id)
