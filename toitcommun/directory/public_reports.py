"""Errors reported by the public from a service's page ("Signaler une erreur"): the acts and their limit.

A report is a ``Correction`` with no author and no fields: what the person wrote, and, if
they wish, how to reach them. It waits with the proposals of workers, for the same people
(those who may change the service), in the staff list's "à vérifier" view and on the
corrections page; they close it as fixed or as not an error. No account is needed, so each
sending address may send only a few per hour (settings.PUBLIC_REPORTS_PER_HOUR), counted by
a keyed hash of the address: the address itself is never stored.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import PermissionRefused, ServiceError, ValidationFailed

from . import rules
from .forms import parse_phone
from .models import Correction, CorrectionState
from .selectors import correction_get, service_get

REPORT_MAX = 1000
CONTACT_MAX = 200
WINDOW = datetime.timedelta(hours=1)


class TooManyReports(ServiceError):
    """This address sent its reports for the hour; ``retry_after`` seconds until the next one is taken."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many reports")
        self.retry_after = retry_after


def reporter_key(address: str) -> str:
    """A keyed hash of the sender's address: enough to count its reports, not to find the address."""
    return hmac.new(settings.SECRET_KEY.encode(), f"public-report:{address}".encode(), hashlib.sha256).hexdigest()


def report_wait(key: str) -> int:
    """Seconds this sender must wait before another report is taken (0: none)."""
    since = timezone.now() - WINDOW
    recent = Correction.objects.filter(reporter_key=key, created_at__gte=since)
    found = recent.aggregate(oldest=Min("created_at"))
    if recent.count() < settings.PUBLIC_REPORTS_PER_HOUR or found["oldest"] is None:
        return 0
    return max(1, math.ceil((found["oldest"] + WINDOW - timezone.now()).total_seconds()))


def report_snapshot(correction: Correction) -> dict[str, Any]:
    """What the audit keeps of a correction: never the reporter's contact nor the address's hash."""
    data = snapshot(correction) or {}
    data.pop("reporter_key", None)
    contact = data.pop("reporter_contact", "")
    if correction.from_public:
        data["reporter_contact_given"] = bool(contact)
    return data


def _text(value: Any, field: str, limit: int, *, required: bool) -> str:
    text = " ".join(str(value or "").replace("\x00", " ").split()) if field == "contact" \
        else str(value or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationFailed({field: [_("Ce texte contient un caractère nul : retirez-le.")]})
    if required and not text:
        raise ValidationFailed({field: [_("Dites en quelques mots ce qui est inexact.")]})
    if len(text) > limit:
        raise ValidationFailed({field: [_("Au plus %(max)s caractères (actuellement %(n)s).")
                                        % {"max": limit, "n": len(text)}]})
    return text


def parse_contact(value: Any) -> str:
    """An e-mail address or a phone number, or nothing; anything else is refused, kindly."""
    text = _text(value, "contact", CONTACT_MAX, required=False)
    if not text:
        return ""
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationFailed({"contact": [
                _("Cette adresse courriel ne semble pas complète, par exemple nom@exemple.org.")]}) from None
        return text
    try:
        phone = parse_phone(text)
    except ValidationError:
        raise ValidationFailed({"contact": [
            _("Laissez un courriel ou un numéro de téléphone à 10 chiffres, ou rien du tout.")]}) from None
    return phone.number + (f" poste {phone.extension}" if phone.extension else "")


def error_report(*, service_id: Any, text: Any, contact: Any = "", sender: str) -> Correction:
    """Anyone tells those who keep a service that its page is wrong: a short text, a way to reach them if they wish.

    ``sender`` is the address the request came from; only its keyed hash is kept, to limit
    each address to a few reports an hour (TooManyReports). A retired service takes none.
    """
    service = service_get(service_id)
    key = reporter_key(sender)
    wait = report_wait(key)
    if wait:
        raise TooManyReports(wait)
    errors: dict[str, list[str]] = {}
    note = contact_text = ""
    try:
        note = _text(text, "text", REPORT_MAX, required=True)
    except ValidationFailed as refusal:
        errors |= refusal.errors
    try:
        contact_text = parse_contact(contact)
    except ValidationFailed as refusal:
        errors |= refusal.errors
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        report = Correction.objects.create(
            service=service, proposed_by=None, values={}, base={}, base_version=service.version, note=note,
            reporter_contact=contact_text, reporter_key=key)
        audit_record(actor=None, action="correction.report", instance=report, after=report_snapshot(report))
    return report


def error_report_close(*, actor: Any, correction_id: Any, fixed: bool) -> Correction:
    """Close a report from the public: the page is fixed now, or it was not an error. Audited."""
    report = correction_get(correction_id, actor)
    if not rules.can_decide_correction(actor, report.service):
        raise PermissionRefused(_("Seules les personnes qui tiennent ce service à jour traitent ses signalements."))
    if not report.from_public:
        raise ValidationFailed({"state": [_("Ce n'est pas un signalement du public : acceptez ou refusez la "
                                            "proposition.")]})
    before = report_snapshot(report)
    with transaction.atomic():
        closed = Correction.objects.filter(pk=report.pk, state=CorrectionState.PENDING).update(
            state=CorrectionState.ACCEPTED if fixed else CorrectionState.REFUSED, decided_by=actor,
            decided_at=timezone.now())
        report.refresh_from_db()
        if not closed:
            raise ValidationFailed({"state": [_("Ce signalement est déjà traité.")]})
        audit_record(actor=actor, action="correction.report_fixed" if fixed else "correction.report_not_an_error",
                     instance=report, before=before, after=report_snapshot(report))
    return report
