"""The API does what its OpenAPI document says, for any input the document allows or not.

Schemathesis reads our own /api/v1/openapi.json, generates requests for every
operation (valid and invalid ones), sends them through the WSGI application with
an administrator's token, and checks each answer: never a 5xx, a status code the
document lists for that operation, a body that matches the documented schema.

Bounded in time: the ``api-conformance`` Hypothesis profile below draws a fixed set
of examples per operation (derandomized, so a run is reproducible). Set
``API_CONFORMANCE_EXAMPLES`` to draw more when exploring.
"""

from __future__ import annotations

import datetime
import os
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.directory.factories import ServiceFactory, place, serve
from tests.factories import BuildingFactory, OrganizationFactory, UnitGroupFactory
from toitcommun.access.models import Role, RoleAssignment
from toitcommun.directory.models import Schedule
from toitcommun.people.services import consent_record, person_register
from toitcommun.support.services import referral_create
from toitcommun.wsgi import application

settings.register_profile(
    "api-conformance",
    max_examples=int(os.environ.get("API_CONFORMANCE_EXAMPLES", "8")),
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def test_connection_kept() -> Any:
    """Requests through the WSGI app keep the test's database connection, as Django's test client does.

    At each request's end Django closes a connection inside a transaction: on PostgreSQL
    that would end the test's own transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(person: Any, bearer: Any, test_connection_kept: Any) -> SimpleNamespace:
    """An administrator's token, and one existing object of each kind the paths name."""
    owner = OrganizationFactory()
    building = BuildingFactory(organization=owner)
    UnitGroupFactory(building=building)
    service = ServiceFactory()
    serve(service, "31084")
    place(service, "31084")
    Schedule.objects.create(service=service, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(8, 30),
                            closes_at=datetime.time(16, 30))
    admin = person("administrator")
    # The administrator also works for the owner: the support record's routes reach their rules.
    RoleAssignment.objects.create(user=admin, role=Role.WORKER, organization=owner)
    tenant, _duplicates = person_register(actor=admin, first_name="Fictif", last_name="Conformité",
                                          building_id=building.pk)
    consent = consent_record(actor=admin, person_id=tenant.pk, receiving_organization_ids=[
        service.directory_organization.organization_id], categories=["identity"], purpose="Essai",
        given_by="person", method="signed", starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30))
    referral = referral_create(actor=admin, person_id=tenant.pk, service_id=service.pk, reason="Essai")
    return SimpleNamespace(
        headers=bearer(admin),
        path_values={"building_id": building.pk, "organization_id": owner.pk, "service_id": str(service.pk),
                     "code": "31084", "person_id": tenant.pk, "consent_id": consent.pk,
                     "referral_id": referral.pk},
    )


# Read through the application, as a client reads it (the document needs no database). This runs
# while tests are collected, before the session fixtures: the public page cache, which reads the
# audit log to know whether a kept answer is current, is turned off here by hand.
with override_settings(PUBLIC_CACHE_SECONDS=0):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@schema.given(existing=st.booleans())
@settings(settings.get_profile("api-conformance"))
def test_every_answer_is_documented_and_never_a_server_error(case: Any, existing: bool, world: SimpleNamespace) -> None:
    if existing and case.path_parameters:
        # Half the time, aim at objects that exist, so that writes reach the services' own rules.
        case.path_parameters = {name: world.path_values.get(name, value)
                                for name, value in case.path_parameters.items()}
    case.call_and_validate(headers=world.headers, checks=CHECKS)
