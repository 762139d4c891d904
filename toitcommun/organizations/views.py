from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toitcommun.directory import rules as directory_rules
from toitcommun.directory.selectors import services_of_organization
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.territory.forms import TerritoryCombobox, TerritoryField, TerritoryInput
from toitcommun.views_common import (
    attach_errors,
    create_page,
    is_htmx,
    or_404,
    refuse,
    versioned_edit_page,
)

from . import rules
from .forms import MembershipForm, OrganizationForm
from .models import OrganizationKind
from .selectors import memberships_visible_to, organizations_list
from .services import (
    membership_add,
    membership_end,
    organization_create,
    organization_get,
    organization_update,
)


def organization_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OrganizationKind.values else ""
    q = request.GET.get("q", "").strip()[:100]
    territory = None
    chosen = TerritoryInput(text=request.GET.get("territory", "").strip()[:200],
                            code=request.GET.get("territory_code", "").strip()[:8])
    error = ""
    try:
        territory = TerritoryField(required=False).clean(chosen)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    territory_box = TerritoryCombobox().render("territory", territory or chosen, attrs={"id": "org-territory"})
    organizations = organizations_list(territory=territory, kind=kind, q=q)
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "kinds": OrganizationKind.choices, "kind": kind, "q": q,
               "territory_box": territory_box, "territory": territory, "error": error, "query": query.urlencode()}
    template = "organizations/list.html#results" if is_htmx(request) else "organizations/list.html"
    return render(request, template, context)


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = or_404(organization_get, pk)
    return render(request, "organizations/detail.html", _detail_context(request, org, MembershipForm()))


def _detail_context(request: HttpRequest, org: Any, membership_form: MembershipForm) -> dict[str, Any]:
    return {
        "org": org,
        "memberships": memberships_visible_to(request.user, org),
        "can_see_people": rules.can_see_people_of(request.user, org),
        "buildings": org.buildings.select_related("municipality").order_by("municipality__name", "name"),
        "services": services_of_organization(org.pk),
        "can_add_service": directory_rules.can_create_service(request.user, org.pk),
        "provider": org.directory_records.order_by("name", "pk").first(),
        "can_edit": rules.can_change_organization(request.user, org),
        "membership_form": membership_form,
    }


@login_required
@require_POST
def membership_add_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = or_404(organization_get, pk)
    form = MembershipForm(request.POST)
    try:
        membership_add(actor=request.user, organization_id=pk, data=request.POST)
    except ValidationFailed as refusal:
        attach_errors(form, refusal)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    else:
        form = MembershipForm()
    template = "organizations/detail.html#people" if is_htmx(request) else "organizations/detail.html"
    return render(request, template, _detail_context(request, org, form))


@login_required
@require_POST
def membership_end_page(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = or_404(organization_get, pk)
    if not org.memberships.filter(pk=membership_pk).exists():
        raise Http404(_("Membre introuvable."))
    try:
        membership_end(actor=request.user, membership_id=membership_pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    template = "organizations/detail.html#people" if is_htmx(request) else "organizations/detail.html"
    return render(request, template, _detail_context(request, org, MembershipForm()))


@login_required
def organization_create_page(request: HttpRequest) -> HttpResponse:
    return create_page(
        request, form_class=OrganizationForm,
        create=lambda **sent: organization_create(actor=request.user, **sent),
        template="organizations/form.html", done=lambda org: reverse("organizations:detail", args=[org.pk]),
        done_message=_("Organisation créée."),
    )


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = or_404(organization_get, pk)
    if not rules.can_change_organization(request.user, org):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier cette organisation.")))
    return versioned_edit_page(
        request, form_class=OrganizationForm, instance=org,
        update=lambda **sent: organization_update(actor=request.user, organization_id=pk, **sent),
        template="organizations/form.html", context={"org": org},
        done_url=reverse("organizations:detail", args=[pk]),
    )
