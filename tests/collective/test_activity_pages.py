"""Calendars, an activity's page, its forms; the iCalendar feed read back by the icalendar library; the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.collective.activity_factories import activity_data, planned
from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.collective.activity_services import activity_cancel, activity_update
from toitcommun.collective.models import Activity, ActivityState

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(thetford):
    return OrganizationFactory(name="Association des locataires (test)", kind="tenant_association",
                               municipality=thetford)


@pytest.fixture
def tenant_rep(association):
    return RoleFactory(user=UserFactory(username="rep-tm"), role=Role.TENANT_REPRESENTATIVE,
                       organization=association).user


def test_the_month_calendar_of_an_mrc_lists_its_municipalities_activities(client, tenant_rep, association,
                                                                           django_assert_num_queries):
    planned(tenant_rep, association, title="Fête des voisins (test)")
    planned(tenant_rep, association, title="Brouillon caché (test)", publish=False)
    planned(tenant_rep, association, title="Atelier de bricolage (test)", starts_at="2015-10-02T13:00",
            ends_at="", kind="crafts")
    with django_assert_num_queries(3):  # the MRC, its region, the month's activities with their municipality
        response = client.get(reverse("collective:calendar", args=["310"]), {"mois": "2015-10"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Fête des voisins (test)" in text and "Atelier de bricolage (test)" in text
    assert "Brouillon caché" not in text
    assert text.index("Atelier de bricolage") < text.index("Fête des voisins")
    assert "octobre 2015" in text
    assert "Fête des voisins" not in client.get(reverse("collective:calendar", args=["310"]),
                                                {"mois": "2015-11"}).content.decode()


def test_a_bad_month_shows_the_current_one(client):
    assert client.get(reverse("collective:calendar", args=["310"]), {"mois": "2015-13"}).status_code == 200
    assert client.get(reverse("collective:calendar", args=["999"])).status_code == 404


def test_a_building_calendar_shows_the_activities_held_there(client, tenant_rep, association, housing_office):
    from tests.factories import BuildingFactory

    building = BuildingFactory(organization=housing_office)
    planned(tenant_rep, association, title="Épluchette (test)", buildings=[str(building.pk)])
    planned(tenant_rep, association, title="Ailleurs (test)")
    text = client.get(reverse("collective:calendar_building", args=[building.pk]), {"mois": "2015-10"}).content.decode()
    assert "Épluchette (test)" in text and "Ailleurs (test)" not in text


def test_a_draft_answers_404_to_others_and_its_title_appears_nowhere(client, tenant_rep, association, other_staff):
    draft = planned(tenant_rep, association, title="Projet secret (test)", publish=False)
    assert client.get(reverse("collective:activity", args=[draft.pk])).status_code == 404
    client.force_login(other_staff)
    response = client.get(reverse("collective:activity", args=[draft.pk]))
    assert response.status_code == 404 and "Projet secret" not in response.content.decode()
    feed = client.get(reverse("calendar_feeds:territory", args=["310"])).content.decode()
    assert "Projet secret" not in feed
    api = client.get("/api/v1/activities", {"territory": "310", "from": "2015-10-01", "to": "2015-10-31"})
    assert api.json()["count"] == 0


def test_the_organizer_plans_publishes_counts_and_cancels_from_the_pages(client, tenant_rep, association):
    client.force_login(tenant_rep)
    form = client.get(reverse("collective:activity_create"))
    assert form.status_code == 200
    response = client.post(reverse("collective:activity_create"), activity_data(association))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("collective:activity", args=[activity.pk])
    client.post(reverse("collective:activity_publish", args=[activity.pk]))
    response = client.post(reverse("collective:activity_attendance", args=[activity.pk]),
                           {"counted_tenants": "15", "counted_children": "4", "counted_others": "1"})
    assert response.status_code == 302
    page = client.get(reverse("collective:activity", args=[activity.pk])).content.decode()
    assert "20 personnes" in page and "dont 15 locataires" in page
    client.post(reverse("collective:activity_cancel", args=[activity.pk]))
    assert Activity.objects.get().state == ActivityState.CANCELLED


def test_the_form_keeps_what_was_typed_and_explains_errors(client, tenant_rep, association):
    client.force_login(tenant_rep)
    response = client.post(reverse("collective:activity_create"),
                           activity_data(association, ends_at="2015-10-22T10:00", title="Mon activité"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "La fin doit venir après le début." in text
    assert 'value="Mon activité"' in text
    assert not Activity.objects.exists()


def test_someone_else_cannot_open_the_edit_or_attendance_pages(client, tenant_rep, association, other_staff):
    activity = planned(tenant_rep, association)
    client.force_login(other_staff)
    assert client.get(reverse("collective:activity_edit", args=[activity.pk])).status_code == 403
    assert client.post(reverse("collective:activity_attendance", args=[activity.pk]),
                       {"counted_tenants": "99", "counted_children": "0", "counted_others": "0"}).status_code == 403
    assert Activity.objects.get().counted_tenants == 0


def test_the_territory_feed_parses_back_with_stable_uids_sequence_and_cancellation(client, tenant_rep, association):
    party = planned(tenant_rep, association, title="Fête des voisins (test)", counted=(10, 0, 0))
    planned(tenant_rep, association, title="Brouillon caché (test)", publish=False)
    planned(tenant_rep, association, title="Réservé aux membres (test)", is_public="")
    response = client.get(reverse("calendar_feeds:territory", args=["12"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Fête des voisins (test)"]
    first = events[0]
    assert str(first["UID"]) == f"activity-{party.pk}@toitcommun"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["URL"]).endswith(reverse("collective:activity", args=[party.pk]))
    assert "ATTENDEE" not in first and "10" not in str(first.get("DESCRIPTION", ""))
    party = Activity.objects.get(pk=party.pk)
    activity_update(actor=tenant_rep, activity_id=party.pk, version=party.version,
                    data=activity_data(association, title="Fête des voisins, nouvelle heure (test)",
                                       starts_at="2015-10-23T19:00"))
    activity_cancel(actor=tenant_rep, activity_id=party.pk)
    again = Calendar.from_ical(client.get(reverse("calendar_feeds:territory", args=["31084"])).content)
    (event,) = again.walk("VEVENT")
    assert str(event["UID"]) == str(first["UID"])
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])
    assert str(event["STATUS"]) == "CANCELLED"
    assert client.get(reverse("calendar_feeds:territory", args=["05"])).status_code == 200
    assert client.get("/calendrier/territoire/nulle-part.ics").status_code == 404


def test_the_api_lists_a_territory_between_two_days(client, tenant_rep, association):
    party = planned(tenant_rep, association, counted=(10, 2, 1))
    planned(tenant_rep, association, title="Plus tard (test)", starts_at="2015-12-01T10:00", ends_at="")
    response = client.get("/api/v1/activities", {"territory": "310", "from": "2015-10-01", "to": "2015-10-31"})
    assert response.status_code == 200
    assert response.json()["items"] == [{
        "id": party.pk, "title": "Fête des voisins (test)", "kind": "celebration", "state": "published",
        "starts_at": response.json()["items"][0]["starts_at"], "municipality_code": "31084",
        "organized_by_tenants": True, "attendance_total": 13, "tenants_attending": 10,
    }]
    assert response.json()["items"][0]["starts_at"].startswith("2015-10-23T")
    assert client.get("/api/v1/activities", {"territory": "05", "from": "2015-10-01",
                                             "to": "2015-10-31"}).json()["count"] == 0


@pytest.mark.parametrize("query, field", [
    ({"territory": "310", "from": "2015-10-31", "to": "2015-10-01"}, "to"),
    ({"territory": "310", "from": "2015-01-01", "to": "2016-06-01"}, "to"),
    ({"territory": "310", "from": "2015-1-1", "to": "2015-10-01"}, "from"),
    ({"territory": "xyz", "from": "2015-10-01", "to": "2015-10-31"}, "territory"),
])
def test_the_api_refuses_bad_input_naming_the_field(client, query, field):
    response = client.get("/api/v1/activities", query)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]


def test_the_api_gives_a_territory_participation_for_a_year(client, tenant_rep, association):
    planned(tenant_rep, association, counted=(10, 2, 1))
    planned(tenant_rep, association, counted=(5, 0, 0), organized_by_tenants="")
    response = client.get("/api/v1/participation", {"territory": "310", "year": 2015})
    assert response.json() == {"territory_code": "310", "year": 2015, "activities": 2,
                               "tenant_organized_activities": 1, "attendance_total": 18,
                               "distinct_tenants": 0, "meetings_held": 0}
    assert client.get("/api/v1/participation", {"territory": "999", "year": 2015}).status_code == 404
    assert client.get("/api/v1/participation", {"territory": "310", "year": 1800}).status_code == 422
