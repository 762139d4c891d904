"""A service's short address (/s/<code>) and the printed sheet's QR code that leads to it."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from tests.directory.factories import ServiceFactory
from toitcommun.directory.models import Service
from toitcommun.directory.short_address import ALPHABET, service_by_short_code, short_code
from toitcommun.errors import NotFound


@pytest.fixture
def service(db):
    return ServiceFactory(id=uuid.UUID("0123456789abcdef0123456789abcdef"), name="Comptoir (test)")


def test_the_short_code_is_eight_unambiguous_characters(service):
    code = short_code(service)

    assert code == "04HMASW9"  # the first 40 bits of the id, in Crockford's base 32
    assert len(code) == 8 and set(code) <= set(ALPHABET) and not set(code) & set("ILOU")


@pytest.mark.parametrize("typed", ["04HMASW9", "04hmasw9", "O4HMASW9", "04HM-ASW9", "04hm asw9"])
def test_the_short_address_leads_to_the_service_page_however_it_is_typed(client, service, typed):
    response = client.get(f"/s/{typed}")

    assert response.status_code == 302
    assert response["Location"] == f"/repertoire/services/{service.pk}/"


@pytest.mark.parametrize("typed", ["04HMASW8", "04HMASW", "04HMASW9X", "UUUUUUUU", "x" * 5000, "04HMASW9/"])
def test_an_unknown_or_malformed_code_is_not_found(client, service, typed):
    assert client.get(f"/s/{typed}").status_code == 404
    with pytest.raises(NotFound):
        service_by_short_code(typed)


def test_two_services_whose_ids_start_alike_keep_distinct_addresses(client, service):
    newer = ServiceFactory(id=uuid.UUID("0123456789ffffff0000000000000000"), name="Autre (test)")
    Service.objects.filter(pk=newer.pk).update(created_at=timezone.now() + datetime.timedelta(days=1))
    newer.refresh_from_db()

    assert short_code(service) == "04HMASW9"
    longer = short_code(newer)
    assert len(longer) == 16 and longer.startswith("04HMASW")
    assert client.get("/s/04HMASW9")["Location"] == f"/repertoire/services/{service.pk}/"
    assert client.get(f"/s/{longer}")["Location"] == f"/repertoire/services/{newer.pk}/"


def test_the_printed_sheet_carries_the_short_address_and_its_qr_code(client, service):
    page = client.get(f"/repertoire/services/{service.pk}/fiche/").content.decode()

    assert 'id="short-address">http://testserver/s/04HMASW9<' in page
    assert re.search(r'<div class="sheet-qr" role="img" aria-label="[^"]+"><svg [^>]*class="sheet-qr-code"', page)
    assert f'href="/repertoire/services/{service.pk}/signaler/"' in page
