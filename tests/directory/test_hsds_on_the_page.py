"""What HSDS brings beyond the basics (phones of a place's service, languages of a line or a place,
every-other-week hours) is shown on the service's page, in words."""

import datetime

import pytest

from tests.directory.factories import ServiceFactory, place
from toitcommun.directory.models import Contact, Language, Phone, Schedule, ServiceAtLocation
from toitcommun.directory.selectors import open_at
from toitcommun.directory.views import hours_lines


@pytest.fixture
def service(db, thetford):
    service = ServiceFactory(name="Comptoir du mardi (test)")
    local = place(service, "31084", name="Sous-sol de l'église")
    at_local = ServiceAtLocation.objects.get(service=service, location=local)
    line = Phone.objects.create(service_at_location=at_local, number="418 555-0177", description="Comptoir")
    Language.objects.create(phone=line, name="Español", code="es")
    Language.objects.create(location=local, name="English", code="en")
    Schedule.objects.create(service=service, byday="TU", opens_at=datetime.time(13),
                            closes_at=datetime.time(16), interval=2, wkst="MO")
    adviser = Contact.objects.create(service=service, name="Personne Fictive (test)")
    Phone.objects.create(contact=adviser, number="418 555-0178")
    return service


def test_the_page_shows_the_line_of_the_service_at_its_place_with_its_languages(client, service):
    page = client.get(f"/repertoire/services/{service.pk}/").content.decode()

    assert "418 555-0177" in page
    assert "en Español" in page
    assert "Langues sur place : English" in page
    assert "toutes les 2 semaines, le mardi" in page


def test_a_contact_persons_line_is_for_staff_only(client, service, coordinator):
    assert "418 555-0178" not in client.get(f"/repertoire/services/{service.pk}/").content.decode()

    client.force_login(coordinator)

    assert "418 555-0178" in client.get(f"/repertoire/services/{service.pk}/").content.decode()


def test_monthly_hours_read_as_days_of_the_month(db):
    rule = Schedule(freq="MONTHLY", bymonthday="1,15", opens_at=datetime.time(9), closes_at=datetime.time(12))

    assert [line.text for line in hours_lines([rule])] == ["les 1er et 15 du mois, de 9\u00a0h à 12\u00a0h"]


def test_an_every_other_week_rule_does_not_claim_open_now(service):
    tuesday_2pm = datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC).astimezone()
    moment = tuesday_2pm.replace(hour=14)

    assert not type(service).objects.filter(pk=service.pk).filter(open_at(moment)).exists()
    Schedule.objects.filter(service=service).update(interval=1)
    assert type(service).objects.filter(pk=service.pk).filter(open_at(moment)).exists()
