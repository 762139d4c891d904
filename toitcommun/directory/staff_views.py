"""The directory's staff pages: every service (retired ones too), adding, changing, verifying, retiring.

Parse, call a selector or a service, render. The rules decide who sees which button;
the services check again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from toitcommun.access import rules as access_rules
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
from toitcommun.organizations.models import Organization
from toitcommun.territory.selectors import territory_get
from toitcommun.views_common import (
    attach_errors,
    changed_fields,
    create_page,
    is_htmx,
    or_404,
    refuse,
    shown_value,
)

from . import rules
from .forms import (
    CORRECTABLE_FIELDS,
    MULTIPLE_FIELDS,
    CategoryForm,
    DirectoryOrganizationForm,
    RetireForm,
    ServiceForm,
    SynonymGroupForm,
    form_values,
)
from .hours import MAX_HOURS_LENGTH
from .models import (
    Correction,
    CorrectionState,
    DirectoryOrganization,
    Service,
    ServiceStatus,
    SynonymGroup,
)
from .public_reports import error_report_close
from .selectors import (
    categories,
    correction_get,
    corrections_proposed_by,
    corrections_to_decide,
    is_stale,
    reports_waiting,
    search_query,
    service_get,
    services_reported,
    services_search,
    services_to_verify,
)
from .services import (
    category_save,
    correction_accept,
    correction_propose,
    correction_refuse,
    correction_withdraw,
    directory_organization_create,
    service_create,
    service_restore,
    service_retire,
    service_update,
    service_verify,
    synonym_group_delete,
    synonym_group_save,
)
from .widgets import hours_context

PAGE_SIZE = 50

# How the service form is laid out: a legend, then its fields.
FIELD_GROUPS = [
    (gettext_lazy("Le service"), ["directory_organization", "name", "alternate_name", "description", "status", "categories",
                                  "url", "email", "alert"]),
    (gettext_lazy("Pour qui"), ["clienteles", "minimum_age", "maximum_age", "eligibility_description"]),
    (gettext_lazy("Comment y accéder"), ["application_process", "fees_description", "languages", "interpretation_services",
                                         "accessibility"]),
    (gettext_lazy("Où et quand"), ["service_area_codes", "location_name", "address_1", "municipality", "postal_code",
                                   "phone", "hours"]),
    (gettext_lazy("Position exacte sur la carte (facultatif)"), ["latitude", "longitude"]),
]


@dataclass
class Row:
    """One service of the staff list, with what this person may do to it."""

    service: Service
    stale: bool
    can_edit: bool
    can_verify: bool
    can_propose: bool = False
    error: str = ""
    reports: list[Correction] = field(default_factory=list)


def _refuse_outsiders(request: HttpRequest) -> None:
    if not rules.can_use_directory_staff_pages(request.user):
        raise PermissionDenied(_("Ces pages sont réservées aux personnes qui tiennent le répertoire à jour."))


def _rows(user: Any, services: list[Service]) -> list[Row]:
    prefetch_related_objects(services, "service_areas")
    places = rules.territories_of(services)
    reports = reports_waiting(services)
    rows = []
    for s in services:
        can_edit = rules.can_change_service(user, s, places[s.pk])
        rows.append(Row(
            service=s, stale=s.status != ServiceStatus.DEFUNCT and is_stale(s), can_edit=can_edit,
            can_verify=s.status != ServiceStatus.DEFUNCT and rules.can_verify_service(user, s, places[s.pk]),
            can_propose=s.status != ServiceStatus.DEFUNCT and rules.can_propose_correction(user, s, places[s.pk]),
            # A report's text and its sender's contact: for those who handle it (who may change the service).
            reports=reports.get(s.pk, []) if rules.can_decide_correction(user, s, places[s.pk]) else []))
    return rows


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    _refuse_outsiders(request)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in ServiceStatus.values else ""
    to_verify = request.GET.get("to_verify") == "1"
    error = ""
    try:
        query = search_query(text=q)
    except ValidationFailed as refusal:
        error, query = " ".join(m for reasons in refusal.errors.values() for m in reasons), search_query()
    services = services_search(query, include_retired=True)
    if status:
        services = services.filter(status=status)
    if to_verify:  # not verified for a year, or an error reported by the public waits
        services = services.filter(Q(pk__in=services_to_verify().values("pk"))
                                   | Q(pk__in=services_reported().values("pk")))
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page, "rows": _rows(request.user, list(page.object_list)), "q": q, "status": status,
        "to_verify": to_verify, "statuses": ServiceStatus.choices, "error": error, "query": params.urlencode(),
        "can_add": rules.can_keep_directory(request.user), "next": request.get_full_path(),
        "can_edit_categories": rules.can_edit_categories(request.user),
        "can_edit_thesaurus": rules.can_edit_thesaurus(request.user),
        "corrections_waiting": len(corrections_to_decide(request.user)),
    }
    template = "directory/staff/list.html#results" if is_htmx(request) else "directory/staff/list.html"
    return render(request, template, context)


# ---- adding and changing -------------------------------------------------------------------


def _whole_form(post: QueryDict) -> QueryDict:
    """The page posts the whole form: a checkbox list with nothing ticked is sent as empty, not left out."""
    data = post.copy()
    for name in MULTIPLE_FIELDS:
        data.setlist(name, post.getlist(name))
    return data


def _limit_providers(form: ServiceForm, user: Any) -> None:
    """Staff pick among their own organization's providers; administrators and coordinators among all."""
    field = form.fields["directory_organization"]
    assert isinstance(field, forms.ModelChoiceField)
    providers = DirectoryOrganization.objects.order_by("name")
    if not rules.can_choose_any_provider(user):
        providers = providers.filter(organization_id__in=access_rules.organizations_of(user))
    field.queryset = providers


def _groups(form: forms.BaseForm) -> list[tuple[Any, list[forms.BoundField]]]:
    return [(legend, [form[name] for name in names if name in form.fields]) for legend, names in FIELD_GROUPS]


@login_required
def service_create_page(request: HttpRequest) -> HttpResponse:
    if not rules.can_keep_directory(request.user):
        raise PermissionDenied(_("Vous ne pouvez pas ajouter de service au répertoire."))
    return create_page(
        request, form_class=ServiceForm, create=partial(service_create, actor=request.user),
        template="directory/staff/service_form.html",
        done=lambda service: reverse("directory_staff:service_edit", args=[service.pk]),
        done_message=_("Service ajouté au répertoire."),
        initial={"directory_organization": request.GET.get("provider")},
        prepare=lambda form: _limit_providers(form, request.user), read=_whole_form,
        context_of=lambda form: {"groups": _groups(form)},
    )


def _edit_context(request: HttpRequest, service: Service, **extra: Any) -> dict[str, Any]:
    places = rules.territories_of([service])[service.pk]
    return {
        "service": service, "creating": False, "stale": is_stale(service),
        "retired": service.status == ServiceStatus.DEFUNCT,
        "can_verify": service.status != ServiceStatus.DEFUNCT and rules.can_verify_service(
            request.user, service, places),
        "can_retire": rules.can_retire_service(request.user, service, places),
        "retire_form": RetireForm(), "version": service.version, "conflict": None,
        "unplaced_areas": [a for a in service.service_areas.all() if not a.territory_code],
        "corrections": [_shown_correction(c, service) for c in corrections_to_decide(request.user, service)],
        **extra,
    }


def _editable(request: HttpRequest, pk: str) -> Service:
    service = or_404(service_get, pk, include_retired=True)
    if not rules.can_change_service(request.user, service):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier ce service.")))
    return service


@login_required
def service_edit(request: HttpRequest, pk: str) -> HttpResponse:
    """The service's form; when somebody saved it meanwhile, the form again with what changed and what was typed."""
    service = _editable(request, pk)
    form, conflict = ServiceForm(instance=service), None
    version: Any = service.version
    if request.method == "POST":
        form = ServiceForm(request.POST, instance=service)
        version = request.POST.get("version", "")
        try:
            service_update(actor=request.user, service_id=service.pk, version=version,
                           data=_whole_form(request.POST))
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        except VersionConflict as stale:
            conflict, version = changed_fields(form, stale.current), stale.current_version
            service = service_get(service.pk, include_retired=True)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("directory_staff:service_edit", pk=service.pk)
    _limit_providers(form, request.user)
    return render(request, "directory/staff/service_form.html", _edit_context(
        request, service, form=form, groups=_groups(form), version=version, conflict=conflict))


# ---- verifying, retiring, restoring --------------------------------------------------------


def _back(request: HttpRequest, service: Service) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("directory_staff:service_edit", pk=service.pk)


@login_required
@require_POST
def service_verify_page(request: HttpRequest, pk: str) -> HttpResponse:
    """Mark a service verified today; from the list, htmx swaps its row."""
    error = ""
    try:
        service = or_404(service_verify, actor=request.user, service_id=pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        error = " ".join(m for reasons in refusal.errors.values() for m in reasons)
        service = or_404(service_get, pk, include_retired=True)
    if is_htmx(request):
        row = _rows(request.user, [service_get(service.pk, include_retired=True)])[0]
        row.error = error
        return render(request, "directory/staff/list.html#row", {"row": row, "next": request.POST.get("next", "")})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Service vérifié aujourd'hui."))
    return _back(request, service)


@login_required
@require_POST
def service_retire_page(request: HttpRequest, pk: str) -> HttpResponse:
    service = or_404(service_get, pk, include_retired=True)
    retire_form = RetireForm(request.POST)
    try:
        service_retire(actor=request.user, service_id=service.pk, reason=request.POST.get("reason", ""))
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        attach_errors(retire_form, refusal)
        form = ServiceForm(instance=service)
        _limit_providers(form, request.user)
        return render(request, "directory/staff/service_form.html", _edit_context(
            request, service, form=form, groups=_groups(form), retire_form=retire_form))
    messages.success(request, _("Service retiré : il n'apparaît plus dans le répertoire public. "
                                "Vous pouvez le rétablir."))
    return redirect("directory_staff:service_edit", pk=service.pk)


@login_required
@require_POST
def service_restore_page(request: HttpRequest, pk: str) -> HttpResponse:
    service = or_404(service_get, pk, include_retired=True)
    try:
        service_restore(actor=request.user, service_id=service.pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        messages.error(request, " ".join(m for reasons in refusal.errors.values() for m in reasons))
    else:
        messages.success(request, _("Service rétabli : il apparaît de nouveau dans le répertoire public."))
    return redirect("directory_staff:service_edit", pk=service.pk)


# ---- providers -----------------------------------------------------------------------------


def _limit_organizations(form: DirectoryOrganizationForm, user: Any) -> None:
    """Staff add their own organization's provider; administrators and coordinators any."""
    organization = form.fields["organization"]
    assert isinstance(organization, forms.ModelChoiceField)
    if not rules.can_choose_any_provider(user):
        organization.queryset = Organization.objects.filter(
            pk__in=access_rules.organizations_of(user)).order_by("name")


@login_required
def organization_create_page(request: HttpRequest) -> HttpResponse:
    if not rules.can_keep_directory(request.user):
        raise PermissionDenied(_("Vous ne pouvez pas ajouter d'organisation au répertoire."))
    return create_page(
        request, form_class=DirectoryOrganizationForm,
        create=partial(directory_organization_create, actor=request.user),
        template="directory/staff/organization_form.html",
        done=lambda provider: f"{reverse('directory_staff:service_create')}?provider={provider.pk}",
        done_message=_("Organisation ajoutée au répertoire : ajoutez maintenant ses services."),
        initial={"organization": request.GET.get("organization")},
        prepare=lambda form: _limit_organizations(form, request.user),
    )


# ---- the region's categories -----------------------------------------------------------------


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    """The region's categories, with how many services use each; add one or rename one."""
    if not rules.can_edit_categories(request.user):
        raise PermissionDenied(_("Seules la coordination régionale et l'administration modifient les catégories."))
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        try:
            category_save(actor=request.user, data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Catégorie ajoutée."))
            return redirect("directory_staff:categories")
    terms = categories().annotate(used=Count("services"))
    return render(request, "directory/staff/categories.html", {"terms": terms, "form": form})


@login_required
def category_edit(request: HttpRequest, pk: str) -> HttpResponse:
    if not rules.can_edit_categories(request.user):
        raise PermissionDenied(_("Seules la coordination régionale et l'administration modifient les catégories."))
    term = or_404(_category, pk)
    form = CategoryForm(request.POST or None, instance=term)
    form.fields["code"].disabled = True  # before any cleaning: a fixed code is not asked for again
    if request.method == "POST":
        try:
            category_save(actor=request.user, data=request.POST, term_id=term.pk)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Catégorie enregistrée."))
            return redirect("directory_staff:categories")
    return render(request, "directory/staff/category_form.html", {"form": form, "term": term})


def _category(pk: str) -> Any:
    from django.core.exceptions import ValidationError

    from .taxonomy_seed import CATEGORIES_TAXONOMY
    try:
        term = categories().filter(taxonomy_id=CATEGORIES_TAXONOMY, pk=pk).first()
    except ValidationError:
        term = None
    if term is None:
        raise NotFound(_("Catégorie introuvable."))
    return term


# ---- the region's thesaurus -------------------------------------------------------------------

THESAURUS_REFUSAL = gettext_lazy("Seules la coordination régionale et l'administration modifient les synonymes.")


@login_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    """The region's thesaurus: every group of equivalent expressions; add one."""
    if not rules.can_edit_thesaurus(request.user):
        raise PermissionDenied(str(THESAURUS_REFUSAL))
    form = SynonymGroupForm(request.POST or None)
    if request.method == "POST":
        try:
            synonym_group_save(actor=request.user, data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, _("Synonymes ajoutés : ils servent dès la prochaine recherche."))
            return redirect("directory_staff:synonyms")
    return render(request, "directory/staff/synonyms.html", {"groups": SynonymGroup.objects.all(), "form": form})


@login_required
def synonym_edit(request: HttpRequest, pk: str) -> HttpResponse:
    """Change a group's expressions, at the version read: a save over somebody else's is refused and shown."""
    if not rules.can_edit_thesaurus(request.user):
        raise PermissionDenied(str(THESAURUS_REFUSAL))
    group = or_404(_synonym_group_or_404, pk)
    version, conflict = group.version, None
    form = SynonymGroupForm(request.POST or None, initial={"expressions": "\n".join(group.expressions)})
    if request.method == "POST":
        try:
            synonym_group_save(actor=request.user, data=request.POST, group_id=group.pk,
                               version=request.POST.get("version"))
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
            version = request.POST.get("version", version)
        except VersionConflict as stale:
            conflict, version = stale.current.get("expressions", []), stale.current_version
        else:
            messages.success(request, _("Synonymes enregistrés : ils servent dès la prochaine recherche."))
            return redirect("directory_staff:synonyms")
    return render(request, "directory/staff/synonym_form.html",
                  {"form": form, "group": group, "version": version, "conflict": conflict})


@login_required
@require_POST
def synonym_delete(request: HttpRequest, pk: str) -> HttpResponse:
    try:
        synonym_group_delete(actor=request.user, group_id=pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    messages.success(request, _("Groupe de synonymes retiré du thésaurus."))
    return redirect("directory_staff:synonyms")


def _synonym_group_or_404(pk: str) -> SynonymGroup:
    try:
        return SynonymGroup.objects.get(pk=int(pk))
    except (SynonymGroup.DoesNotExist, ValueError, OverflowError):
        raise NotFound(_("Groupe de synonymes introuvable.")) from None


@login_required
@require_GET
def hours_preview(request: HttpRequest) -> HttpResponse:
    """What the service form understood of the hours typed so far, or the day-by-day grid (htmx)."""
    text = request.GET.get("hours", "")[:MAX_HOURS_LENGTH + 1]
    template = ("directory/widgets/_hours_grid.html" if request.GET.get("part") == "grid"
                else "directory/widgets/_hours_preview.html")
    return render(request, template, hours_context(text))


# ---- corrections proposed by those who verify ------------------------------------------------


@dataclass
class CorrectionField:
    """One field of a proposal: when proposed, now, and what is proposed, as a person reads them."""

    name: str
    label: Any
    base: str
    current: str
    proposed: str
    changed_since: bool


@dataclass
class ShownCorrection:
    correction: Correction
    fields: list[CorrectionField]

    @property
    def stale(self) -> bool:
        return any(f.changed_since for f in self.fields)


def _shown_correction(correction: Correction, service: Service | None = None) -> ShownCorrection:
    """A proposal with, field by field, the value it was made on, the value now and the value proposed."""
    form = ServiceForm()
    current = form_values(service) if service is not None else {}
    rows = []
    for name in CORRECTABLE_FIELDS:  # in the form's order: PostgreSQL's JSON keeps no order of keys
        field = form.fields.get(name)
        if field is None or name not in correction.values:
            continue
        proposed = correction.values[name]
        base = correction.base.get(name, "")
        now = current.get(name, base)
        show = _areas_by_name if name == "service_area_codes" else partial(shown_value, field)
        rows.append(CorrectionField(name=name, label=field.label, base=show(base), current=show(now),
                                    proposed=show(proposed), changed_since=now != base))
    return ShownCorrection(correction=correction, fields=rows)


def _areas_by_name(codes: Any) -> str:
    """'31084, 310' -> 'Thetford Mines (31084), Les Appalaches (310)': territories as a person names them."""
    shown = []
    for code in str(codes or "").replace(";", ",").split(","):
        code = code.strip()
        if not code:
            continue
        try:
            shown.append(f"{territory_get(code).name} ({code})")
        except NotFound:
            shown.append(code)
    return ", ".join(shown)


class CorrectionNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note pour les personnes qui tiennent ce service à jour"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Par exemple : « le numéro a changé en janvier », ou ce qui est inexact "
                               "si vous ne savez pas la bonne valeur."))


@login_required
def correction_propose_page(request: HttpRequest, pk: str) -> HttpResponse:
    """The service's form, filled with what is stored: change what is wrong, add a note, send."""
    service = or_404(service_get, pk, include_retired=True)
    if not rules.can_propose_correction(request.user, service):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas proposer de correction à ce service.")))
    form = ServiceForm(request.POST or None, instance=service)
    del form.fields["directory_organization"]
    note_form = CorrectionNoteForm(request.POST or None)
    version: Any = service.version
    conflict = None
    if request.method == "POST":
        version = request.POST.get("version", "")
        data = _whole_form(request.POST)
        for key in ("csrfmiddlewaretoken", "version", "note"):
            data.pop(key, None)
        try:
            correction_propose(actor=request.user, service_id=service.pk, version=version, data=data,
                               note=request.POST.get("note", ""))
        except ValidationFailed as refusal:
            attach_errors(form, ValidationFailed({k: v for k, v in refusal.errors.items() if k != "note"}))
            attach_errors(note_form, ValidationFailed({"note": refusal.errors.get("note", [])}))
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        except VersionConflict as stale:
            conflict, version = changed_fields(form, stale.current), stale.current_version
            service = service_get(service.pk, include_retired=True)
        else:
            messages.success(request, _("Proposition envoyée : les personnes qui tiennent ce service à jour "
                                        "l'accepteront ou la refuseront. Vous verrez leur décision ici."))
            return redirect("directory_staff:corrections")
    return render(request, "directory/staff/correction_form.html", {
        "service": service, "form": form, "note_form": note_form, "groups": _groups(form), "version": version,
        "conflict": conflict})


@login_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """The proposals waiting for this person's decision, and the outcome of their own."""
    _refuse_outsiders(request)
    waiting = corrections_to_decide(request.user)
    services = {s.pk: s for s in Service.objects.filter(pk__in={c.service_id for c in waiting}).prefetch_related(
        "categories", "languages", "service_areas", "schedules", "phones",
        "service_at_locations__location__addresses")}
    return render(request, "directory/staff/corrections.html", {
        "waiting": [_shown_correction(c, services[c.service_id]) for c in waiting],
        "mine": [_shown_correction(c) for c in corrections_proposed_by(request.user)[:100]],
        "states": CorrectionState,
    })


def _after_decision(request: HttpRequest, correction: Correction) -> HttpResponse:
    if request.POST.get("next") == "list":
        return redirect("directory_staff:corrections")
    return redirect("directory_staff:service_edit", pk=correction.service_id)


@login_required
@require_POST
def correction_accept_page(request: HttpRequest, pk: str) -> HttpResponse:
    correction = or_404(correction_get, pk, request.user)
    try:
        correction_accept(actor=request.user, correction_id=correction.pk, version=request.POST.get("version", ""),
                          fields=request.POST.getlist("fields"))
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        messages.error(request, " ".join(m for reasons in refusal.errors.values() for m in reasons))
    except VersionConflict:
        messages.error(request, _("Quelqu'un a modifié ce service depuis que vous avez ouvert la page : "
                                  "relisez les valeurs actuelles, puis acceptez de nouveau."))
    else:
        messages.success(request, _("Correction acceptée : le service est modifié."))
    return _after_decision(request, correction)


@login_required
@require_POST
def correction_refuse_page(request: HttpRequest, pk: str) -> HttpResponse:
    correction = or_404(correction_get, pk, request.user)
    try:
        correction_refuse(actor=request.user, correction_id=correction.pk, reason=request.POST.get("reason", ""))
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        messages.error(request, " ".join(m for reasons in refusal.errors.values() for m in reasons))
    else:
        messages.success(request, _("Proposition refusée : son auteur verra votre raison."))
    return _after_decision(request, correction)


@login_required
@require_POST
def correction_withdraw_page(request: HttpRequest, pk: str) -> HttpResponse:
    correction = or_404(correction_get, pk, request.user)
    try:
        correction_withdraw(actor=request.user, correction_id=correction.pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        messages.error(request, " ".join(m for reasons in refusal.errors.values() for m in reasons))
    else:
        messages.success(request, _("Proposition retirée."))
    return redirect("directory_staff:corrections")


@login_required
@require_POST
def report_close_page(request: HttpRequest, pk: str) -> HttpResponse:
    """Close an error reported by the public: fixed, or not an error."""
    report = or_404(correction_get, pk, request.user)
    outcome = request.POST.get("outcome", "")
    try:
        if outcome not in ("fixed", "not_an_error"):
            raise ValidationFailed({"outcome": [_("Choisissez « Corrigé » ou « Pas une erreur ».")]})
        error_report_close(actor=request.user, correction_id=report.pk, fixed=outcome == "fixed")
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except ValidationFailed as refusal:
        messages.error(request, " ".join(m for reasons in refusal.errors.values() for m in reasons))
    else:
        messages.success(request, _("Signalement traité : il est gardé avec votre décision."))
    if request.POST.get("next") == "to_verify":
        return redirect(reverse("directory_staff:list") + "?to_verify=1")
    return _after_decision(request, report)
