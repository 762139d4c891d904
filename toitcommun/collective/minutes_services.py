"""The minutes' path: drafted by the officers, submitted to the members, adopted by a later meeting
of the same group with quorum (a decision: see meeting_services.decision_record), published to the
meeting's audience. Adopted text never changes: a correction is a new version, adopted again."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from toitcommun.versioning import expected_version

from . import governance_rules as rules
from .meeting_services import _meeting_for_change
from .models import MeetingState, Minutes, MinutesState

EDITABLE = (MinutesState.DRAFT, MinutesState.SUBMITTED)


def _state_only(minutes: Minutes) -> dict[str, Any]:
    """The audit keeps the stage and version of minutes, never their text (names are in it)."""
    return {"state": minutes.state, "revision": minutes.revision, "meeting": minutes.meeting_id}


def _minutes_for_change(actor: Any, minutes_id: Any) -> Minutes:
    try:
        minutes = Minutes.objects.select_related("meeting__group__region", "meeting__group__mrc",
                                                 "meeting__group__municipality").get(pk=int(minutes_id))
    except (Minutes.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Procès-verbal introuvable.")) from None
    if not rules.can_manage(actor, minutes.meeting.group):
        if not rules.can_see_minutes(actor, minutes):
            raise NotFound(_("Procès-verbal introuvable."))
        raise PermissionRefused(_("Seuls le secrétariat et les dirigeants du groupe rédigent ses procès-verbaux."))
    return minutes


def _texts(text: Any, in_camera_text: Any) -> tuple[str, str]:
    text, in_camera_text = str(text or "").strip(), str(in_camera_text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Le procès-verbal est vide.")]
    elif len(text) > 50_000:
        errors["text"] = [_("50 000 caractères au plus.")]
    if len(in_camera_text) > 20_000:
        errors["in_camera_text"] = [_("20 000 caractères au plus.")]
    if errors:
        raise ValidationFailed(errors)
    return text, in_camera_text


def minutes_draft(*, actor: Any, meeting_id: Any, text: str, in_camera_text: str = "") -> Minutes:
    """Start the minutes of a held meeting, or a correction of adopted ones (a new version)."""
    meeting = _meeting_for_change(actor, meeting_id)
    if meeting.state != MeetingState.HELD:
        raise ValidationFailed({"__all__": [_("Le procès-verbal se rédige une fois la réunion tenue.")]})
    text, in_camera_text = _texts(text, in_camera_text)
    if meeting.minutes_versions.filter(state__in=EDITABLE).exists():
        raise ValidationFailed({"__all__": [_("Un procès-verbal de cette réunion est déjà en cours : "
                                              "modifiez-le plutôt que d'en commencer un autre.")]})
    try:
        with transaction.atomic():
            revision = (meeting.minutes_versions.aggregate(m=Max("revision"))["m"] or 0) + 1
            minutes = Minutes.objects.create(meeting=meeting, revision=revision, text=text,
                                             in_camera_text=in_camera_text)
            audit_record(actor=actor, action="collective.minutes.draft", instance=minutes,
                         after=_state_only(minutes))
    except IntegrityError:
        raise Conflict({"__all__": [_("Une autre version vient d'être commencée : rechargez.")]}) from None
    return minutes


def minutes_edit(*, actor: Any, minutes_id: Any, version: Any, text: str, in_camera_text: str = "") -> Minutes:
    """Change the text of minutes not yet adopted. Refused if somebody saved them since ``version``."""
    minutes = _minutes_for_change(actor, minutes_id)
    if minutes.state not in EDITABLE:
        raise ValidationFailed({"__all__": [_("Un procès-verbal adopté ne se modifie plus : rédigez une correction "
                                              "(une nouvelle version), qui sera adoptée à son tour.")]})
    expected = expected_version(version)
    text, in_camera_text = _texts(text, in_camera_text)
    from toitcommun.errors import VersionConflict
    with transaction.atomic():
        changed = Minutes.objects.filter(pk=minutes.pk, version=expected, state__in=EDITABLE).update(
            text=text, in_camera_text=in_camera_text, version=expected + 1, updated_at=timezone.now())
        if not changed:
            current = Minutes.objects.get(pk=minutes.pk)
            if current.state not in EDITABLE:
                raise ValidationFailed({"__all__": [_("Un procès-verbal adopté ne se modifie plus.")]})
            raise VersionConflict({"text": current.text, "in_camera_text": current.in_camera_text},
                                  current.version)
        minutes.refresh_from_db()
        audit_record(actor=actor, action="collective.minutes.edit", instance=minutes, after=_state_only(minutes))
    return minutes


def _move(actor: Any, minutes_id: Any, allowed: tuple[str, ...], to: str, action: str, refusal: str,
          **values: Any) -> Minutes:
    minutes = _minutes_for_change(actor, minutes_id)
    if minutes.state not in allowed:
        raise ValidationFailed({"state": [refusal]})
    with transaction.atomic():
        changed = Minutes.objects.filter(pk=minutes.pk, state=minutes.state).update(
            state=to, version=minutes.version + 1, updated_at=timezone.now(), **values)
        if not changed:
            raise Conflict({"state": [_("Ce procès-verbal vient de changer : rechargez.")]})
        before = _state_only(minutes)
        minutes.refresh_from_db()
        audit_record(actor=actor, action=action, instance=minutes, before=before, after=_state_only(minutes))
    return minutes


def minutes_submit(*, actor: Any, minutes_id: Any) -> Minutes:
    """Give the draft to the members, marked as a draft, ahead of its adoption."""
    return _move(actor, minutes_id, (MinutesState.DRAFT,), MinutesState.SUBMITTED, "collective.minutes.submit",
                 _("Seul un brouillon peut être soumis aux membres."))


def minutes_publish(*, actor: Any, minutes_id: Any) -> Minutes:
    """Make adopted minutes readable by the meeting's audience (in-camera parts stay with the members)."""
    return _move(actor, minutes_id, (MinutesState.ADOPTED,), MinutesState.PUBLISHED,
                 "collective.minutes.publish",
                 _("Un procès-verbal se publie une fois adopté par une réunion suivante du groupe."),
                 published_on=timezone.localdate())
