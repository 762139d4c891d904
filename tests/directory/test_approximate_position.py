"""A place saved without coordinates stands at its municipality's point, marked approximate."""

from __future__ import annotations

import json

import pytest

from tests.directory.factories import DirectoryOrganizationFactory
from toitcommun.directory.forms import initial_extras
from toitcommun.directory.models import ServiceAtLocation
from toitcommun.directory.services import service_create, service_update
from toitcommun.directory.taxonomy_seed import term_id
from toitcommun.errors import ValidationFailed


@pytest.fixture
def provider(housing_office):
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


def data(provider, **changes):
    return {
        "directory_organization": str(provider.pk), "name": "Épicerie solidaire",
        "description": "Aide alimentaire à prix réduit.", "categories": [str(term_id("category", "food"))],
        "service_area_codes": "31084", "address_1": "55, rue Notre-Dame Ouest",
        "municipality": "Thetford Mines", "municipality_code": "31084", "postal_code": "G6G 1J1",
        "latitude": "", "longitude": "",
    } | changes


def place_of(service):
    return ServiceAtLocation.objects.select_related("location").get(service=service).location


def test_a_place_saved_without_coordinates_stands_at_its_municipality_marked_approximate(office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider))

    location = place_of(service)
    assert (str(location.latitude), str(location.longitude), location.position_is_approximate) == (
        "46.106500", "-71.287300", True)


def test_typed_coordinates_place_it_exactly(office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider, latitude="46.0912", longitude="-71.3012"))

    location = place_of(service)
    assert (str(location.latitude), str(location.longitude), location.position_is_approximate) == (
        "46.091200", "-71.301200", False)


def test_moving_to_another_municipality_moves_the_approximate_point(coordinator, provider):
    service = service_create(actor=coordinator, data=data(provider))

    service = service_update(actor=coordinator, service_id=service.pk, version=service.version,
                             data=data(provider, municipality="Lévis", municipality_code="25213",
                                       postal_code="G6V 1A1"))

    location = place_of(service)
    assert (str(location.latitude), str(location.longitude), location.position_is_approximate) == (
        "46.711040", "-71.241950", True)


def test_a_municipality_without_a_point_leaves_the_place_off_the_map(office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider, municipality="Mont-Alexandre",
                                                           municipality_code="02902"))

    location = place_of(service)
    assert (location.latitude, location.longitude, location.position_is_approximate) == (None, None, False)


def test_the_edit_form_leaves_an_approximate_point_out_of_the_coordinate_boxes(office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider))

    extras = initial_extras(service)
    assert (extras["latitude"], extras["longitude"], extras["municipality"]) == (None, None, place_of(service).municipality_id)


def test_latitude_without_longitude_is_refused_naming_the_missing_field(office_staff, provider):
    with pytest.raises(ValidationFailed) as refusal:
        service_create(actor=office_staff, data=data(provider, latitude="46.09"))

    assert refusal.value.errors == {"longitude": [
        "Indiquez la latitude et la longitude ensemble, ou laissez-les vides : "
        "le lieu sera placé au centre de sa municipalité."]}


def test_coordinates_out_of_range_are_refused(office_staff, provider):
    with pytest.raises(ValidationFailed) as refusal:
        service_create(actor=office_staff, data=data(provider, latitude="91", longitude="-200"))

    assert refusal.value.errors == {
        "latitude": ["Assurez-vous que cette valeur est inférieure ou égale à 90."],
        "longitude": ["Assurez-vous que cette valeur est supérieure ou égale à -180."]}


def test_the_service_page_and_its_map_say_position_approximative(client, office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider))

    page = client.get(f"/repertoire/services/{service.pk}/")

    body = page.content.decode()
    assert "Position approximative : le lieu est placé au centre de sa municipalité." in body
    points = json.loads(body.split('<script id="site-map-points" type="application/json">')[1].split("</script>")[0])
    assert points == [{"name": "Épicerie solidaire", "lat": 46.1065, "lng": -71.2873,
                       "url": f"/repertoire/services/{service.pk}/", "municipality": "Thetford Mines",
                       "tenure": "OMH de Thetford Mines (répertoire)", "approximate": "position approximative"}]


def test_an_exact_place_is_not_called_approximate(client, office_staff, provider):
    service = service_create(actor=office_staff, data=data(provider, latitude="46.0912", longitude="-71.3012"))

    body = client.get(f"/repertoire/services/{service.pk}/").content.decode()

    assert "Position approximative" not in body
    assert "approximate" not in body
