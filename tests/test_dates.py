"""French dates write « 1er » for the first of the month, in every template and message."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import translation

from toitcommun.dates import format_date

FIRST = datetime.date(2015, 11, 1)
FOURTH = datetime.date(2015, 11, 4)


def render(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


@pytest.mark.parametrize(("value", "template", "expected"), [
    (FIRST, '{{ d|date:"j F Y" }}', "1er novembre 2015"),
    (FIRST, "{{ d|date }}", "1er novembre 2015"),
    (FIRST, '{{ d|date:"DATE_FORMAT" }}', "1er novembre 2015"),
    (FOURTH, '{{ d|date:"j F Y" }}', "4 novembre 2015"),
    (FIRST, '{{ d|date:"Y-m-d" }}', "2015-11-01"),
    (FIRST, '{{ d|date:"SHORT_DATE_FORMAT" }}', "01/11/2015"),
    (FIRST, '{{ d|date:"l j F" }}', "dimanche 1er novembre"),
    (None, '{{ d|date:"j F Y" }}', ""),
])
def test_date_filter_writes_1er_for_the_first_of_the_month_in_french(value, template, expected):
    assert render(template, d=value) == expected


def test_date_filter_reads_aware_times_in_local_time():
    # 1 November 2015, 03:00 UTC is still 31 October in Québec.
    moment = datetime.datetime(2015, 11, 1, 3, 0, tzinfo=datetime.UTC)
    assert render('{{ d|date:"j F Y" }}', d=moment) == "31 octobre 2015"
    later = datetime.datetime(2015, 11, 1, 18, 30, tzinfo=zoneinfo.ZoneInfo("America/Toronto"))
    assert render('{{ d|date:"DATETIME_FORMAT" }}', d=later) == "1er novembre 2015 18:30"


def test_english_dates_are_unchanged():
    with translation.override("en"):
        assert render('{{ d|date:"j F Y" }}', d=FIRST) == "1 November 2015"
        assert format_date(FIRST) == "Nov. 1, 2015"


def test_format_date_writes_1er_in_python_messages_too():
    assert format_date(FIRST, "j F Y") == "1er novembre 2015"
    assert format_date(FOURTH) == "4 novembre 2015"


def test_a_service_page_writes_its_verification_date_with_1er(client, db):
    from tests.directory.factories import ServiceFactory

    service = ServiceFactory(last_verified_on=datetime.date(2026, 10, 1))
    body = client.get(f"/repertoire/services/{service.pk}/").content.decode()
    assert "Renseignements vérifiés le 1er octobre 2026." in body


def test_a_schedule_valid_from_the_first_says_1er():
    from toitcommun.directory.views import _validity_text

    assert _validity_text(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == "du 1er janvier 2026 au 31 mars 2026"
    assert _validity_text(None, datetime.date(2026, 6, 1)) == "jusqu'au 1er juin 2026"
