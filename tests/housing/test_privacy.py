"""Who reported a vacancy is a person's name: only the network's signed-in staff see it.

The public, researchers, tenants' representatives and accounts without a role see the figures and their date.
"""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.factories import (
    BuildingFactory,
    RoleFactory,
    SnapshotFactory,
    UnitGroupFactory,
    UserFactory,
)
from toitcommun.access.models import Role

REPORTER = "Marc Gosselin"


@pytest.fixture
def reported(housing_office, thetford):
    building = BuildingFactory(organization=housing_office, municipality=thetford, name="Les Pins")
    UnitGroupFactory(building=building, clientele="seniors", units=10)
    SnapshotFactory(building=building, clientele="seniors", as_of=datetime.date(2024, 3, 1), vacant_units=1,
                    waiting_list=12, reported_by_label=REPORTER)
    return building


def faces(client, building) -> dict[str, str]:
    """Every public face that shows the vacancies of Les Pins, as text."""
    xlsx = load_workbook(io.BytesIO(client.get("/logement/disponibles/31084/", {"format": "xlsx"}).content))
    return {
        "available page": client.get("/logement/disponibles/31084/").content.decode(),
        "available csv": client.get("/logement/disponibles/31084/", {"format": "csv"}).getvalue().decode("utf-8-sig"),
        "available xlsx": repr(list(xlsx.active.iter_rows(values_only=True))),
        "building page": client.get(f"/logement/immeubles/{building.pk}/").content.decode(),
        "building api": client.get(f"/api/v1/buildings/{building.pk}").content.decode(),
        "summary api": client.get("/api/v1/housing/summary", {"territory": "31084"}).content.decode(),
    }


def test_anonymous_visitors_see_figures_but_not_who_reported_them(client, reported):
    seen = faces(client, reported)

    assert {face: REPORTER in text for face, text in seen.items()} == dict.fromkeys(seen, False)
    assert "Signalé par" not in seen["available page"] + seen["available csv"] + seen["building page"]
    assert "2024-03-01" in seen["available page"] and "2024-03-01" in seen["available csv"]


@pytest.mark.parametrize("role", [Role.WORKER, Role.ORGANIZATION_STAFF, Role.REGIONAL_COORDINATOR,
                                  Role.ADMINISTRATOR])
def test_signed_in_staff_see_who_reported(client, reported, other_office, role):
    scope = {"territory_code": "12"} if role == Role.REGIONAL_COORDINATOR else {"organization": other_office}
    client.force_login(RoleFactory(user=UserFactory(username=f"staff-{role}"), role=role, **scope).user)

    seen = faces(client, reported)

    assert {face: REPORTER in text for face, text in seen.items()} == {
        "available page": True, "available csv": True, "available xlsx": True, "building page": True,
        "building api": False, "summary api": False,  # the API's reads are public: never a name
    }


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.TENANT_REPRESENTATIVE, None])
def test_researchers_tenant_representatives_and_roleless_accounts_do_not_see_who_reported(client, reported, role):
    user = UserFactory(username=f"user-{role}")
    if role is not None:
        RoleFactory(user=user, role=role)
    client.force_login(user)

    seen = faces(client, reported)

    assert {face: REPORTER in text for face, text in seen.items()} == dict.fromkeys(seen, False)
