"""The API tests' world: a few owners in Chaudière-Appalaches and Québec, their buildings, people in each role.

Self-contained on purpose: it needs only the territory, which it loads when the
shared conftest has not already done so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tests.factories import api_token_for
from toitcommun.access.models import Role, RoleAssignment
from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
from toitcommun.housing.rollups import rollups_refresh
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality
from toitcommun.territory.services import territory_load_mamh

PASSWORD = "Correct-Horse-Battery-42"
THETFORD, BEAUCEVILLE, QUEBEC = "31084", "27028", "23027"


@pytest.fixture(autouse=True)
def territory(db: Any) -> None:
    if not Municipality.objects.filter(code=THETFORD).exists():
        territory_load_mamh()


@pytest.fixture(autouse=True)
def french_afterwards() -> Any:
    # LocaleMiddleware leaves the last request's language active in the thread: a test
    # that asked for English must not make the next test's services speak English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _organization(name: str, kind: str, code: str) -> Organization:
    return Organization.objects.create(
        name=name, name_key=Organization.key_for(name), kind=kind,
        municipality=Municipality.objects.get(code=code),
    )


@pytest.fixture
def omh() -> Organization:
    """The housing office of Thetford Mines (MRC des Appalaches, region 12)."""
    return _organization("Office municipal d'habitation de Thetford Mines", "housing_office", THETFORD)


@pytest.fixture
def coop() -> Organization:
    """A housing co-op in Beauceville (MRC Beauce-Centre, region 12)."""
    return _organization("Coopérative d'habitation des Deux Rives", "housing_coop", BEAUCEVILLE)


@pytest.fixture
def obnl() -> Organization:
    """A housing non-profit in Québec City (region 03)."""
    return _organization("OBNL Habitations du Vieux-Port", "housing_nonprofit", QUEBEC)


def _building(name: str, owner: Organization, code: str, tenure: str,
              groups: list[tuple[str, int, int, int]]) -> Building:
    building = Building.objects.create(
        name=name, organization=owner, municipality=Municipality.objects.get(code=code),
        address=f"1, rue {name}", tenure=tenure, form="multi_unit",
    )
    for clientele, bedrooms, units, adapted in groups:
        UnitGroup.objects.create(building=building, clientele=clientele, bedrooms=bedrooms,
                                 units=units, adapted_units=adapted)
    rollups_refresh(municipality_ids=[building.municipality_id])  # as the writing services do
    return building


def _snapshot(building: Building, clientele: str, as_of: str, vacant: int, waiting: int) -> None:
    AvailabilitySnapshot.objects.create(
        building=building, clientele=clientele, as_of=datetime.date.fromisoformat(as_of),
        vacant_units=vacant, waiting_list=waiting, reported_by_label="Test",
    )
    rollups_refresh(municipality_ids=[building.municipality_id])  # as the writing services do


@pytest.fixture
def stock(omh: Organization, coop: Organization, obnl: Organization) -> SimpleNamespace:
    """Four buildings, 48 units, and availability reported on a few dates of 2024.

    | building       | place            | tenure | units (adapted)                          |
    | Les Pins       | Thetford Mines   | hlm    | seniors 10 (2), families 6               |
    | Le Rucher      | Thetford Mines   | hlm    | singles 4                                |
    | Les Deux Rives | Beauceville      | coop   | families 8 (1)                           |
    | Vieux-Port     | Québec           | obnl   | seniors 20                               |
    """
    pins = _building("Les Pins", omh, THETFORD, "hlm", [("seniors", 1, 10, 2), ("families", 2, 6, 0)])
    rucher = _building("Le Rucher", omh, THETFORD, "hlm", [("singles", 0, 4, 0)])
    rives = _building("Les Deux Rives", coop, BEAUCEVILLE, "coop", [("families", 3, 8, 1)])
    port = _building("Vieux-Port", obnl, QUEBEC, "obnl", [("seniors", 1, 20, 0)])
    _snapshot(pins, "seniors", "2024-01-01", vacant=3, waiting=10)
    _snapshot(pins, "seniors", "2024-03-01", vacant=1, waiting=12)
    _snapshot(pins, "seniors", "2024-06-01", vacant=0, waiting=15)
    _snapshot(pins, "families", "2024-02-15", vacant=2, waiting=4)
    _snapshot(rives, "families", "2024-04-01", vacant=1, waiting=3)
    _snapshot(port, "seniors", "2024-01-10", vacant=5, waiting=0)
    return SimpleNamespace(pins=pins, rucher=rucher, rives=rives, port=port)


@pytest.fixture
def person() -> Callable[..., Any]:
    """A user holding one role in one scope: ``person("worker", organization=omh)``."""
    def make(role: str | None = None, *, organization: Organization | None = None,
             territory_code: str = "", username: str | None = None) -> Any:
        username = username or f"{role or 'nobody'}-{get_user_model().objects.count() + 1}"
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        if role is not None:
            RoleAssignment.objects.create(user=user, role=Role(role), organization=organization,
                                          territory_code=territory_code)
        return user
    return make


@pytest.fixture
def bearer() -> Callable[[Any], dict[str, str]]:
    """The request headers that authenticate as ``user`` with a fresh API token."""
    def headers(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_for(user)}"}
    return headers
