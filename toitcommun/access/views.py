import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused
from toitcommun.views import error_page
from toitcommun.views_common import is_htmx

from .forms import AuditFilterForm, LockReleaseForm, LoginForm
from .selectors import (
    api_tokens_of,
    audit_events_visible_to,
    audit_object_types,
    client_ip,
    lock_message,
    login_lock_of,
    login_locks_visible_to,
    login_slowdown_of,
)
from .services import api_token_revoke, login_lock_release, password_set


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
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types())
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        events = audit_events_visible_to(request.user, **{k: v for k, v in filters.items() if v})
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "access/audit.html#results" if is_htmx(request) else "access/audit.html"
    return render(request, template, context)


# ---- passwords: Django's own views, in the site's layout; a new password revokes API tokens ----


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
