"""The iCalendar feeds' addresses (/calendrier/...): parse, read what is published, write the feed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from toitcommun.territory.selectors import territory_get
from toitcommun.views_common import or_404

from .activity_selectors import LISTED
from .feed_services import calendar_token_user, personal_meetings
from .ical import FEED_MAX_EVENTS, calendar_of, ics_response
from .models import Activity, Audience, Group, Meeting, MeetingState

ANNOUNCED = [MeetingState.CONVENED, MeetingState.HELD, MeetingState.CANCELLED]


def territory_feed(request: HttpRequest, code: str) -> HttpResponse:
    """Published public activities of a territory (a region or MRC includes its municipalities)."""
    territory = or_404(territory_get, code)
    activities = (Activity.objects.filter(LISTED).filter(territory.municipality_filter("municipality"))
                  .select_related("municipality").order_by("-starts_at", "-id")[:FEED_MAX_EVENTS])
    name = _("Vie collective · %(territory)s") % {"territory": territory.name}
    return ics_response(calendar_of(name=name, request=request, activities=activities), f"{territory.code}.ics")


def _group(pk: int) -> Group:
    group = Group.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if group is None:
        raise Http404(_("Ce groupe n'existe pas."))
    return group


def group_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's published public activities, and its meetings open to the public once convened."""
    group = _group(pk)
    activities = (Activity.objects.filter(LISTED, group=group).select_related("municipality")
                  .order_by("-starts_at", "-id")[:FEED_MAX_EVENTS])
    meetings = (Meeting.objects.filter(group=group, audience=Audience.PUBLIC, state__in=ANNOUNCED)
                .select_related("group").order_by("-starts_at", "-id")[:FEED_MAX_EVENTS])
    return ics_response(calendar_of(name=group.name, request=request, activities=activities, meetings=meetings),
                        f"groupe-{group.pk}.ics")


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings of the groups where the token's holder has an active mandate."""
    user = calendar_token_user(token)
    if user is None:
        raise Http404(_("Cette adresse de calendrier n'existe pas ou a été révoquée."))
    meetings = personal_meetings(user)[:FEED_MAX_EVENTS]
    name = _("Mes réunions · Toit commun")
    return ics_response(calendar_of(name=name, request=request, activities=[], meetings=meetings), "mes-reunions.ics")
