"""People's names, e-mails and phones only to the network's signed-in staff; the public sees organizations' own.

Staff: administrators, regional coordinators, organizations' staff and workers
(access.rules.can_see_personal_contacts). Researchers, tenants' representatives, accounts
without a role and anonymous visitors see the organization's or service's own phone,
e-mail and website. (The housing pages and exports: tests/housing/test_privacy.py.)
"""

from __future__ import annotations

import datetime

import pytest

from tests.directory.factories import ServiceFactory, serve
from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.directory.models import Contact, Phone
from toitcommun.organizations.models import Membership

PERSON = ("Lucie Fortin", "lucie.fortin@omh-tm.example", "418 555-0199")
ORGANIZATION = ("info@omh-tm.example", "418 555-0100", "https://omh-tm.example/")
CONTACT = ("Julie Gagnon", "julie.gagnon@entraide.example")
SERVICE_OWN = ("accueil@entraide.example", "418 555-0142")
VERIFIER = "Paul Morin"

STAFF = [Role.ADMINISTRATOR, Role.REGIONAL_COORDINATOR, Role.ORGANIZATION_STAFF, Role.WORKER]
NOT_STAFF = [Role.RESEARCHER, Role.TENANT_REPRESENTATIVE, None]


@pytest.fixture
def world(db, housing_office, other_office):
    housing_office.email, housing_office.phone, housing_office.website = ORGANIZATION
    housing_office.save()
    Membership.objects.create(organization=housing_office, full_name=PERSON[0], title="Technicienne en location",
                              email=PERSON[1], phone=PERSON[2], is_contact=True)
    service = ServiceFactory(name="Aide aux déclarations de revenus", email=SERVICE_OWN[0],
                             last_verified_on=datetime.date(2026, 10, 1), verified_by_label=VERIFIER)
    serve(service, "310")
    Phone.objects.create(service=service, number=SERVICE_OWN[1])
    Contact.objects.create(service=service, name=CONTACT[0], title="Coordonnatrice", email=CONTACT[1])
    return housing_office, service


def sign_in(client, role, other_office):
    user = UserFactory(username=f"who-{role}")
    if role == Role.REGIONAL_COORDINATOR:
        RoleFactory(user=user, role=role, territory_code="12")
    elif role is not None:
        RoleFactory(user=user, role=role, organization=other_office)
    client.force_login(user)


def faces(client, office, service) -> dict[str, str]:
    """Every public page and read that could show them, as text."""
    return {
        "organization page": client.get(f"/organisations/{office.pk}/").content.decode(),
        "organization list": client.get("/organisations/").content.decode(),
        "organization api": client.get(f"/api/v1/organizations/{office.pk}").content.decode(),
        "organizations api": client.get("/api/v1/organizations").content.decode(),
        "service page": client.get(f"/repertoire/services/{service.pk}/").content.decode(),
        "service sheet": client.get(f"/repertoire/services/{service.pk}/fiche/").content.decode(),
        "directory search": client.get("/repertoire/", {"q": "déclarations"}).content.decode(),
        "directory api": client.get(f"/api/v1/directory/services/{service.pk}").content.decode(),
        "hsds service": client.get(f"/api/v1/hsds/services/{service.pk}").content.decode(),
        "hsds list": client.get("/api/v1/hsds/services").content.decode(),
    }


def shown(seen: dict[str, str], needles) -> dict[str, bool]:
    return {face: any(n in text for n in needles) for face, text in seen.items()}


def test_anonymous_visitors_see_no_person_but_every_organization_and_service_contact_point(client, world):
    office, service = world

    seen = faces(client, office, service)

    assert shown(seen, PERSON + CONTACT + (VERIFIER,)) == dict.fromkeys(seen, False)
    assert all(point in seen["organization page"] for point in ORGANIZATION)
    assert all(point in seen["organization api"] for point in ORGANIZATION)
    assert all(point in seen["service page"] for point in SERVICE_OWN)
    assert all(point in seen["hsds service"] for point in SERVICE_OWN)
    assert "Pour joindre l'organisation, utilisez son téléphone, son courriel ou son site web" in seen[
        "organization page"]
    assert "Renseignements vérifiés le 1er octobre 2026." in seen["service page"]


@pytest.mark.parametrize("role", STAFF)
def test_signed_in_staff_see_the_people_on_the_pages(client, world, other_office, role):
    office, service = world
    sign_in(client, role, other_office)

    seen = faces(client, office, service)

    assert shown(seen, PERSON) == {face: face == "organization page" for face in seen}
    assert shown(seen, CONTACT) == {face: face in ("service page", "hsds service", "hsds list") for face in seen}
    assert "par Paul Morin" in seen["service page"]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_researchers_tenant_representatives_and_roleless_accounts_see_no_person(client, world, other_office, role):
    office, service = world
    sign_in(client, role, other_office)

    seen = faces(client, office, service)

    assert shown(seen, PERSON + CONTACT + (VERIFIER,)) == dict.fromkeys(seen, False)


def test_the_hsds_file_export_for_operators_keeps_contacts(world):
    from toitcommun.directory.hsds import service_document

    _office, service = world

    assert service_document(service)["contacts"][0]["name"] == CONTACT[0]
    assert "contacts" not in service_document(service, personal=False)
