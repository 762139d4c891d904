"""A small world for the support record's tests: the working committee's three organizations, an
organization outside it, their workers, a building, a directory service of each partner, and every
other role. Names are visibly fictional."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory
from tests.factories import BuildingFactory, OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.people import services as people
from toitcommun.support import services as support


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    office = OrganizationFactory(name="OMH de Fictiville (test)", kind="housing_office")
    entraide = OrganizationFactory(name="Entraide Fictive (test)", kind="community_organization")
    cisss = OrganizationFactory(name="CISSS Imaginaire (test)", kind="public_network")
    outsider = OrganizationFactory(name="Organisme Ailleurs (test)", kind="community_organization")

    def worker(username: str, organization: Any, role: str = Role.WORKER) -> Any:
        return RoleFactory(user=UserFactory(username=username, first_name="Agente", last_name=username.title()),
                           role=role, organization=organization).user

    w = SimpleNamespace(office=office, entraide=entraide, cisss=cisss, outsider=outsider)
    w.office_worker = worker("tech-omh", office)
    w.office_staff = worker("staff-omh", office, Role.ORGANIZATION_STAFF)
    w.entraide_worker = worker("tp-entraide", entraide)
    w.cisss_worker = worker("oc-cisss", cisss)
    w.outsider_worker = worker("ailleurs", outsider)
    w.admin_without_org = RoleFactory(user=UserFactory(username="admin-sans-org", is_superuser=True),
                                      role=Role.ADMINISTRATOR).user
    w.admin_of_office = worker("admin-omh", office, Role.ADMINISTRATOR)
    w.researcher = RoleFactory(user=UserFactory(username="chercheuse"), role=Role.RESEARCHER).user
    w.coordinator = RoleFactory(user=UserFactory(username="coord"), role=Role.REGIONAL_COORDINATOR,
                                territory_code="12").user
    w.nobody = UserFactory(username="sans-role")
    w.building = BuildingFactory(organization=office, name="Les Pins fictifs")
    entraide_dir = DirectoryOrganizationFactory(name="Entraide Fictive (répertoire)", organization=entraide)
    outsider_dir = DirectoryOrganizationFactory(name="Ailleurs (répertoire)", organization=outsider)
    w.entraide_service = ServiceFactory(directory_organization=entraide_dir, name="Accompagnement fictif")
    w.outsider_service = ServiceFactory(directory_organization=outsider_dir, name="Service d'ailleurs")
    w.person, _dups = people.person_register(actor=w.office_worker, first_name="Fictive", last_name="Tremblay-Test",
                                             phone="418 555-0101", building_id=w.building.pk, unit="101")
    return w


def consent(w: SimpleNamespace, *, receivers: list[Any] | None = None, categories: list[str] | None = None,
            person: Any = None, starts_on: datetime.date | None = None, ends_on: datetime.date | None = None,
            actor: Any = None) -> Any:
    start = starts_on or today() - datetime.timedelta(days=10)
    return people.consent_record(
        actor=actor or w.office_worker, person_id=(person or w.person).pk,
        receiving_organization_ids=[o.pk for o in (receivers or [w.entraide, w.cisss])],
        categories=categories or ["identity", "housing", "interventions", "referrals"],
        purpose="Suivi concerté par le comité de travail.", given_by="person", method="signed",
        starts_on=start, ends_on=ends_on or start + datetime.timedelta(days=300))


def intervention(w: SimpleNamespace, *, actor: Any = None, person: Any = None, summary: str = "Résumé fictif",
                 notes: str = "Note privée fictive", **extra: Any) -> Any:
    return support.intervention_record(
        actor=actor or w.office_worker, person_ids=[(person or w.person).pk], category=extra.pop("category", "welcome"),
        date=extra.pop("date", today()), duration_minutes=30, summary=summary, notes=notes, **extra)
