from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toitcommun.errors import PermissionRefused
from toitcommun.views_common import is_htmx

from .forms import AuditFilterForm, LoginForm
from .selectors import audit_events_visible_to, audit_object_types


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
