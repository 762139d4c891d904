"""An organization cannot be moved out of the mover's territory (attacker finding 5), by the API or the page."""

from __future__ import annotations

import pytest

from tests.factories import municipality
from toitcommun.access.models import AuditEvent
from toitcommun.errors import PermissionRefused
from toitcommun.organizations.models import Organization
from toitcommun.organizations.services import organization_update

SHERBROOKE = "43027"  # region 05, Estrie


def test_a_coordinator_cannot_move_an_organization_outside_their_territory_through_the_api(
        client, coordinator, housing_office):
    client.force_login(coordinator)

    answer = client.patch(f"/api/v1/organizations/{housing_office.pk}",
                          {"version": housing_office.version, "municipality_code": SHERBROOKE},
                          content_type="application/json")

    assert answer.status_code == 403
    assert Organization.objects.get(pk=housing_office.pk).municipality.code == "31084"
    assert not AuditEvent.objects.filter(action="organization.update").exists()


def test_a_coordinator_cannot_move_an_organization_outside_their_territory_on_the_page(
        client, coordinator, housing_office):
    client.force_login(coordinator)
    data = {"version": housing_office.version, "name": housing_office.name, "kind": housing_office.kind,
            "municipality": municipality(SHERBROOKE).pk}

    answer = client.post(f"/organisations/{housing_office.pk}/modifier/", data)

    assert answer.status_code == 403
    assert Organization.objects.get(pk=housing_office.pk).municipality.code == "31084"


def test_a_coordinator_cannot_take_an_organization_out_of_every_territory(coordinator, housing_office):
    with pytest.raises(PermissionRefused):
        organization_update(actor=coordinator, organization_id=housing_office.pk, version=housing_office.version,
                            data={"municipality": None})

    assert Organization.objects.get(pk=housing_office.pk).municipality.code == "31084"


def test_a_coordinator_moves_an_organization_within_their_territory(coordinator, housing_office, levis):
    org = organization_update(actor=coordinator, organization_id=housing_office.pk, version=housing_office.version,
                              data={"municipality": levis.pk})

    assert org.municipality.code == "25213"


@pytest.mark.parametrize("who", ["office_staff", "admin_user"])
def test_the_organizations_own_staff_and_administrators_move_it_anywhere(request, who, housing_office):
    org = organization_update(actor=request.getfixturevalue(who), organization_id=housing_office.pk,
                              version=housing_office.version, data={"municipality": municipality(SHERBROOKE).pk})

    assert org.municipality.code == SHERBROOKE
