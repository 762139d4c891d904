"""One registry of organizations: every directory provider is an organization of /organisations/.

A provider (DirectoryOrganization) is the directory facet of one registry organization; it
keeps its own HSDS id, so exports and imports keep matching. Adding a provider chooses a
registry organization or adds one to the registry; an HSDS import finds the organization
by name or adds it; the organization's page shows its services; a service leads to its
organization (what referrals will point at).
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import OrganizationFactory, municipality
from toitcommun.access.models import AuditEvent
from toitcommun.directory import hsds
from toitcommun.directory.models import DirectoryOrganization, Service, ServiceStatus
from toitcommun.directory.services import directory_organization_create
from toitcommun.errors import PermissionRefused, ValidationFailed
from toitcommun.organizations.models import Organization

EXAMPLE = hsds.HSDS_DIR / "examples" / "service_full.json"
ADD_PROVIDER = "/repertoire/gestion/organisations/nouvelle/"


def new_provider(**fields):
    return {"name": "Maison de la famille des Appalaches", "kind": "community_organization",
            "description": "Halte-garderie et cuisines collectives."} | fields


# ---- adding a provider creates or chooses a registry organization -----------------------------

def test_a_new_provider_joins_the_registry_and_shows_on_the_organizations_list(client, coordinator, thetford):
    provider = directory_organization_create(actor=coordinator, data=new_provider(municipality=thetford.pk))

    organization = Organization.objects.get(name="Maison de la famille des Appalaches")
    assert provider.organization == organization
    assert (organization.kind, organization.municipality, organization.description) == (
        "community_organization", thetford, "Halte-garderie et cuisines collectives.")
    assert sorted(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True)) == [
        "directory_organization.create", "organization.create"]
    assert "Maison de la famille des Appalaches" in client.get("/organisations/").content.decode()


def test_a_provider_chosen_in_the_registry_is_linked_not_duplicated(coordinator, housing_office):
    provider = directory_organization_create(actor=coordinator, data={
        "organization": housing_office.pk, "description": "Office municipal d'habitation."})

    assert (provider.organization, provider.name) == (housing_office, housing_office.name)
    assert Organization.objects.count() == 1


def test_an_organization_is_a_provider_once(coordinator, housing_office):
    DirectoryOrganizationFactory(organization=housing_office)

    with pytest.raises(ValidationFailed) as refused:
        directory_organization_create(actor=coordinator, data={"organization": housing_office.pk,
                                                               "description": "Encore."})

    assert refused.value.errors == {"organization": [
        "Cette organisation est déjà au répertoire : ajoutez-lui un service."]}
    assert DirectoryOrganization.objects.count() == 1


def test_a_new_provider_named_as_a_registry_organization_is_refused_naming_the_field(coordinator, housing_office,
                                                                                       thetford):
    with pytest.raises(ValidationFailed) as refused:
        directory_organization_create(actor=coordinator, data=new_provider(
            name=housing_office.name.upper(), municipality=thetford.pk))

    assert refused.value.errors == {"name": ["Une organisation porte déjà ce nom."]}
    assert (Organization.objects.count(), DirectoryOrganization.objects.count()) == (1, 0)


def test_a_new_provider_without_name_or_type_names_both_fields(coordinator):
    with pytest.raises(ValidationFailed) as refused:
        directory_organization_create(actor=coordinator, data={"description": "Sans nom."})

    assert refused.value.errors == {
        "name": ["Ce champ est obligatoire pour ajouter l'organisation au registre."],
        "kind": ["Ce champ est obligatoire pour ajouter l'organisation au registre."]}


@pytest.mark.parametrize("who", ["office_staff", "coordinator_elsewhere"])
def test_who_may_not_add_an_organization_here_may_not_through_the_directory(request, who, thetford):
    with pytest.raises(PermissionRefused):
        directory_organization_create(actor=request.getfixturevalue(who), data=new_provider(municipality=thetford.pk))

    assert not Organization.objects.filter(name="Maison de la famille des Appalaches").exists()
    assert not DirectoryOrganization.objects.exists()


def test_the_add_provider_page_adds_to_the_registry_then_asks_for_a_service(client, coordinator, thetford):
    client.force_login(coordinator)

    response = client.post(ADD_PROVIDER, new_provider(municipality=thetford.pk))

    provider = DirectoryOrganization.objects.get()
    assert response["Location"] == f"/repertoire/gestion/services/nouveau/?provider={provider.pk}"
    assert provider.organization.name == "Maison de la famille des Appalaches"


def test_the_add_provider_page_offers_the_registry_and_starts_from_the_organization_asked(client, coordinator,
                                                                                         housing_office):
    client.force_login(coordinator)

    form = client.get(ADD_PROVIDER, {"organization": housing_office.pk}).context["form"]

    assert list(form.fields["organization"].queryset) == [housing_office]
    assert form["organization"].value() == str(housing_office.pk)


# ---- the organization's page and the service's way to its organization ------------------------

def test_the_organization_page_shows_its_services_and_not_the_retired_ones(client, housing_office):
    provider = DirectoryOrganizationFactory(organization=housing_office)
    ServiceFactory(directory_organization=provider, name="Soutien aux locataires")
    ServiceFactory(directory_organization=provider, name="Ancien comptoir", status=ServiceStatus.DEFUNCT)

    page = client.get(f"/organisations/{housing_office.pk}/").content.decode()

    assert "Soutien aux locataires" in page
    assert "Ancien comptoir" not in page


def test_the_organization_page_offers_its_staff_to_add_a_service(client, office_staff, housing_office):
    provider = DirectoryOrganizationFactory(organization=housing_office)
    client.force_login(office_staff)

    page = client.get(f"/organisations/{housing_office.pk}/").content.decode()

    assert f"/repertoire/gestion/services/nouveau/?provider={provider.pk}" in page


def test_a_service_leads_to_its_organization_in_the_api(client, housing_office):
    service = ServiceFactory(directory_organization=DirectoryOrganizationFactory(organization=housing_office))
    serve(service, "31084")

    answer = client.get(f"/api/v1/directory/services/{service.pk}")

    assert answer.json()["organization"]["organization_id"] == housing_office.pk
    assert Service.objects.filter(directory_organization__organization=housing_office).get() == service


# ---- HSDS imports find or add the organization --------------------------------------------------

def test_an_imported_provider_joins_the_registry_once(db):
    hsds.import_documents([EXAMPLE], as_system=True)
    hsds.import_documents([EXAMPLE], as_system=True)

    provider = DirectoryOrganization.objects.get()
    assert provider.organization.name == provider.name
    assert Organization.objects.filter(name_key=Organization.key_for(provider.name)).count() == 1
    assert AuditEvent.objects.filter(action="organization.create").count() == 1


def test_an_imported_provider_named_as_a_registry_organization_is_that_organization(db):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    existing = OrganizationFactory(name=example["organization"]["name"].upper(), municipality=None)

    hsds.import_documents([("example.json", example)], as_system=True)

    assert DirectoryOrganization.objects.get().organization == existing
    assert Organization.objects.count() == 1


def test_an_export_imported_into_an_empty_directory_keeps_its_provider_ids(db, tmp_path):
    hsds.import_documents([EXAMPLE], as_system=True)
    provider_id = DirectoryOrganization.objects.get().pk
    files = hsds.export_directory(tmp_path)
    Service.objects.all().delete()
    DirectoryOrganization.objects.all().delete()

    hsds.import_documents(files, as_system=True)

    assert DirectoryOrganization.objects.get().pk == provider_id
    assert Organization.objects.count() == 1


# ---- the data migration ----------------------------------------------------------------------------

def test_the_migration_makes_every_provider_a_registry_organization_without_duplicates(territory_loaded):
    try:
        before, after = [("directory", "0003_seed_taxonomy")], [("directory", "0005_provider_is_an_organization")]
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        Org, Provider, Location, Municipality = (apps.get_model("organizations", "Organization"),
                                                 apps.get_model("directory", "DirectoryOrganization"),
                                                 apps.get_model("directory", "Location"),
                                                 apps.get_model("territory", "Municipality"))
        thetford, sherbrooke = Municipality.objects.get(code="31084"), Municipality.objects.get(code="43027")
        registered = Org.objects.create(name="Réseaux d'entraide des Appalaches", kind="community_organization",
                                        name_key="reseaux d entraide des appalaches", municipality=thetford)
        linked = Provider.objects.create(name="Autre nom", description="d", organization=registered)
        same = Provider.objects.create(name="RÉSEAUX D'ENTRAIDE des Appalaches", description="d")
        Location.objects.create(directory_organization=same, name="Local", municipality=thetford)
        namesake = Provider.objects.create(name="Réseaux d'entraide des Appalaches", description="d")
        Location.objects.create(directory_organization=namesake, name="Local", municipality=sherbrooke)
        new = Provider.objects.create(name="Moisson Beauce", description="Banque alimentaire.",
                                      website="https://moisson.example")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)

        providers = {p.pk: p for p in DirectoryOrganization.objects.select_related("organization__municipality")}
        assert providers[linked.pk].organization_id == registered.pk
        assert providers[same.pk].organization_id == registered.pk
        assert (providers[namesake.pk].organization.name, providers[namesake.pk].organization.municipality.code) == (
            "Réseaux d'entraide des Appalaches (Sherbrooke)", "43027")
        assert (providers[new.pk].organization.name, providers[new.pk].organization.website,
                providers[new.pk].organization.municipality) == ("Moisson Beauce", "https://moisson.example", None)
        assert Organization.objects.count() == 3
        assert municipality("31084").name == "Thetford Mines"
    finally:
        # Back to the latest schema: the tests after this one (browser tests included) need it.
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
