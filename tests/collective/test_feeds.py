"""A group's public feed and a person's feed behind a revocable address, read back by icalendar."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.collective.activity_factories import planned
from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.collective.feed_services import calendar_token_issue, calendar_token_revoke
from toitcommun.collective.models import CalendarToken, Group, Mandate, Meeting
from toitcommun.territory.models import Mrc

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(thetford):
    return OrganizationFactory(name="Association des locataires (test)", kind="tenant_association",
                               municipality=thetford)


@pytest.fixture
def tenant_rep(association):
    return RoleFactory(user=UserFactory(username="rep-tm"), role=Role.TENANT_REPRESENTATIVE,
                       organization=association).user


@pytest.fixture
def group(thetford):
    mrc = Mrc.objects.select_related("region").get(code="310")
    return Group.objects.create(name="Comité des locataires (test)", kind="tenant_association",
                                region=mrc.region, mrc=mrc, municipality=thetford, contact="418 555-0100")


def meeting(group, title, *, state="convened", audience="public", days=10):
    return Meeting.objects.create(group=group, title=title, state=state, audience=audience,
                                  starts_at=timezone.now() + datetime.timedelta(days=days), place="Salle commune")


def events(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_group_feed_holds_its_public_activities_and_public_announced_meetings(client, group, tenant_rep,
                                                                                   association):
    planned(tenant_rep, association, title="Fête du comité (test)", group=str(group.pk))
    planned(tenant_rep, association, title="Autre activité (test)")
    meeting(group, "Assemblée publique (test)")
    meeting(group, "Réunion des membres (test)", audience="members")
    meeting(group, "Réunion en préparation (test)", state="draft")
    cancelled = meeting(group, "Assemblée annulée (test)", state="cancelled")
    found = events(client.get(reverse("calendar_feeds:group", args=[group.pk])))
    assert set(found) == {"Fête du comité (test)", "Comité des locataires (test) · Assemblée publique (test)",
                          "Comité des locataires (test) · Assemblée annulée (test)"}
    gone = found["Comité des locataires (test) · Assemblée annulée (test)"]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["UID"]) == f"meeting-{cancelled.pk}@toitcommun"
    assert "ATTENDEE" not in gone
    assert client.get(reverse("calendar_feeds:group", args=[10**6])).status_code == 404


def test_the_personal_feed_holds_the_meetings_of_active_mandates_until_revoked(client, group, thetford):
    person = UserFactory(username="membre-ca")
    Mandate.objects.create(group=group, holder_kind="person", holder_name="Membre fictif", user=person,
                           role="board_member", starts_on=datetime.date(2015, 11, 4))
    mrc = group.mrc
    former = Group.objects.create(name="Ancien comité (test)", kind="working_committee", region=mrc.region, mrc=mrc)
    Mandate.objects.create(group=former, holder_kind="person", holder_name="Membre fictif", user=person,
                           role="member", starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31))
    meeting(group, "Réunion du conseil (test)", audience="members")
    meeting(group, "Pas encore convoquée (test)", state="draft")
    meeting(former, "Réunion d'un ancien mandat (test)", audience="members")
    raw = calendar_token_issue(actor=person)
    address = reverse("calendar_feeds:personal", args=[raw])
    assert set(events(client.get(address))) == {"Comité des locataires (test) · Réunion du conseil (test)"}
    assert CalendarToken.objects.get().digest != raw  # only the digest is kept
    renewed = calendar_token_issue(actor=person)
    assert client.get(address).status_code == 404
    assert calendar_token_revoke(actor=person)
    assert client.get(reverse("calendar_feeds:personal", args=[renewed])).status_code == 404


def test_the_my_calendar_page_shows_the_address_once_and_revokes_it(client, group):
    person = UserFactory(username="membre-page")
    client.force_login(person)
    assert client.get(reverse("collective:my_calendar")).status_code == 200
    page = client.post(reverse("collective:my_calendar"), {"action": "issue"}).content.decode()
    assert "/calendrier/personnel/" in page
    assert "/calendrier/personnel/" not in client.get(reverse("collective:my_calendar")).content.decode()
    client.post(reverse("collective:my_calendar"), {"action": "revoke"})
    assert not CalendarToken.objects.exists()


def test_the_group_calendar_shows_its_activities_and_public_meetings(client, group, tenant_rep, association):
    planned(tenant_rep, association, title="Fête du comité (test)", group=str(group.pk))
    Meeting.objects.create(group=group, title="Assemblée publique (test)", state="convened", audience="public",
                           starts_at=timezone.make_aware(datetime.datetime(2015, 10, 12, 19, 0)))
    Meeting.objects.create(group=group, title="Huis clos (test)", state="convened", audience="members",
                           starts_at=timezone.make_aware(datetime.datetime(2015, 10, 13, 19, 0)))
    text = client.get(reverse("collective:calendar_group", args=[group.pk]), {"mois": "2015-10"}).content.decode()
    assert "Fête du comité (test)" in text and "Assemblée publique (test)" in text
    assert "Huis clos" not in text
    assert client.get(reverse("collective:calendar_group", args=[10**6])).status_code == 404
