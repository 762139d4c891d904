import csv
import math
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused
from toitcommun.housing.exports import _cell as spreadsheet_cell
from toitcommun.views import error_page
from toitcommun.views_common import is_htmx

from .forms import AuditFilterForm, LockReleaseForm, LoginForm
from .reading import action_choices, kind_choices, readable
from .selectors import (
    api_tokens_of,
    audit_events_visible_to,
    audit_filter_values,
    client_ip,
    lock_message,
    login_lock_of,
    login_locks_visible_to,
    login_slowdown_of,
)
from .services import api_token_revoke, login_lock_release, password_set

EVENTS_PER_PAGE = 50
EXPORT_CHUNK = 2000


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = login_slowdown_of(ip_address=client_ip(request))
        if wait:
            return _too_many(request, ngettext(
                "Trop d'échecs de connexion depuis votre adresse : réessayez dans %(seconds)s seconde.",
                "Trop d'échecs de connexion depuis votre adresse : réessayez dans %(seconds)s secondes.",
                wait,
            ) % {"seconds": wait}, wait)
        return super().post(request, *args, **kwargs)


def _too_many(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    response = error_page(request, 429, template="access/locked_out.html", context={"message": message})
    response["Retry-After"] = str(max(1, retry_after))
    return response


def locked_out(request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
               ) -> HttpResponse:
    """The page django-axes answers a locked login with: what is locked, and until when."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username")
    lock = login_lock_of(username=username, ip_address=client_ip(request))
    if lock is None:
        return _too_many(request, _("Trop d'échecs de connexion : réessayez dans un moment."), 60)
    retry_after = math.ceil((lock.until - timezone.now()).total_seconds())
    return _too_many(request, lock_message(lock), retry_after)


@login_required
def login_locks(request: HttpRequest) -> HttpResponse:
    """Administrators see the locks in force and may lift one."""
    try:
        locks = login_locks_visible_to(request.user)
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    return render(request, "access/login_locks.html", {"locks": locks})


@login_required
@require_POST
def login_lock_lift(request: HttpRequest) -> HttpResponse:
    form = LockReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Verrouillage introuvable : rechargez la page."))
        return redirect("access:login_locks")
    try:
        login_lock_release(actor=request.user, username=form.cleaned_data["username"],
                           ip_address=form.cleaned_data["ip_address"])
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    messages.success(request, _("Verrouillage levé : ce nom d'utilisateur peut de nouveau se connecter depuis cette adresse."))
    return redirect("access:login_locks")


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens, each with a button to revoke it."""
    return render(request, "access/api_tokens.html",
                  {"tokens": api_tokens_of(request.user), "token_days": settings.API_TOKEN_DAYS})


@login_required
@require_POST
def api_token_revoke_page(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        api_token_revoke(actor=request.user, token_id=token_id)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    messages.success(request, _("Jeton révoqué : il ne permet plus d'utiliser l'API."))
    return redirect("access:api_tokens")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The audit log, one sentence per event; filtered, paginated, or exported as CSV."""
    try:
        actions, object_types = audit_filter_values(request.user)
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    query = request.GET.copy()
    query.pop("page", None)
    export = query.pop("format", [""])[0] == "csv"
    form = AuditFilterForm(query or None, actions=action_choices(actions), object_types=kind_choices(object_types))
    valid = form.is_valid() if form.is_bound else True
    if valid:
        filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
        events = audit_events_visible_to(request.user, **filters).select_related("actor")
        if export:
            return _export(events)
    else:
        events = audit_events_visible_to(request.user).none()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "valid": valid, "page": page, "entries": readable(list(page.object_list)),
               "query": query.urlencode()}
    template = "access/audit.html#results" if is_htmx(request) else "access/audit.html"
    return render(request, template, context, status=200 if valid or not export else 400)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export(events: Any) -> StreamingHttpResponse:
    """The filtered log as CSV, UTF-8 with a BOM for Excel, read and written a chunk at a time."""
    writer = csv.writer(_Echo())
    headers = [_("Moment"), _("Auteur"), _("Action"), _("Description"), _("Changements"), _("Type d'objet"),
               _("Identifiant"), _("Code de l'action")]

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(headers)
        chunk: list[Any] = []
        for event in events.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(event)
            if len(chunk) == EXPORT_CHUNK:
                yield from _lines(writer, chunk)
                chunk = []
        yield from _lines(writer, chunk)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="journal-audit-{stamp}.csv"'
    return response


def _lines(writer: Any, events: list[Any]) -> Iterator[str]:
    for entry in readable(events):
        event = entry.event
        yield writer.writerow([spreadsheet_cell(value) for value in (
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_name, entry.action_label,
            entry.sentence, entry.changes_text, entry.kind, event.object_id, event.action,
        )])



class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "access/password_change.html"
    success_url = reverse_lazy("access:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        password_set(actor=self.request.user, user=form.user, new_password=form.cleaned_data["new_password1"],
                     reason="password_change")
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "access/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "access/password_reset.html"
    email_template_name = "access/password_reset_email.txt"
    subject_template_name = "access/password_reset_subject.txt"
    success_url = reverse_lazy("access:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "access/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "access/password_reset_confirm.html"
    success_url = reverse_lazy("access:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        password_set(actor=form.user, user=form.user, new_password=form.cleaned_data["new_password1"],
                     reason="password_reset")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "access/password_reset_complete.html"
