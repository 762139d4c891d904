"""Acts on activities: plan, change, publish, cancel, count who came.

Each act that changes what the calendars or the yearly figures show keeps the roll-ups
current in the same transaction: the activity's own totals, and the participation tally of
its municipality and year (``ParticipationTally``), so that reads never count rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record, snapshot
from toitcommun.errors import (
    NotFound,
    PermissionRefused,
    ValidationFailed,
    VersionConflict,
    form_errors,
)
from toitcommun.versioning import expected_version

from . import activity_bounds as bounds
from . import activity_rules as rules
from .activity_forms import ActivityForm, AttendanceCountForm
from .activity_selectors import activity_get
from .models import Activity, ActivityAttendee, ActivityPhoto, ActivityState, ParticipationTally

_SHOWN_IN_CALENDARS = ("title", "kind", "description", "starts_at", "ends_at", "place", "municipality",
                       "is_public", "state")


@dataclass(frozen=True)
class Contribution:
    """What one activity adds to the participation tally of its municipality and year."""

    municipality_id: int
    year: int
    activities: int
    tenant_organized_activities: int
    attendance_total: int
    tenants_attending: int

    @classmethod
    def of(cls, activity: Activity) -> Contribution | None:
        if activity.state != ActivityState.PUBLISHED:
            return None
        return cls(municipality_id=activity.municipality_id, year=timezone.localtime(activity.starts_at).year,
                   activities=1, tenant_organized_activities=int(activity.organized_by_tenants),
                   attendance_total=activity.attendance_total, tenants_attending=activity.tenants_attending)


def _tally(contribution: Contribution | None, sign: int) -> None:
    if contribution is None:
        return
    tally, _created = ParticipationTally.objects.get_or_create(
        municipality_id=contribution.municipality_id, year=contribution.year)
    ParticipationTally.objects.filter(pk=tally.pk).update(
        activities=F("activities") + sign * contribution.activities,
        tenant_organized_activities=F("tenant_organized_activities") + sign * contribution.tenant_organized_activities,
        attendance_total=F("attendance_total") + sign * contribution.attendance_total,
        tenants_attending=F("tenants_attending") + sign * contribution.tenants_attending,
    )


def _retally(before: Contribution | None, after: Contribution | None) -> None:
    if before != after:
        _tally(before, -1)
        _tally(after, +1)


def _totals(activity: Activity) -> None:
    activity.attendance_total = (activity.named_count + activity.counted_tenants + activity.counted_children
                                 + activity.counted_others)
    activity.tenants_attending = activity.named_tenants + activity.counted_tenants


def _sync_attendees(activity: Activity) -> None:
    """The named attendance repeats the activity's place, year and whether it counts."""
    ActivityAttendee.objects.filter(activity=activity).update(
        municipality_id=activity.municipality_id, year=timezone.localtime(activity.starts_at).year,
        is_counted=activity.state == ActivityState.PUBLISHED)


def _locked(actor: Any, activity_id: Any) -> Activity:
    """The activity, seen by the actor and managed by them, locked for this transaction."""
    seen = activity_get(actor, activity_id)
    if not rules.can_manage_activity(actor, seen):
        raise PermissionRefused(_("Vous ne pouvez pas modifier cette activité."))
    return Activity.objects.select_for_update().get(pk=seen.pk)


def _form(data: Any, instance: Activity | None = None) -> ActivityForm:
    form = ActivityForm(data, instance=instance)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form


def _audited(activity: Activity) -> dict[str, Any]:
    data = snapshot(activity) or {}
    return {k: v for k, v in data.items() if k != "description"}


def activity_create(*, actor: Any, data: Any) -> Activity:
    """Plan an activity, as a draft: nobody else sees it until it is published."""
    if not rules.can_create_activities(actor):
        raise PermissionRefused(_("Vous ne pouvez pas organiser d'activité."))
    form = _form(data)
    organizers = [o.pk for o in form.cleaned_data["organizers"]]
    if not rules.can_organize(actor, organizers, form.cleaned_data["municipality"]):
        raise ValidationFailed({"organizers": [
            _("Nommez au moins une de vos organisations parmi les organisateurs.")]})
    with transaction.atomic():
        activity = form.save(commit=False)
        activity.created_by = actor
        activity.state = ActivityState.DRAFT
        activity.save()
        form.save_m2m()
        audit_record(actor=actor, action="activity.create", instance=activity, after=_audited(activity))
    return activity


def activity_update(*, actor: Any, activity_id: Any, version: Any, data: Any) -> Activity:
    """Change an activity. Refused with VersionConflict if someone saved it since ``version``;
    its calendar sequence rises when a calendar would show the change."""
    expected = expected_version(version)
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        if activity.version != expected:
            raise VersionConflict(snapshot(activity) or {}, activity.version)
        before, contribution = _audited(activity), Contribution.of(activity)
        shown_before = {f: getattr(activity, f) for f in _SHOWN_IN_CALENDARS}
        form = _form(data, instance=activity)
        organizers = [o.pk for o in form.cleaned_data["organizers"]]
        if not rules.can_organize(actor, organizers, form.cleaned_data["municipality"]) and \
                activity.created_by_id != actor.pk:
            raise ValidationFailed({"organizers": [
                _("Nommez au moins une de vos organisations parmi les organisateurs.")]})
        activity = form.save(commit=False)
        if {f: getattr(activity, f) for f in _SHOWN_IN_CALENDARS} != shown_before:
            activity.sequence += 1
        activity.version += 1
        activity.save()
        form.save_m2m()
        _retally(contribution, Contribution.of(activity))
        _sync_attendees(activity)
        audit_record(actor=actor, action="activity.update", instance=activity, before=before,
                     after=_audited(activity))
    return activity


def activity_publish(*, actor: Any, activity_id: Any) -> Activity:
    """Publish a draft: it appears in the calendars, and counts in the participation figures."""
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        if activity.state != ActivityState.DRAFT:
            raise ValidationFailed({"state": [_("Seul un brouillon peut être publié.")]})
        activity.state = ActivityState.PUBLISHED
        activity.sequence += 1
        activity.version += 1
        activity.save()
        _tally(Contribution.of(activity), +1)
        _sync_attendees(activity)
        audit_record(actor=actor, action="activity.publish", instance=activity, after={"state": activity.state})
    return activity


def activity_cancel(*, actor: Any, activity_id: Any) -> Activity:
    """Cancel an activity: calendars show it cancelled; it no longer counts."""
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        if activity.state == ActivityState.CANCELLED:
            raise ValidationFailed({"state": [_("Cette activité est déjà annulée.")]})
        contribution = Contribution.of(activity)
        before = activity.state
        activity.state = ActivityState.CANCELLED
        activity.sequence += 1
        activity.version += 1
        activity.save()
        _tally(contribution, -1)
        _sync_attendees(activity)
        audit_record(actor=actor, action="activity.cancel", instance=activity, before={"state": before},
                     after={"state": activity.state})
    return activity


def activity_attendance_count(*, actor: Any, activity_id: Any, data: Any) -> Activity:
    """Set how many tenants, children and other people came without being named."""
    form = AttendanceCountForm(data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        before, contribution = {k: getattr(activity, k) for k in form.cleaned_data}, Contribution.of(activity)
        for field, value in form.cleaned_data.items():
            setattr(activity, field, value)
        _totals(activity)
        activity.version += 1
        activity.save()
        _retally(contribution, Contribution.of(activity))
        audit_record(actor=actor, action="activity.attendance_count", instance=activity, before=before,
                     after=dict(form.cleaned_data))
    return activity


def _person_named_by(actor: Any, person_id: Any) -> Any:
    """A person the actor's organizations hold a file on (administrators: anyone); NotFound otherwise."""
    from toitcommun.access import rules as access_rules
    from toitcommun.people.models import Person, PersonFile

    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        pk = 0
    persons = Person.objects.filter(pk=pk, merged_into__isnull=True) if 0 < pk < 2**63 else Person.objects.none()
    if not access_rules.is_administrator(actor):
        held = PersonFile.objects.filter(organization_id__in=rules.organizing_organizations_of(actor))
        persons = persons.filter(pk__in=held.values("person_id"))
    person = persons.first()
    if person is None:
        raise NotFound(_("Cette personne n'existe pas ou n'est pas dans les dossiers de votre organisation."))
    return person


def activity_attendee_add(*, actor: Any, activity_id: Any, person_id: Any, is_tenant: bool = True,
                          consent: bool = False) -> ActivityAttendee:
    """Name a person on an activity's attendance; only with their consent, which the actor confirms."""
    if consent is not True:
        raise ValidationFailed({"consent": [
            _("Une personne n'est nommée qu'avec son accord : confirmez qu'elle l'a donné.")]})
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        person = _person_named_by(actor, person_id)
        if ActivityAttendee.objects.filter(activity=activity, person=person).exists():
            raise ValidationFailed({"person": [_("Cette personne est déjà nommée à cette activité.")]})
        contribution = Contribution.of(activity)
        attendee = ActivityAttendee.objects.create(
            activity=activity, person=person, is_tenant=bool(is_tenant), consent_noted_by=actor,
            municipality_id=activity.municipality_id, year=timezone.localtime(activity.starts_at).year,
            is_counted=activity.state == ActivityState.PUBLISHED)
        activity.named_count += 1
        activity.named_tenants += int(attendee.is_tenant)
        _totals(activity)
        activity.version += 1
        activity.save()
        _retally(contribution, Contribution.of(activity))
        audit_record(actor=actor, action="activity.attendee_add", instance=activity,
                     after={"person": person.pk, "is_tenant": attendee.is_tenant})
    return attendee


def activity_attendee_remove(*, actor: Any, activity_id: Any, person_id: Any) -> None:
    """Take a person off an activity's attendance (they withdrew their consent, or a mistake)."""
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        attendee = ActivityAttendee.objects.filter(activity=activity, person_id=_int(person_id)).first()
        if attendee is None:
            raise NotFound(_("Cette personne n'est pas nommée à cette activité."))
        contribution = Contribution.of(activity)
        attendee.delete()
        activity.named_count -= 1
        activity.named_tenants -= int(attendee.is_tenant)
        _totals(activity)
        activity.version += 1
        activity.save()
        _retally(contribution, Contribution.of(activity))
        audit_record(actor=actor, action="activity.attendee_remove", instance=activity,
                     before={"person": attendee.person_id})


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


def _photo_type(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def activity_photo_add(*, actor: Any, activity_id: Any, upload: Any, caption: str = "",
                       consent: bool = False) -> ActivityPhoto:
    """Add a photo to an activity (JPEG, PNG or WebP of at most 2 MB), once the people one can
    recognize on it agreed to be shown."""
    errors: dict[str, list[str]] = {}
    if upload is None:
        errors["photo"] = [_("Choisissez une photo.")]
    elif upload.size > bounds.PHOTO_MAX_BYTES:
        errors["photo"] = [_("La photo dépasse %(mb)s Mo.") % {"mb": bounds.PHOTO_MAX_BYTES // (1024 * 1024)}]
    if consent is not True:
        errors["consent"] = [_("Confirmez que les personnes qu'on reconnaît ont accepté d'y paraître.")]
    if len(caption) > 200:
        errors["caption"] = [_("Au plus %(max)s caractères.") % {"max": 200}]
    data, kind = b"", None
    if not errors:
        data = upload.read(bounds.PHOTO_MAX_BYTES + 1)
        kind = _photo_type(data[:16])
        if kind is None or len(data) > bounds.PHOTO_MAX_BYTES:
            errors["photo"] = [_("Envoyez une photo JPEG, PNG ou WebP.")]
    if errors or kind is None:
        raise ValidationFailed(errors)
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        if activity.photos.count() >= bounds.PHOTOS_PER_ACTIVITY:
            raise ValidationFailed({"photo": [_("Au plus %(n)s photos par activité.") % {
                "n": bounds.PHOTOS_PER_ACTIVITY}]})
        photo = ActivityPhoto.objects.create(activity=activity, caption=caption.strip(), content_type=kind,
                                             data=data, size=len(data), uploaded_by=actor)
        audit_record(actor=actor, action="activity.photo_add", instance=activity,
                     after={"photo": photo.pk, "size": photo.size})
    return photo


def activity_photo_remove(*, actor: Any, activity_id: Any, photo_id: Any) -> None:
    with transaction.atomic():
        activity = _locked(actor, activity_id)
        photo = ActivityPhoto.objects.filter(activity=activity, pk=_int(photo_id)).first()
        if photo is None:
            raise NotFound(_("Cette photo n'existe pas."))
        photo.delete()
        audit_record(actor=actor, action="activity.photo_remove", instance=activity, before={"photo": _int(photo_id)})


def participation_recount() -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Every tally as counted from the activities themselves: what the kept tallies must equal."""
    counted: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    named: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for activity_id, is_tenant in ActivityAttendee.objects.values_list("activity_id", "is_tenant").iterator():
        named[activity_id][0] += 1
        named[activity_id][1] += int(is_tenant)
    for activity in Activity.objects.filter(state=ActivityState.PUBLISHED).iterator():
        row = counted[(activity.municipality_id, timezone.localtime(activity.starts_at).year)]
        everybody, tenants = named.get(activity.pk, (0, 0))
        row[0] += 1
        row[1] += int(activity.organized_by_tenants)
        row[2] += activity.counted_tenants + activity.counted_children + activity.counted_others + everybody
        row[3] += activity.counted_tenants + tenants
    return {key: (a, b, c, d) for key, (a, b, c, d) in counted.items()}


def distinct_tenants_recount(municipality_ids: list[int], year: int) -> int:
    """The distinct tenants named on published activities of these municipalities in a year, from the
    activities themselves (what the repeated columns of the named attendance must give)."""
    published = [a.pk for a in Activity.objects.filter(state=ActivityState.PUBLISHED,
                                                       municipality_id__in=municipality_ids)
                 if timezone.localtime(a.starts_at).year == year]
    return len(set(ActivityAttendee.objects.filter(activity_id__in=published, is_tenant=True)
                   .values_list("person_id", flat=True)))


def participation_kept() -> dict[tuple[int, int], tuple[int, int, int, int]]:
    return {(t.municipality_id, t.year): (t.activities, t.tenant_organized_activities, t.attendance_total,
                                          t.tenants_attending)
            for t in ParticipationTally.objects.all() if t.activities or t.attendance_total}
