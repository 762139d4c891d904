"""The demo's resource directory: the table's organizations and what they offer, searchable, loaded once."""

import datetime

from django.core.management import call_command
from django.db import connection

from toitcommun.demo_directory import FEDERATION, OFFERS, demo_id
from toitcommun.directory.models import (
    Address,
    Contact,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from toitcommun.directory.selectors import (
    is_stale,
    search_query,
    services_search,
    services_to_verify,
)
from toitcommun.organizations.models import Organization

DIRECTORY_MODELS = [DirectoryOrganization, Service, ServiceArea, Location, Address, ServiceAtLocation, Phone,
                    Contact, Schedule, Language, Service.categories.through]


def counts() -> dict[str, int]:
    """Rows of every directory table, and of the SQLite full-text index (PostgreSQL indexes the column)."""
    found = {m._meta.db_table: m.objects.count() for m in DIRECTORY_MODELS}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM directory_service_fts")
            found["directory_service_fts"] = cursor.fetchone()[0]
    return found


def service(slug: str) -> Service:
    return Service.objects.get(pk=demo_id("service", slug))


def test_the_tables_organizations_offer_their_services(demo):
    assert Service.objects.count() == len(OFFERS) == 21
    assert DirectoryOrganization.objects.filter(organization__isnull=True).count() == 0
    providers = set(DirectoryOrganization.objects.values_list("organization__name", flat=True))
    assert providers == {
        "Réseaux d'entraide des Appalaches", "ACEF Appalaches-Beauce-Etchemin", "CDC des Appalaches",
        "CISSS de Chaudière-Appalaches", "Emploi-Québec, Chaudière-Appalaches",
        "Commission scolaire des Appalaches", "Office municipal d'habitation de Thetford Mines", FEDERATION,
    }
    assert Organization.objects.get(name=FEDERATION).kind == "federation"
    food = service("depannage-alimentaire")
    assert food.directory_organization.organization.name == "Réseaux d'entraide des Appalaches"
    assert set(food.categories.values_list("code", flat=True)) == {"food"}
    assert list(food.service_areas.values_list("territory_code", flat=True)) == ["310"]
    assert food.service_at_locations.get().location.municipality.code == "31084"
    assert food.schedules.get().byday == "TU,TH"


def test_every_service_has_a_place_or_a_line_hours_and_a_fictitious_or_public_number(demo):
    for s in Service.objects.prefetch_related("phones", "schedules", "service_areas", "contacts"):
        assert s.schedules.all() and s.service_areas.all() and s.contacts.all(), s.name
        assert all(not c.name for c in s.contacts.all()), "contacts are titles, never persons"
        (phone,) = s.phones.all()
        assert phone.number == "811" or phone.number[4:10] == "555-01", phone.number


def test_searching_food_aid_in_thetford_finds_the_reseaux_dentraide(demo):
    found = services_search(search_query(text="aide alimentaire", territory="31084"))
    assert service("depannage-alimentaire") in found
    assert all(s.directory_organization.name == "Réseaux d'entraide des Appalaches" for s in found)
    in_levis = services_search(search_query(text="aide alimentaire", territory="25213"))
    assert list(in_levis) == []


def test_a_category_search_in_levis_finds_its_clsc_and_the_provincial_lines(demo):
    found = services_search(search_query(category="mental_health", territory="25213"))
    assert {s.name for s in found} == {"Accueil psychosocial — CLSC de Lévis", "Info-Social 811"}


def test_tenants_rights_are_found_everywhere_in_quebec(demo):
    found = services_search(search_query(text="droits locataires", territory="31084", category="legal_rights"))
    assert [s.pk for s in found] == [demo_id("service", "droits-locataires-hlm")]


def test_loading_twice_changes_nothing(demo):
    before = counts()
    texts = dict(Service.objects.values_list("pk", "search_text"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert dict(Service.objects.values_list("pk", "search_text")) == texts
    assert before.get("directory_service_fts", 21) == before["directory_service"] == 21
    assert Service.objects.filter(search_text="").count() == 0


def test_a_few_services_are_due_for_verification(demo):
    today = datetime.date(2026, 12, 1)
    stale = {s.name for s in services_to_verify(today)}
    assert stale == {"Cuisines collectives", "Information sur le logement social et communautaire",
                     "Francisation des adultes"}
    assert not is_stale(service("depannage-alimentaire"), today)
