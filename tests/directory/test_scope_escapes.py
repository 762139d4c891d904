"""A coordinator keeps the directory of their own territory only (attacker finding 5).

Creating or changing a service, by the page, the API or an HSDS import, is checked against
the actor's territory for the new areas and places too; nothing changes on refusal.
"""

from __future__ import annotations

import pytest

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, place, serve
from tests.factories import OrganizationFactory, municipality
from toitcommun.access.models import AuditEvent
from toitcommun.directory import hsds
from toitcommun.directory.models import Contact, DirectoryOrganization, Service, ServiceArea
from toitcommun.directory.services import service_create, service_update
from toitcommun.errors import PermissionRefused

SHERBROOKE = "43027"  # region 05, Estrie


@pytest.fixture
def provider(housing_office):
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


@pytest.fixture
def estrie_service(db):
    """A service of region 05, with a contact that a pruning import would delete."""
    office = OrganizationFactory(name="OMH de Sherbrooke (test)", municipality=municipality(SHERBROOKE))
    service = ServiceFactory(directory_organization=DirectoryOrganizationFactory(organization=office),
                             name="Comptoir de Sherbrooke")
    serve(service, SHERBROOKE, "Sherbrooke")
    place(service, SHERBROOKE, "Local de Sherbrooke")
    Contact.objects.create(service=service, name="Accueil")
    return service


@pytest.fixture
def own_service(provider):
    service = ServiceFactory(directory_organization=provider, name="Épicerie solidaire")
    serve(service, "31084", "Thetford Mines")
    return service


def new_service(provider, **changes):
    return {"directory_organization": str(provider.pk), "name": "Aide aux devoirs",
            "description": "Pour les enfants du quartier.", "status": "active"} | changes


def counts():
    return (Service.objects.count(), ServiceArea.objects.count(), Contact.objects.count(),
            AuditEvent.objects.count())


# ---- creating and changing on the pages and the API -------------------------------------------

@pytest.mark.parametrize("areas", [SHERBROOKE, "05", "12 05", "QC"])
def test_a_coordinator_cannot_create_a_service_serving_another_region(coordinator, provider, areas):
    before = counts()

    with pytest.raises(PermissionRefused):
        service_create(actor=coordinator, data=new_service(provider, service_area_codes=areas))

    assert counts() == before


def test_a_coordinator_cannot_create_a_service_placed_in_another_region(coordinator, provider):
    before = counts()

    with pytest.raises(PermissionRefused):
        service_create(actor=coordinator, data=new_service(provider, location_name="Local",
                                                           municipality=municipality(SHERBROOKE).pk))

    assert counts() == before


def test_the_api_refuses_a_coordinators_service_serving_another_region(client, coordinator, provider):
    client.force_login(coordinator)
    before = counts()

    answer = client.post("/api/v1/directory/services", {
        "directory_organization_id": str(provider.pk), "name": "Aide aux devoirs", "description": "Devoirs.",
        "service_area_codes": ["05"]}, content_type="application/json")

    assert answer.status_code == 403
    assert counts() == before


def test_the_page_refuses_a_coordinators_service_serving_another_region(client, coordinator, provider):
    client.force_login(coordinator)
    before = counts()

    answer = client.post("/repertoire/gestion/services/nouveau/", new_service(provider, service_area_codes="05"))

    assert answer.status_code == 200
    assert "Vous ne pouvez pas ajouter un service qui dessert un territoire hors du vôtre." in answer.content.decode()
    assert counts() == before


def test_a_coordinator_creates_a_service_in_their_region(coordinator, provider):
    service = service_create(actor=coordinator, data=new_service(provider, service_area_codes="12 310 31084"))

    assert sorted(service.service_areas.values_list("territory_code", flat=True)) == ["12", "310", "31084"]


def test_a_coordinator_cannot_extend_a_service_to_another_region(coordinator, own_service):
    before = counts()

    with pytest.raises(PermissionRefused):
        service_update(actor=coordinator, service_id=own_service.pk, version=own_service.version,
                       data={"service_area_codes": f"31084 {SHERBROOKE}"})

    assert list(ServiceArea.objects.filter(service=own_service).values_list("territory_code", flat=True)) == ["31084"]
    assert counts() == before


def test_a_coordinator_still_edits_a_service_that_also_serves_another_region(coordinator, own_service):
    serve(own_service, "05", "Estrie")  # set by an administrator

    service = service_update(actor=coordinator, service_id=own_service.pk, version=own_service.version,
                             data={"alert": "Fermé le 24 juin."})

    assert service.alert == "Fermé le 24 juin."


def test_the_providers_staff_open_their_service_anywhere(office_staff, own_service):
    service = service_update(actor=office_staff, service_id=own_service.pk, version=own_service.version,
                             data={"service_area_codes": "QC"})

    assert list(service.service_areas.values_list("territory_code", flat=True)) == ["QC"]


# ---- the HSDS import follows the same rule ------------------------------------------------------

def test_a_coordinators_import_cannot_overwrite_a_service_of_another_region(coordinator, estrie_service):
    document = hsds.service_document(estrie_service)
    document["name"] = "Détourné"
    before = counts()

    with pytest.raises(PermissionRefused) as refused:
        hsds.import_documents([("sherbrooke.json", document)], actor=coordinator)

    assert str(refused.value) == "Importation refusée, hors de votre territoire : sherbrooke.json."
    assert Service.objects.get(pk=estrie_service.pk).name == "Comptoir de Sherbrooke"
    assert counts() == before


def test_a_coordinators_import_cannot_prune_a_service_of_another_region(coordinator, estrie_service):
    document = hsds.service_document(estrie_service)
    document.pop("contacts")
    before = counts()

    with pytest.raises(PermissionRefused):
        hsds.import_documents([("sherbrooke.json", document)], actor=coordinator)

    assert Contact.objects.filter(service=estrie_service).count() == 1
    assert counts() == before


def test_a_coordinators_import_cannot_open_their_service_to_another_region(coordinator, own_service):
    document = hsds.service_document(own_service)
    document["service_areas"].append({"id": "0b0b0b0b-0000-4000-8000-000000000005", "name": "Estrie",
                                      "uri": f"{hsds.TERRITORY_URN}05"})
    before = counts()

    with pytest.raises(PermissionRefused):
        hsds.import_documents([("own.json", document)], actor=coordinator)

    assert counts() == before


def test_a_coordinators_import_cannot_create_a_service_of_another_region(coordinator, estrie_service):
    document = hsds.service_document(estrie_service)
    document.update(id="0c0c0c0c-0000-4000-8000-000000000001", name="Nouveau comptoir", service_at_locations=[],
                    contacts=[], phones=[])
    document["service_areas"] = [{"id": "0c0c0c0c-0000-4000-8000-000000000002", "name": "Estrie",
                                  "uri": f"{hsds.TERRITORY_URN}05"}]
    before = counts()

    with pytest.raises(PermissionRefused):
        hsds.import_documents([("new.json", document)], actor=coordinator)

    assert counts() == before


def test_a_coordinators_import_in_their_territory_and_an_administrators_anywhere(
        coordinator, admin_user, own_service, estrie_service):
    own = hsds.service_document(own_service) | {"alert": "Nouveau"}
    estrie = hsds.service_document(estrie_service) | {"alert": "Nouveau"}

    assert hsds.import_documents([("own.json", own)], actor=coordinator).services_changed == 1
    assert hsds.import_documents([("estrie.json", estrie)], actor=admin_user).services_changed == 1


def test_a_coordinators_import_cannot_rename_the_provider_of_another_regions_service(coordinator, own_service,
                                                                                    estrie_service):
    document = hsds.service_document(own_service)
    stolen = hsds.service_document(estrie_service)["organization"] | {"name": "Détourné"}
    document.update(organization=stolen, organization_id=stolen["id"])
    before = counts()

    with pytest.raises(PermissionRefused) as refused:
        hsds.import_documents([("own.json", document)], actor=coordinator)

    assert str(refused.value) == ("Importation refusée, hors de votre territoire : un lieu ou une organisation "
                                  "partagés avec un service hors de votre territoire.")
    assert DirectoryOrganization.objects.get(pk=estrie_service.directory_organization_id).name != "Détourné"
    assert Service.objects.get(pk=own_service.pk).directory_organization_id == own_service.directory_organization_id
    assert counts() == before
