"""Pages of activities: calendars of a territory and of a building, an activity, plan and change it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.housing.selectors import building_get
from toitcommun.territory.selectors import territory_ancestors, territory_get
from toitcommun.uploads import upload_limit
from toitcommun.views_common import attach_errors, create_page, or_404, refuse, versioned_edit_page

from . import activity_rules as rules
from .activity_bounds import PHOTO_MAX_BYTES
from .activity_forms import ActivityForm, AttendanceCountForm, MonthForm
from .activity_selectors import (
    activities_at_building,
    activities_in,
    activities_visible_to,
    activity_get,
    by_day,
    day_start,
    month_bounds,
)
from .activity_services import (
    activity_attendance_count,
    activity_attendee_add,
    activity_attendee_remove,
    activity_cancel,
    activity_create,
    activity_photo_add,
    activity_photo_remove,
    activity_publish,
    activity_update,
)
from .models import ActivityPhoto


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    return MonthForm(request.GET).month((today.year, today.month))


def _neighbours(year: int, month: int) -> dict[str, str]:
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    return {"previous_month": f"{before[0]:04d}-{before[1]:02d}", "next_month": f"{after[0]:04d}-{after[1]:02d}"}


def _calendar_context(request: HttpRequest, activities: Any, year: int, month: int) -> dict[str, Any]:
    items = list(activities.select_related("municipality"))
    return {"days": by_day(items), "month_start": datetime.date(year, month, 1), **_neighbours(year, month),
            "can_create": rules.can_create_activities(request.user)}


def calendar_territory(request: HttpRequest, code: str) -> HttpResponse:
    territory = or_404(territory_get, code)
    year, month = _month(request)
    start, end = month_bounds(year, month)
    context = _calendar_context(request, activities_in(request.user, territory, start, end), year, month)
    return render(request, "collective/calendar.html", {
        **context, "territory": territory, "ancestors": territory_ancestors(territory),
        "feed_url": reverse("calendar_feeds:territory", args=[territory.code]),
    })


def calendar_building(request: HttpRequest, pk: int) -> HttpResponse:
    building = or_404(building_get, pk)
    year, month = _month(request)
    start, end = month_bounds(year, month)
    context = _calendar_context(request, activities_at_building(request.user, building.pk, start, end), year, month)
    return render(request, "collective/calendar.html", {**context, "building": building})


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = or_404(activity_get, request.user, pk)
    return render(request, "collective/activity.html", {
        "activity": activity, "can_manage": rules.can_manage_activity(request.user, activity),
        "photos": list(activity.photos.only("pk", "caption", "activity_id")),
        "organizers": list(activity.organizers.all()), "buildings": list(activity.buildings.all()),
    })


def _prepare(form: ActivityForm) -> None:
    form.fields["project"].queryset = form.fields["project"].queryset.order_by("name")  # type: ignore[attr-defined]


@login_required
def activity_create_page(request: HttpRequest) -> HttpResponse:
    if not rules.can_create_activities(request.user):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas organiser d'activité.")))
    mine = sorted(rules.organizing_organizations_of(request.user))
    return create_page(
        request, form_class=ActivityForm, create=lambda **sent: activity_create(actor=request.user, **sent),
        template="collective/activity_form.html", done=lambda a: reverse("collective:activity", args=[a.pk]),
        done_message=_("Activité enregistrée comme brouillon : publiez-la pour qu'elle paraisse au calendrier."),
        initial={"organizers": mine, "is_public": True}, prepare=_prepare,
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = or_404(activity_get, request.user, pk)
    if not rules.can_manage_activity(request.user, activity):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier cette activité.")))
    return versioned_edit_page(
        request, form_class=ActivityForm, instance=activity,
        update=lambda **sent: activity_update(actor=request.user, activity_id=pk, **sent),
        template="collective/activity_form.html", context={"activity": activity},
        done_url=reverse("collective:activity", args=[pk]),
    )


def _nameable(user: Any) -> list[Any]:
    """The persons the user's organizations hold a file on, to name on an attendance (at most 500).

    Through the people app's selector, as every route reaches tenants' records; an administrator
    names only the persons of the organizations they act for, like anyone else.
    """
    from toitcommun.people.selectors import persons_on_files_of

    return list(persons_on_files_of(rules.organizing_organizations_of(user))[:500])


@login_required
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    activity = or_404(activity_get, request.user, pk)
    if not rules.can_manage_activity(request.user, activity):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier cette activité.")))
    form = AttendanceCountForm(request.POST if request.POST.get("action", "count") == "count" else None, initial={
        "counted_tenants": activity.counted_tenants, "counted_children": activity.counted_children,
        "counted_others": activity.counted_others})
    naming_errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "count")
        try:
            if action == "name":
                activity_attendee_add(actor=request.user, activity_id=pk, person_id=request.POST.get("person"),
                                      is_tenant=request.POST.get("is_tenant") == "on",
                                      consent=request.POST.get("consent") == "on")
            elif action == "unname":
                activity_attendee_remove(actor=request.user, activity_id=pk, person_id=request.POST.get("person"))
            else:
                activity_attendance_count(actor=request.user, activity_id=pk, data=request.POST)
        except ValidationFailed as refusal:
            if action == "count":
                attach_errors(form, refusal)
            else:
                naming_errors = [m for reasons in refusal.errors.values() for m in reasons]
        except NotFound as missing:
            naming_errors = [str(missing)]
        else:
            messages.success(request, _("Présences enregistrées."))
            return redirect("collective:activity_attendance" if action != "count" else "collective:activity", pk)
    attendees = list(activity.attendees.select_related("person").order_by("person__last_name", "person__first_name"))
    return render(request, "collective/attendance_form.html", {
        "activity": activity, "form": form, "attendees": attendees, "nameable": _nameable(request.user),
        "naming_errors": naming_errors})


def _state_change(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    try:
        act(actor=request.user, activity_id=pk)
    except ValidationFailed as refusal:
        for reasons in refusal.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    else:
        messages.success(request, done)
    return redirect("collective:activity", pk)


@login_required
@require_POST
def activity_publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(activity_get, request.user, pk)
    return _state_change(request, pk, activity_publish, _("Activité publiée."))


@login_required
@require_POST
def activity_cancel_page(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(activity_get, request.user, pk)
    return _state_change(request, pk, activity_cancel, _("Activité annulée."))


def calendar_group(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's month: its published activities, and its meetings open to the public once convened."""
    from .ical_views import ANNOUNCED, _group
    from .models import Audience, Meeting

    group = _group(pk)
    year, month = _month(request)
    start, end = month_bounds(year, month)
    activities = activities_visible_to(request.user).filter(group=group).filter(
        starts_at__gte=day_start(start), starts_at__lt=day_start(end + datetime.timedelta(days=1)))
    context = _calendar_context(request, activities.order_by("starts_at", "id"), year, month)
    meetings = list(Meeting.objects.filter(group=group, audience=Audience.PUBLIC, state__in=ANNOUNCED,
                                           starts_at__gte=day_start(start),
                                           starts_at__lt=day_start(end + datetime.timedelta(days=1)))
                    .order_by("starts_at", "id"))
    return render(request, "collective/calendar.html", {
        **context, "group": group, "meetings": meetings,
        "feed_url": reverse("calendar_feeds:group", args=[group.pk])})


def _photo_too_large(request: HttpRequest) -> HttpResponse:
    from toitcommun.views import error_page

    return error_page(request, 413)


@login_required
@upload_limit(PHOTO_MAX_BYTES, too_large=_photo_too_large)
def activity_photo_add_page(request: HttpRequest, pk: int) -> HttpResponse:
    activity = or_404(activity_get, request.user, pk)
    if not rules.can_manage_activity(request.user, activity):
        raise refuse(PermissionRefused(_("Vous ne pouvez pas modifier cette activité.")))
    errors: list[str] = []
    if request.method == "POST":
        try:
            activity_photo_add(actor=request.user, activity_id=pk, upload=request.FILES.get("photo"),
                               caption=request.POST.get("caption", ""), consent=request.POST.get("consent") == "on")
        except ValidationFailed as refusal:
            errors = [m for reasons in refusal.errors.values() for m in reasons]
        else:
            messages.success(request, _("Photo ajoutée."))
            return redirect("collective:activity", pk)
    return render(request, "collective/photo_form.html", {"activity": activity, "errors": errors,
                                                          "caption": request.POST.get("caption", "")})


@login_required
@require_POST
def activity_photo_remove_page(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    or_404(activity_get, request.user, pk)
    try:
        activity_photo_remove(actor=request.user, activity_id=pk, photo_id=photo_pk)
    except PermissionRefused as refusal:
        raise refuse(refusal) from refusal
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    messages.success(request, _("Photo retirée."))
    return redirect("collective:activity", pk)


def activity_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A photo, only to who may see its activity: the same 404 otherwise."""
    activity = or_404(activity_get, request.user, pk)
    photo = ActivityPhoto.objects.filter(activity=activity, pk=photo_pk).first() if photo_pk < 2**63 else None
    if photo is None:
        raise Http404(_("Cette photo n'existe pas."))
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if activity.is_listed else "private, no-store"
    return response
