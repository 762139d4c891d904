"""Public pages carry nothing of their visitor, so one kept copy serves everyone until the next write."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from tests.factories import UnitGroupFactory
from toitcommun.directory.models import Service, ServiceStatus
from toitcommun.housing.models import Building
from toitcommun.housing.services import availability_report

pytestmark = pytest.mark.django_db


def public_urls() -> list[str]:
    service = Service.objects.exclude(status=ServiceStatus.DEFUNCT).order_by("name").first()
    assert service is not None
    return ["/", "/repertoire/", "/repertoire/?q=aide&territory=31084", f"/repertoire/services/{service.pk}/",
            f"/repertoire/services/{service.pk}/fiche/", "/logement/disponibles/QC/",
            "/logement/disponibles/310/", "/logement/parc/310/", "/territoires/", "/organisations/",
            "/api/v1/housing/summary?territory=310", "/api/v1/directory/services?q=aide&territory=31084"]


def test_public_pages_carry_no_token_and_set_no_cookie(demo, public_cache):
    for url in public_urls():
        answer = Client().get(url)
        assert answer.status_code == 200, url
        assert not answer.cookies, (url, answer.cookies)
        assert "csrfmiddlewaretoken" not in answer.content.decode(), url
        assert answer.has_header("ETag"), url


def test_second_visitor_is_served_the_kept_copy(demo, public_cache):
    for url in public_urls():
        first = Client().get(url)
        second = Client().get(url)
        assert "X-Public-Cache" not in first, url
        assert second["X-Public-Cache"] == "hit", url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"], url


def test_kept_page_holds_nothing_of_the_first_visitor(demo, public_cache):
    """A signed-in visitor's page is never kept; an English visitor's copy is not a French one's."""
    url = "/repertoire/?q=aide&territory=31084"
    signed_in = Client()
    from django.contrib.auth import get_user_model

    signed_in.force_login(get_user_model().objects.get(username="coordination"))
    mine = signed_in.get(url)
    assert "X-Public-Cache" not in mine and "Se déconnecter" in mine.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.get(url)
    assert english.get(url)["X-Public-Cache"] == "hit"
    french = Client().get(url)
    assert "X-Public-Cache" not in french  # its own copy, built for it
    body = french.content.decode()
    assert '<html lang="fr">' in body and "Se déconnecter" not in body and "csrfmiddlewaretoken" not in body
    again = signed_in.get(url)
    assert "X-Public-Cache" not in again and "no-store" in again["Cache-Control"]


def test_language_switch_works_from_a_kept_page(demo, public_cache):
    url = "/logement/disponibles/310/"
    Client().get(url)
    visitor = Client()
    kept = visitor.get(url)
    assert kept["X-Public-Cache"] == "hit"
    body = kept.content.decode()
    link = "/langue/en/?next=/logement/disponibles/310/"
    assert f'href="{link}"' in body
    switched = visitor.get(link)
    assert switched.status_code == 302 and switched["Location"] == url
    assert switched.cookies["django_language"].value == "en"
    english = visitor.get(url)
    assert '<html lang="en">' in english.content.decode()
    assert 'href="/langue/fr/?next=/logement/disponibles/310/"' in english.content.decode()


def test_language_switch_goes_back_only_within_the_site(client, db):
    assert client.get("/langue/en/", {"next": "https://example.com/"})["Location"] == "/"
    assert client.get("/langue/en/", {"next": "//example.com/x"})["Location"] == "/"
    assert client.get("/langue/en/")["Location"] == "/"
    assert client.get("/langue/de/", {"next": "/"}).status_code == 404
    assert client.get("/langue/fr/", {"next": "/repertoire/?q=aide"})["Location"] == "/repertoire/?q=aide"


def test_search_from_a_kept_page_works(demo, public_cache):
    Client().get("/repertoire/")
    visitor = Client()
    assert visitor.get("/repertoire/")["X-Public-Cache"] == "hit"
    found = visitor.get("/repertoire/", {"q": "aide", "territory": "31084"})
    assert found.status_code == 200 and found.context["page_obj"].paginator.count > 0


def test_a_write_by_a_service_ends_the_kept_copies(demo, public_cache, coordinator):
    url = "/logement/disponibles/31084/"
    api = "/api/v1/housing/summary?territory=31084"
    before, before_api = Client().get(url), Client().get(api)
    assert Client().get(url)["X-Public-Cache"] == "hit" and Client().get(api)["X-Public-Cache"] == "hit"
    building = Building.objects.filter(municipality__code="31084").order_by("pk").first()
    group = building.unit_groups.order_by("pk").first() or UnitGroupFactory(building=building)
    from django.utils import timezone

    availability_report(actor=coordinator, building_id=building.pk, data={
        "clientele": group.clientele, "as_of": timezone.localdate().isoformat(), "vacant_units": 1,
        "waiting_list": 987})
    after, after_api = Client().get(url), Client().get(api)
    assert "X-Public-Cache" not in after and "X-Public-Cache" not in after_api
    assert after.content != before.content
    assert after_api.json()["waiting_list"] != before_api.json()["waiting_list"]


def test_not_kept_for_tokens_exports_or_errors(demo, public_cache):
    api = "/api/v1/housing/summary?territory=310"
    Client().get(api, HTTP_AUTHORIZATION="Bearer nothing")
    assert "X-Public-Cache" not in Client().get(api, HTTP_AUTHORIZATION="Bearer nothing")
    Client().get("/logement/disponibles/310/", {"format": "csv"})
    assert "X-Public-Cache" not in Client().get("/logement/disponibles/310/", {"format": "csv"})
    Client().get("/logement/disponibles/00000/")
    assert "X-Public-Cache" not in Client().get("/logement/disponibles/00000/")
    Client().get("/comptes/connexion/")
    assert "X-Public-Cache" not in Client().get("/comptes/connexion/")


def test_conditional_get_answers_304(demo, public_cache):
    first = Client().get("/logement/disponibles/310/")
    again = Client().get("/logement/disponibles/310/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    api = Client().get("/api/v1/housing/summary?territory=310")
    assert Client().get("/api/v1/housing/summary?territory=310",
                        HTTP_IF_NONE_MATCH=api["ETag"]).status_code == 304


def test_off_when_seconds_is_zero(demo, public_cache, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    Client().get("/repertoire/")
    assert "X-Public-Cache" not in Client().get("/repertoire/")


def test_a_calendar_is_kept_until_an_activity_changes(demo, public_cache):
    """A territory's, a building's and a group's month are kept for anonymous visitors; cancelling an
    activity is seen on the next request."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from toitcommun.collective.activity_services import activity_cancel
    from toitcommun.collective.models import Activity

    activity = (Activity.objects.filter(state="published", is_public=True, municipality__code="31084")
                .order_by("starts_at").first())
    assert activity is not None
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    url = f"/vie-collective/calendrier/31084/?mois={month}"
    first = Client().get(url)
    assert first.status_code == 200 and "X-Public-Cache" not in first and not first.cookies
    assert activity.title in first.content.decode() and "annulée" not in first.content.decode()
    assert Client().get(url)["X-Public-Cache"] == "hit"
    others = [f"/vie-collective/calendrier/immeuble/{b.pk}/?mois={month}" for b in activity.buildings.all()[:1]]
    others += [f"/vie-collective/calendrier/groupe/{activity.group_id}/?mois={month}"] if activity.group_id else []
    for other in others:
        assert Client().get(other).status_code == 200
        assert Client().get(other)["X-Public-Cache"] == "hit", other

    activity_cancel(actor=get_user_model().objects.get(username="admin"), activity_id=activity.pk)

    after = Client().get(url)
    assert "X-Public-Cache" not in after
    assert "annulée" in after.content.decode()


def test_a_vacancy_report_is_on_the_next_request_of_a_kept_page_read_from_the_rollups(demo, public_cache, coordinator):
    """The available-housing page for today adds up the roll-ups: a report changes them and ends the kept copy."""
    from django.utils import timezone

    url = "/logement/disponibles/12/"
    first = Client().get(url)
    assert Client().get(url)["X-Public-Cache"] == "hit"
    building = Building.objects.filter(municipality__code="31084").order_by("pk").first()
    group = building.unit_groups.order_by("pk").first()
    summary = first.context["summary"]
    availability_report(actor=coordinator, building_id=building.pk, data={
        "clientele": group.clientele, "as_of": timezone.localdate().isoformat(), "vacant_units": 0,
        "waiting_list": 4321})
    after = Client().get(url)
    assert "X-Public-Cache" not in after
    # The report is today's: the figures of that building and clientele are no longer stale.
    assert after.context["summary"].stale_units < summary.stale_units
    assert after.context["summary"].latest_report == timezone.localdate()


def test_an_open_now_page_is_kept_until_the_next_opening_or_closing_time(demo, public_cache, monkeypatch):
    """A page that says which services are open now is built again when an opening or closing time passes,
    not every minute: at 09:00 the badge appears, and from 09:00 to 16:59 one copy serves everyone."""
    from django.test import RequestFactory
    from django.utils import timezone

    from toitcommun.directory.models import Schedule
    from toitcommun.public_cache import key_for

    service = Service.objects.exclude(status=ServiceStatus.DEFUNCT).order_by("name").first()
    Schedule.objects.all().delete()  # no other rule: the day's times are 09:00 and 17:00
    Schedule.objects.create(service=service, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=datetime.time(9),
                            closes_at=datetime.time(17))

    def at(hour: int, minute: int) -> datetime.datetime:  # a Wednesday in Montréal
        return timezone.make_aware(datetime.datetime(2026, 12, 2, hour, minute))

    request = RequestFactory().get(f"/repertoire/services/{service.pk}/")
    keys = {hm: key_for(request, at(*hm)) for hm in ((8, 0), (8, 59), (9, 0), (12, 30), (16, 59), (17, 0), (23, 0))}
    assert keys[(8, 0)] == keys[(8, 59)] != keys[(9, 0)] == keys[(12, 30)] == keys[(16, 59)] != keys[(17, 0)]
    assert keys[(17, 0)] == keys[(23, 0)] and keys[(8, 0)] != keys[(17, 0)]
    assert key_for(RequestFactory().get("/logement/disponibles/310/"), at(8, 0)) == key_for(
        RequestFactory().get("/logement/disponibles/310/"), at(17, 0))  # a housing page is kept for the day

    shown = {}
    for hm in ((8, 58), (8, 59), (9, 0), (9, 1)):
        monkeypatch.setattr(timezone, "now", lambda hm=hm: at(*hm))
        answer = Client().get(f"/repertoire/services/{service.pk}/")
        shown[hm] = ('id="open-now"' in answer.content.decode(), answer.get("X-Public-Cache"))
    assert shown == {(8, 58): (False, None), (8, 59): (False, "hit"), (9, 0): (True, None), (9, 1): (True, "hit")}
