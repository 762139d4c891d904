"""iCalendar feeds: what a phone's calendar subscribes to.

Public feeds hold published public items only; no feed ever names who attends. Each event
keeps its UID for life and carries the activity's SEQUENCE, raised on every change, so that
a subscribed calendar replaces it; a cancelled event stays in the feed, marked CANCELLED.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Activity, ActivityState, Meeting, MeetingState

# A feed holds the latest events (the furthest in the future first): what is coming, and the past.
FEED_MAX_EVENTS = 1_000
UID_DOMAIN = "toitcommun"


def activity_uid(activity: Activity) -> str:
    return f"activity-{activity.pk}@{UID_DOMAIN}"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def calendar_of(*, name: str, request: HttpRequest, activities: Iterable[Activity],
                meetings: Iterable[Meeting] = ()) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Toit commun//Vie collective//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    for activity in activities:
        cal.add_component(activity_event(activity, request))
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, request))
    return cal


def activity_event(activity: Activity, request: HttpRequest) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at or activity.starts_at + datetime.timedelta(hours=2))
    event.add("summary", activity.title)
    event.add("sequence", activity.sequence)
    event.add("status", "CANCELLED" if activity.state == ActivityState.CANCELLED else "CONFIRMED")
    event.add("categories", [str(activity.get_kind_display())])
    location = ", ".join(p for p in (activity.place, activity.municipality.name) if p)
    event.add("location", location)
    url = request.build_absolute_uri(activity.get_absolute_url())
    event.add("url", url)
    event.add("description", "\n\n".join(p for p in (activity.description, url) if p))
    return event


def meeting_event(meeting: Meeting, request: HttpRequest) -> Event:
    """A meeting's date, place and title: never its agenda, its attendance or its minutes."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + datetime.timedelta(hours=2))
    event.add("summary", f"{meeting.group.name} · {meeting.title}")
    # The meeting's version rises with every change it goes through: its calendar sequence.
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if meeting.state == MeetingState.CANCELLED else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    try:
        url = request.build_absolute_uri(meeting.get_absolute_url())
    except NoReverseMatch:
        url = ""
    if url:
        event.add("url", url)
        event.add("description", url)
    return event


def ics_response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response
