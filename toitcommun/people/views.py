"""Pages of the people followed: list and search, a person's page, register, consent, print, revoke.

Every read goes through people.selectors (scoped, logged); a record the caller may
not see is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.organizations.models import Organization
from toitcommun.views_common import attach_errors, is_htmx, or_404, refuse

from .forms import ConsentForm, PersonForm, RevokeForm
from .models import AccessAction, Category
from .rules import works_with_tenants
from .selectors import (
    consent_get,
    consent_scan_attached,
    consents_of,
    person_get,
    person_page,
    possible_duplicates,
)
from .services import consent_record, consent_revoke, person_register

FORM_FIELD_NAMES = {"building_id": "building", "receiving_organization_ids": "receiving_organizations",
                    "consent": None}


def _attach(form: Any, refusal: ValidationFailed) -> None:
    """A service's reasons on the form's fields (the API names some fields otherwise)."""
    attach_errors(form, ValidationFailed({FORM_FIELD_NAMES.get(k, k) or "__all__": v
                                          for k, v in refusal.errors.items()}))


def _guard(request: HttpRequest) -> None:
    if not works_with_tenants(request.user):
        raise refuse(PermissionRefused(_("Ces pages sont réservées au personnel des organisations qui suivent "
                                         "des locataires.")))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    q = request.GET.get("q", "").strip()[:100]
    page, accesses = or_404(person_page, request.user, q=q, page=request.GET.get("page"))
    rows = [(p, accesses[p.pk]) for p in page.object_list]
    context = {"page": page, "rows": rows, "q": q}
    template = "people/list.html#results" if is_htmx(request) else "people/list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def person_register_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        data = request.POST
        building = data.get("building", "")
        try:
            person, duplicates = person_register(
                actor=request.user, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                phone=data.get("phone", ""), email=data.get("email", ""), languages=data.get("languages", ""),
                building_id=int(building) if building.isdigit() else None, unit=data.get("unit", ""),
                clientele=data.get("clientele", ""))
        except ValidationFailed as refusal:
            _attach(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Personne inscrite."))
            if duplicates:
                messages.warning(request, _("Une personne semblable (même nom et immeuble, ou même téléphone) est "
                                            "peut-être déjà inscrite : vérifiez avant de continuer."))
            return redirect("people:detail", person.pk)
    return render(request, "people/register.html", {"form": form})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    from toitcommun.support.selectors import interventions_of, referrals_of

    # One page view, one line in the access log: the person's record with the categories it shows.
    person, access = or_404(person_get, request.user, pk)
    seen = (person, access)
    consents = consents_of(request.user, pk, log=False, seen=seen)[1]
    views: list[Any] = []
    total = 0
    if access.own or access.shared & {Category.INTERVENTIONS, Category.NOTES}:
        _p, _a, views, total = interventions_of(request.user, pk, page=request.GET.get("page"), log=False,
                                                seen=seen)
    referrals = referrals_of(request.user, pk, log=False, seen=seen) if (
        access.own or Category.REFERRALS in access.shared) else []
    duplicates = possible_duplicates(request.user, person) if access.own else []
    return render(request, "people/detail.html", {
        "person": person, "access": access, "consents": consents, "interventions": views,
        "interventions_total": total, "referrals": referrals, "duplicates": duplicates,
        "sees_identity": access.sees(Category.IDENTITY), "sees_housing": access.sees(Category.HOUSING),
    })


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    person, access = or_404(person_get, request.user, pk, log=False)
    if not access.own:
        raise refuse(PermissionRefused(_("Seule une organisation qui tient le dossier de cette personne peut "
                                         "consigner son consentement.")))
    form = ConsentForm(request.POST or None, organizations=Organization.objects.order_by("name"))
    if request.method == "POST":
        data = request.POST
        try:
            consent = consent_record(
                actor=request.user, person_id=person.pk,
                receiving_organization_ids=[int(v) for v in data.getlist("receiving_organizations") if v.isdigit()],
                categories=data.getlist("categories"), purpose=data.get("purpose", ""),
                given_by=data.get("given_by", ""), given_by_name=data.get("given_by_name", ""),
                method=data.get("method", ""), witness_name=data.get("witness_name", ""),
                legal_basis=data.get("legal_basis", ""), starts_on=data.get("starts_on", ""),
                ends_on=data.get("ends_on", ""))
        except ValidationFailed as refusal:
            _attach(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Consentement consigné."))
            return redirect("people:consent_print", consent.pk)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@login_required
def consent_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable consent form, generated from the recorded consent itself."""
    _guard(request)
    consent, access = or_404(consent_get, request.user, pk, action=AccessAction.PRINT)
    return render(request, "people/consent_print.html", {"consent": consent, "access": access,
                                                         "person": consent.person,
                                                         "scan_attached": consent_scan_attached(consent),
                                                         "sees_identity": access.sees(Category.IDENTITY)})


@login_required
@require_http_methods(["GET", "POST"])
def consent_revoke_page(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    consent, access = or_404(consent_get, request.user, pk)
    if not access.own:
        raise refuse(PermissionRefused(_("Seule une organisation qui tient le dossier peut révoquer ce "
                                         "consentement.")))
    form = RevokeForm(request.POST or None)
    if request.method == "POST":
        try:
            or_404(consent_revoke, actor=request.user, consent_id=pk, method=request.POST.get("method", ""),
                   reason=request.POST.get("reason", ""))
        except ValidationFailed as refusal:
            _attach(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        else:
            messages.success(request, _("Consentement révoqué : il cesse d'avoir effet dès maintenant."))
            return redirect(reverse("people:detail", args=[consent.person_id]))
    return render(request, "people/consent_revoke.html", {"form": form, "consent": consent})
