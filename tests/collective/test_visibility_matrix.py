"""Who sees what of a group's governance: persons × objects × channels.

Persons: anonymous, a signed-in tenant, a member, an officer (the president), the secretary, the
housing office's respondent, a former member, a member of another group, an administrator.
Objects: meetings in each state (for the public, for members, for tenants), minutes at each stage,
an in-camera agenda item and in-camera minutes, recommendations in each state, named and counted
attendance, decisions (public, members-only, in camera) and their follow-ups. Channels: the pages (a group's,
a meeting's, a recommendation's, a follow-up's), the lists on them, the API (lists and details), the search
of governance records (each title searched for) and the export of the group's decisions and follow-ups
(CSV and XLSX). What a person may not see answers 404 and its title appears nowhere.
(iCalendar feeds carry no governance record but meetings: tests/collective/test_feeds.py.)
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.collective.governance_world import adopt, at, build_world, held_meeting
from tests.factories import api_token_for
from toitcommun.collective.meeting_services import (
    agenda_item_add,
    decision_record,
    follow_up_add,
    meeting_cancel,
    meeting_convene,
    meeting_create,
)
from toitcommun.collective.minutes_services import minutes_draft, minutes_publish, minutes_submit
from toitcommun.collective.recommendation_services import (
    recommendation_acknowledge,
    recommendation_adopt,
    recommendation_answer,
    recommendation_send,
)

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "tenant", "member", "officer", "secretary", "respondent", "former", "other_member", "admin"]
EVERYONE = set(PEOPLE)
SIGNED_IN = EVERYONE - {"anonymous"}
MEMBERS = {"member", "officer", "secretary", "admin"}
OFFICERS = {"officer", "secretary", "admin"}


@dataclass
class Thing:
    title: str  # a marker that must appear nowhere for those who may not see it
    seen_by: set[str]
    urls: list[str]  # its own addresses: 200 for those who see it, 404 for the others


def _meeting(world, state: str, audience: str, day: datetime.date) -> Thing:
    title = f"Réunion-{state}-{audience}-secrète"
    if state == "held":
        meeting = held_meeting(world, day, title=title, audience=audience)
    else:
        meeting = meeting_create(actor=world.admin, group_id=world.group.pk, title=title, starts_at=at(day),
                                 audience=audience)
        if state in ("convened", "cancelled"):
            meeting_convene(actor=world.admin, meeting_id=meeting.pk)
        if state == "cancelled":
            meeting_cancel(actor=world.admin, meeting_id=meeting.pk)
    if state == "draft":
        seen = OFFICERS
    elif audience == "public":
        seen = EVERYONE
    elif audience == "tenants":
        seen = SIGNED_IN
    else:
        seen = MEMBERS
    return Thing(title, seen, [f"/vie-collective/reunions/{meeting.pk}/", f"/api/v1/meetings/{meeting.pk}"])


def build_things(world) -> list[Thing]:
    things: list[Thing] = []
    day = datetime.date(2016, 1, 4)
    for audience in ("public", "members", "tenants"):
        for state in ("draft", "convened", "held", "cancelled"):
            day += datetime.timedelta(days=1)
            things.append(_meeting(world, state, audience, day))

    # Minutes at each stage, each of its own public held meeting.
    for n, stage in enumerate(("draft", "submitted", "adopted", "published")):
        meeting = held_meeting(world, datetime.date(2016, 3, 1 + n), title=f"Réunion publique {stage}")
        minutes = minutes_draft(actor=world.president, meeting_id=meeting.pk, text=f"Texte-PV-{stage}-secret",
                                in_camera_text=f"Huis-clos-PV-{stage}-secret")
        if stage != "draft":
            minutes_submit(actor=world.secretary, minutes_id=minutes.pk)
        if stage in ("adopted", "published"):
            adopt(world, minutes, datetime.date(2016, 4, 1 + n))
        if stage == "published":
            minutes_publish(actor=world.secretary, minutes_id=minutes.pk)
        seen = {"draft": OFFICERS, "submitted": MEMBERS, "adopted": MEMBERS, "published": EVERYONE}[stage]
        things.append(Thing(f"Texte-PV-{stage}-secret", seen, [f"/api/v1/minutes/{minutes.pk}"]))
        # The in-camera part stays with the members, even once published.
        things.append(Thing(f"Huis-clos-PV-{stage}-secret", MEMBERS & seen, []))

    # An in-camera agenda item of a public meeting, and named versus counted attendance.
    host = meeting_create(actor=world.admin, group_id=world.group.pk, title="Réunion publique hôte",
                          starts_at=at(datetime.date(2016, 5, 2)), audience="public")
    agenda_item_add(actor=world.admin, meeting_id=host.pk, title="Point-huis-clos-secret", kind="in_camera")
    meeting_convene(actor=world.admin, meeting_id=host.pk)
    things.append(Thing("Point-huis-clos-secret", MEMBERS, []))
    named = held_meeting(world, datetime.date(2016, 5, 3), title="Réunion publique avec présences")
    things.append(Thing('id="named-attendance"', MEMBERS, []))
    things.append(Thing("12 locataires, 3 enfants", EVERYONE, [f"/vie-collective/reunions/{named.pk}/"]))

    # Recommendations in each state; the answered one adopted at a meeting whose minutes are published is public.
    adopting = held_meeting(world, datetime.date(2016, 6, 1), title="Réunion publique des recommandations")
    for state in ("adopted", "sent", "acknowledged", "answered"):
        decision = decision_record(actor=world.admin, meeting_id=adopting.pk, text="Recommander.")
        rec = recommendation_adopt(actor=world.admin, decision_id=decision.pk, title=f"Recommandation-{state}-secrète",
                                   text="Texte.")
        if state != "adopted":
            recommendation_send(actor=world.admin, recommendation_id=rec.pk)
        if state in ("acknowledged", "answered"):
            recommendation_acknowledge(actor=world.respondent, recommendation_id=rec.pk)
        if state == "answered":
            recommendation_answer(actor=world.respondent, recommendation_id=rec.pk, answer="accepted", reply="Oui.")
        seen = MEMBERS if state == "adopted" else MEMBERS | {"respondent"}
        things.append(Thing(f"Recommandation-{state}-secrète", seen,
                            [f"/vie-collective/recommandations/{rec.pk}/", f"/api/v1/recommendations/{rec.pk}"]))
    public_meeting = held_meeting(world, datetime.date(2016, 7, 1), title="Réunion publique d'une recommandation")
    decision = decision_record(actor=world.admin, meeting_id=public_meeting.pk, text="Recommander.")
    rec = recommendation_adopt(actor=world.admin, decision_id=decision.pk, title="Recommandation-publique",
                               text="Texte.")
    minutes = minutes_draft(actor=world.admin, meeting_id=public_meeting.pk, text="Procès-verbal.")
    minutes_submit(actor=world.admin, minutes_id=minutes.pk)
    adopt(world, minutes, datetime.date(2016, 7, 15))
    minutes_publish(actor=world.admin, minutes_id=minutes.pk)
    things.append(Thing("Recommandation-publique", EVERYONE,
                        [f"/vie-collective/recommandations/{rec.pk}/", f"/api/v1/recommendations/{rec.pk}"]))

    # Decisions and follow-ups: of a public meeting, of a members' meeting, in camera at a public meeting.
    members_meeting = held_meeting(world, datetime.date(2016, 8, 1), title="Réunion-des-membres-décisions",
                                   audience="members")
    public_host = held_meeting(world, datetime.date(2016, 8, 2), title="Réunion publique des décisions")
    in_camera = public_host.agenda_items.create(position=1, kind="in_camera", title="Point à huis clos")
    for where, item, marker, seen in ((public_host, None, "publique", EVERYONE),
                                      (members_meeting, None, "membres", MEMBERS),
                                      (public_host, in_camera, "huis-clos", MEMBERS)):
        decision = decision_record(actor=world.admin, meeting_id=where.pk, text=f"Décision-{marker}-secrète",
                                   agenda_item_id=item.pk if item else None)
        follow_up = follow_up_add(actor=world.admin, decision_id=decision.pk, title=f"Suivi-{marker}-secret",
                                  owner="Trésorerie fictive")
        things.append(Thing(f"Décision-{marker}-secrète", seen, []))
        things.append(Thing(f"Suivi-{marker}-secret", seen, [f"/vie-collective/suivis/{follow_up.pk}/"]))
    return things


# What is not found by words: markup and counts.
NOT_SEARCHED = ('id="named-attendance"', "12 locataires, 3 enfants")


def _results(response) -> str:
    """The search's answer without its form, which shows the words searched for."""
    page = response.content.decode()
    start = page.index('<section id="results"')
    return page[start:page.index("</section>", start)]


def _export_text(client: Client, group_pk: int) -> str:
    """The group's decisions and follow-ups as this person downloads them, CSV and XLSX, as text."""
    from openpyxl import load_workbook

    csv = b"".join(client.get(f"/vie-collective/groupes/{group_pk}/export/", {"format": "csv"}).streaming_content)
    book = load_workbook(io.BytesIO(client.get(f"/vie-collective/groupes/{group_pk}/export/",
                                               {"format": "xlsx"}).content), read_only=True)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    return csv.decode("utf-8-sig") + "\n" + "\n".join(cells)


def _client_of(world, who: str) -> tuple[Client, dict[str, str]]:
    client = Client()
    if who == "anonymous":
        return client, {}
    user = getattr(world, {"officer": "president"}.get(who, who))
    client.force_login(user)
    return client, {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(user)}"}


def test_each_person_sees_exactly_what_they_may_in_every_channel(world_things):
    world, things = world_things
    meetings = list(world.group.meetings.values_list("pk", flat=True))
    failures = []
    for who in PEOPLE:
        client, bearer = _client_of(world, who)
        api = Client()
        everything = [
            client.get(f"/vie-collective/groupes/{world.group.pk}/").content.decode(),
            client.get("/vie-collective/groupes/").content.decode(),
            api.get(f"/api/v1/groups/{world.group.pk}/meetings", **bearer).content.decode(),
            api.get(f"/api/v1/groups/{world.group.pk}/mandates", **bearer).content.decode(),
        ]
        for pk in meetings:  # every meeting page and API answer this person may open
            page = client.get(f"/vie-collective/reunions/{pk}/")
            if page.status_code == 200:
                everything.append(page.content.decode())
                everything.append(api.get(f"/api/v1/meetings/{pk}", **bearer).content.decode())
        everything.append(_export_text(client, world.group.pk))
        searched = {thing.title: _results(client.get("/vie-collective/recherche/", {"q": thing.title}))
                    for thing in things if thing.title not in NOT_SEARCHED}
        everything += searched.values()
        text = "\n".join(everything)
        for thing in things:
            visible = who in thing.seen_by
            for url in thing.urls:
                status = (api.get(url, **bearer) if url.startswith("/api/") else client.get(url)).status_code
                if status != (200 if visible else 404):
                    failures.append(f"{who} {url} ({thing.title}): {status}")
                if visible and url.startswith("/vie-collective/") and thing.title not in client.get(url).content.decode():
                    failures.append(f"{who} does not find {thing.title} on {url}")
            found = thing.title in text or thing.title.replace('"', "&quot;") in text
            if visible and not thing.urls and not found:
                failures.append(f"{who} should see {thing.title}")
            if not visible and found:
                failures.append(f"{who} sees {thing.title}")
            if visible and thing.title in searched and thing.title not in searched[thing.title]:
                failures.append(f"{who} does not find {thing.title} by searching for it")
    assert failures == [], "\n".join(failures)


@pytest.fixture
def world_things(db, settings):
    world = build_world()
    things = build_things(world)
    world.forget()
    return world, things
