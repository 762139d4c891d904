"""Search and export of governance records, narrowed to what the person may see.

The same rules as the pages: a draft meeting is the officers'; a members' meeting, submitted or adopted
minutes, in-camera items and decisions are the members'; minutes' in-camera part never leaves the members.
A match in what the person may not see is not a match: nothing of it is shown, not even a count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access import rules as r

from . import governance_rules as rules
from .governance_selectors import meetings_visible_to
from .models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    FollowUp,
    Group,
    Meeting,
    Minutes,
    Recommendation,
)

# Each kind of record answers at most this many hits: a search, not a dump.
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    kind: str  # meeting, decision, follow_up, minutes, recommendation
    kind_label: str
    title: str
    excerpt: str
    url: str
    group: Group
    when: datetime.datetime | datetime.date | None


def _excerpt(text: str, query: str, width: int = 160) -> str:
    """The words around the first match, so the person sees why it was found."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _member_groups(user: Any) -> Q:
    """The groups whose members-only records the user may read: all for an administrator."""
    if r.is_administrator(user):
        return Q()
    return Q(pk__in=rules.member_group_ids(user))


def governance_search(user: Any, query: str, *, group: Group | None = None) -> list[Hit]:
    """Meetings (and their agenda), decisions and their follow-ups, minutes and recommendations matching the
    words, that the user may see."""
    query = " ".join((query or "").split())[:200]
    if len(query) < 2:
        return []
    groups = Group.objects.filter(pk=group.pk) if group is not None else Group.objects.all()
    members_of = set(groups.filter(_member_groups(user)).values_list("pk", flat=True)) if r.is_authenticated(
        user) else set()
    hits: list[Hit] = []

    meetings = Meeting.objects.filter(group__in=groups).select_related("group__region", "group__mrc",
                                                                        "group__municipality")
    items: dict[int, str] = {}
    for meeting_id, item_title in (AgendaItem.objects.filter(meeting__group__in=groups, title__icontains=query)
                                   .filter(~Q(kind=AgendaItemKind.IN_CAMERA) | Q(meeting__group_id__in=members_of))
                                   .order_by("position").values_list("meeting_id", "title")[:SEARCH_LIMIT * 4]):
        items.setdefault(meeting_id, item_title)
    for meeting in meetings.filter(Q(title__icontains=query) | Q(place__icontains=query) | Q(pk__in=items)
                                   ).order_by("-starts_at", "-pk")[:SEARCH_LIMIT * 2]:
        if rules.can_see_meeting(user, meeting):
            excerpt = f"{meeting.get_kind_display()} · {meeting.get_state_display()}"
            if meeting.pk in items and query.lower() not in meeting.title.lower():
                excerpt = _("Ordre du jour : %(item)s") % {"item": items[meeting.pk]}
            hits.append(Hit("meeting", str(_("Réunion")), meeting.title, excerpt,
                            meeting.get_absolute_url(), meeting.group, meeting.starts_at))

    decisions = (Decision.objects.filter(meeting__group__in=groups, text__icontains=query)
                 .filter(Q(in_camera=False) | Q(meeting__group_id__in=members_of))
                 .select_related("meeting__group__region", "meeting__group__mrc", "meeting__group__municipality")
                 .order_by("-meeting__starts_at", "number"))
    for decision in decisions[:SEARCH_LIMIT * 2]:
        if rules.can_see_meeting(user, decision.meeting):
            hits.append(Hit("decision", str(_("Décision")),
                            _("Décision n° %(n)s · %(meeting)s") % {"n": decision.number,
                                                                    "meeting": decision.meeting.title},
                            _excerpt(decision.text, query),
                            decision.meeting.get_absolute_url() + f"#decision-{decision.pk}", decision.meeting.group,
                            decision.meeting.starts_at))

    follow_ups = (FollowUp.objects.filter(decision__meeting__group__in=groups)
                  .filter(Q(title__icontains=query) | Q(owner__icontains=query))
                  .filter(Q(decision__in_camera=False) | Q(decision__meeting__group_id__in=members_of))
                  .select_related("decision__meeting__group__region", "decision__meeting__group__mrc",
                                  "decision__meeting__group__municipality")
                  .order_by("-decision__meeting__starts_at", "pk"))
    for follow_up in follow_ups[:SEARCH_LIMIT * 2]:
        meeting = follow_up.decision.meeting
        if rules.can_see_meeting(user, meeting):
            hits.append(Hit("follow_up", str(_("Suivi")), follow_up.title,
                            _("Décision n° %(n)s · %(meeting)s · %(owner)s · %(status)s") % {
                                "n": follow_up.decision.number, "meeting": meeting.title, "owner": follow_up.owner,
                                "status": follow_up.get_status_display()},
                            reverse("collective:follow_up", args=[follow_up.pk]), meeting.group, follow_up.due_on))

    minutes = (Minutes.objects.filter(meeting__group__in=groups)
               .filter(Q(text__icontains=query) | Q(in_camera_text__icontains=query,
                                                    meeting__group_id__in=members_of))
               .select_related("meeting__group__region", "meeting__group__mrc", "meeting__group__municipality")
               .order_by("-meeting__starts_at", "-revision"))
    for version in minutes[:SEARCH_LIMIT * 2]:
        if not rules.can_see_minutes(user, version):
            continue
        in_text = query.lower() in version.text.lower()
        source = version.text if in_text else version.in_camera_text
        hits.append(Hit("minutes", str(_("Procès-verbal")),
                        _("Procès-verbal (v%(n)s, %(state)s) · %(meeting)s") % {
                            "n": version.revision, "state": version.get_state_display().lower(),
                            "meeting": version.meeting.title},
                        (_("Huis clos : ") if not in_text else "") + _excerpt(source, query),
                        version.get_absolute_url(), version.meeting.group, version.meeting.starts_at))

    recommendations = (Recommendation.objects.filter(group__in=groups)
                       .filter(Q(title__icontains=query) | Q(text__icontains=query))
                       .select_related("group__region", "group__mrc", "group__municipality", "office",
                                       "adopted_by__meeting__group").order_by("-created_at", "-pk"))
    for rec in recommendations[:SEARCH_LIMIT * 2]:
        if rules.can_see_recommendation(user, rec):
            hits.append(Hit("recommendation", str(_("Recommandation")), rec.title, _excerpt(rec.text, query),
                            rec.get_absolute_url(), rec.group, rec.sent_on))
    by_kind: dict[str, int] = {}
    kept = []
    for hit in hits:
        by_kind[hit.kind] = by_kind.get(hit.kind, 0) + 1
        if by_kind[hit.kind] <= SEARCH_LIMIT:
            kept.append(hit)
    return kept


def decisions_for_export(user: Any, group: Group) -> list[Decision]:
    """The group's decisions the user may see, oldest meeting first, with their follow-ups and history."""
    decisions = (Decision.objects.filter(meeting__in=meetings_visible_to(user, group))
                 .select_related("meeting").prefetch_related("follow_ups")
                 .order_by("meeting__starts_at", "meeting_id", "number"))
    if not rules.sees_members_only(user, group):
        decisions = decisions.filter(in_camera=False)
    return list(decisions)


def export_rows(user: Any, group: Group) -> tuple[list[str], list[list[Any]]]:
    """One line per follow-up (a decision without any has one line of its own)."""
    today = timezone.localdate()
    headers = [_("Date de la réunion"), _("Réunion"), _("Décision n°"), _("Décision"), _("Mode"), _("Pour"),
               _("Contre"), _("Abstentions"), _("Membres votants présents"), _("Membres votants"),
               _("Quorum atteint"), _("Huis clos"), _("Suivi"), _("Responsable"), _("Échéance"),
               _("État du suivi"), _("En retard")]
    rows: list[list[Any]] = []
    for d in decisions_for_export(user, group):
        start = [timezone.localtime(d.meeting.starts_at).date(), d.meeting.title, d.number, d.text,
                 d.get_method_display(), d.votes_for, d.votes_against, d.abstentions, d.voting_present,
                 d.voting_total, _("oui") if d.quorum_reached else _("non"), _("oui") if d.in_camera else _("non")]
        # Dated first, by due date, then the undated: the same order on every database.
        follow_ups: list[FollowUp] = sorted(d.follow_ups.all(), key=lambda f: (f.due_on is None, f.due_on or today,
                                                                              f.pk))
        if not follow_ups:
            rows.append(start + [None] * 5)
        for f in follow_ups:
            rows.append(start + [f.title, f.owner, f.due_on, f.get_status_display(),
                                 _("oui") if f.is_overdue(today) else _("non")])
    return headers, rows
