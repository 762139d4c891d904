"""Pages of the working committee's case reviews: the list, convene one, its page, add a person, notes.

Only the organizations present see a review (any other caller: 404). The persons on it are checked
against their consents at each request, through ``support.selectors``, which log each person shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.people.selectors import person_search
from toitcommun.people.views import _attach, _guard
from toitcommun.views_common import is_htmx, or_404, refuse

from . import services
from .forms import CaseReviewForm, CaseReviewNoteForm
from .selectors import case_review_for_act, case_review_get, case_review_page


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    page = case_review_page(request.user, page=request.GET.get("page"))
    template = "support/reviews.html#results" if is_htmx(request) else "support/reviews.html"
    return render(request, template, {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    _guard(request)
    form = CaseReviewForm(request.POST or None)
    if request.method == "POST":
        data = request.POST
        try:
            review = services.case_review_create(
                actor=request.user, held_on=data.get("held_on", ""), title=data.get("title", ""),
                organization_ids=[int(v) for v in data.getlist("organizations") if v.isdigit() and len(v) < 18],
                categories=data.getlist("categories"))
        except ValidationFailed as refusal:
            _attach(form, ValidationFailed({("organizations" if k == "organization_ids" else k): v
                                            for k, v in refusal.errors.items()}))
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Revue de cas convoquée : ajoutez-y les personnes à discuter."))
            return redirect("support:review", review.pk)
    return render(request, "support/review_form.html", {"form": form})


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    review, items = or_404(case_review_get, request.user, pk)
    return render(request, "support/review.html", {"review": review, "items": items,
                                                   "note_form": CaseReviewNoteForm()})


@login_required
@require_http_methods(["GET", "POST"])
def review_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    review = or_404(case_review_for_act, request.user, pk)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    error: list[str] = []
    if request.method == "POST":
        raw = request.POST.get("person", "")
        try:
            if not raw.isdigit() or len(raw) > 18:
                raise ValidationFailed({"person_id": [_("Choisissez une personne de la liste.")]})
            or_404(services.case_review_add_person, actor=request.user, review_id=pk, person_id=int(raw))
        except ValidationFailed as refusal:
            error = [m for msgs in refusal.errors.values() for m in msgs]
        else:
            messages.success(request, _("Personne ajoutée à la revue."))
            return redirect("support:review", pk)
    rows = or_404(person_search, request.user, q=q, limit=20)[0] if q else []
    return render(request, "support/review_add_person.html",
                  {"review": review, "q": q, "rows": rows, "error": error}, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def review_note(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    _guard(request)
    review, items = or_404(case_review_get, request.user, pk, item_id=item)
    form = CaseReviewNoteForm(request.POST or None)
    if request.method == "POST":
        try:
            or_404(services.case_review_note_write, actor=request.user, review_id=pk, item_id=item,
                   text=request.POST.get("text", ""))
        except ValidationFailed as refusal:
            _attach(form, refusal)
        else:
            messages.success(request, _("Notes enregistrées."))
            return redirect("support:review", pk)
    return render(request, "support/review_note.html", {"review": review, "view": items[0], "form": form})
