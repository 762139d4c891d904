"""A signed consent form's scan: attached after the consent was recorded, served only to who may see it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.uploads import upload_limit
from toitcommun.views_common import or_404, refuse

from .rules import works_with_tenants
from .selectors import consent_get, consent_scan_attached, consent_scan_get
from .services import consent_scan_attach


def _guard(request: HttpRequest) -> None:
    if not works_with_tenants(request.user):
        raise refuse(PermissionRefused(_("Ces pages sont réservées au personnel des organisations qui suivent "
                                         "des locataires.")))


def _too_large(request: HttpRequest) -> HttpResponse:
    from toitcommun.views import error_page

    return error_page(request, 413)


@login_required
@require_http_methods(["GET", "POST"])
@upload_limit(settings.CONSENT_SCAN_MAX_BYTES, too_large=_too_large)
def consent_scan_add(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    consent, access = or_404(consent_get, request.user, pk)
    if not (access.own or consent.recording_organization_id in access.orgs):
        raise refuse(PermissionRefused(_("Seule une organisation qui tient le dossier joint le formulaire signé.")))
    errors: list[str] = []
    if consent_scan_attached(consent):
        errors.append(_("Le formulaire signé de ce consentement est déjà joint."))
    elif request.method == "POST":
        try:
            or_404(consent_scan_attach, actor=request.user, consent_id=pk, upload=request.FILES.get("scan"))
        except ValidationFailed as refusal:
            errors = [m for reasons in refusal.errors.values() for m in reasons]
        else:
            messages.success(request, _("Formulaire signé joint au consentement."))
            return redirect("people:consent_print", pk)
    return render(request, "people/consent_scan_form.html", {
        "consent": consent, "errors": errors, "max_mb": settings.CONSENT_SCAN_MAX_BYTES // (1024 * 1024),
    }, status=400 if errors and request.method == "POST" else 200)


@login_required
def consent_scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan itself, to whoever may see the consent: the same 404 otherwise. Logged."""
    _guard(request)
    consent, scan = or_404(consent_scan_get, request.user, pk)
    response = HttpResponse(bytes(scan.data), content_type=scan.content_type)
    response["Content-Disposition"] = f'inline; filename="consentement-{consent.pk}.{scan.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
