"""The HSDS 3.0 exchange: valid documents out, the same documents back in, nothing half-imported."""

from __future__ import annotations

import copy
import datetime
import json
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.directory.factories import DirectoryOrganizationFactory
from tests.factories import UserFactory
from toitcommun.access.models import AuditEvent
from toitcommun.directory import hsds
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
    ServiceStatus,
    TaxonomyTerm,
)
from toitcommun.directory.search import index_services, unindex_all
from toitcommun.directory.taxonomy_seed import CATEGORIES_TAXONOMY, term_id
from toitcommun.errors import PermissionRefused

EXAMPLE = hsds.HSDS_DIR / "examples" / "service_full.json"
DIRECTORY_MODELS = [Service, ServiceAtLocation, Location, DirectoryOrganization, Phone, Schedule, Address,
                    ServiceArea, Language, Contact]


@pytest.fixture
def directory(db, thetford):
    """A provider in Thetford Mines with two active services sharing a place, and a retired one."""
    verifier = UserFactory(username="verifier", email="verification@entraide.example.org")
    provider = DirectoryOrganizationFactory(
        name="Réseaux d'entraide des Appalaches (test)", alternate_name="RÉA",
        description="Entraide alimentaire et budgétaire.", email="info@entraide.example.org",
        website="https://entraide.example.org/")
    Phone.objects.create(directory_organization=provider, number="418 555-0100", type="voice")
    food = Service.objects.create(
        directory_organization=provider, name="Épicerie solidaire", alternate_name="L'Épicerie",
        description="Aide alimentaire à prix réduit.", url="https://entraide.example.org/epicerie",
        email="epicerie@entraide.example.org", interpretation_services="Anglais sur demande",
        application_process="Se présenter avec une preuve de revenu.", fees_description="Gratuit",
        eligibility_description="Ménages à faible revenu de la MRC.", accessibility="Local au rez-de-chaussée",
        minimum_age=18, alert="Fermé le 24 juin.", clienteles=["seniors", "families"],
        last_verified_on=datetime.date(2025, 3, 1), verified_by=verifier, verified_by_label="Vérificatrice")
    food.categories.add(term_id("category", "food"))
    budget = Service.objects.create(
        directory_organization=provider, name="Consultation budgétaire", description="Budget et dettes.",
        minimum_age=16, maximum_age=99)
    budget.categories.add(term_id("category", "budget_debt"), term_id("category", "legal_rights"))
    retired = Service.objects.create(directory_organization=provider, name="Ancien comptoir", description="x",
                                     status=ServiceStatus.DEFUNCT)
    ServiceArea.objects.create(service=food, territory_code="310", name="MRC des Appalaches",
                               description="Toute la MRC")
    ServiceArea.objects.create(service=budget, territory_code="31084", name="Thetford Mines")
    local = Location.objects.create(
        directory_organization=provider, name="Local de l'entraide", description="Au sous-sol de l'église.",
        transportation="Autobus 1", latitude=Decimal("46.093"), longitude=Decimal("-71.3035"),
        municipality=thetford, accessibility="Rampe d'accès et toilette adaptée.")
    Address.objects.create(location=local, address_1="123, rue Notre-Dame Ouest", city="Thetford Mines",
                           region="Chaudière-Appalaches", postal_code="G6G 1J1")
    reception = Phone.objects.create(location=local, number="418 555-0111", extension=12, description="Accueil")
    Language.objects.create(phone=reception, location=local, name="English", code="en",
                            note="Service en anglais le matin")
    Phone.objects.create(service=food, number="418 555-0122")
    Schedule.objects.create(location=local, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(8, 30),
                            closes_at=datetime.time(16), wkst="MO")
    Schedule.objects.create(service=food, byday="WE", opens_at=datetime.time(13), closes_at=datetime.time(16),
                            valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31),
                            description="Distribution du mercredi")
    ServiceAtLocation.objects.create(service=food, location=local)
    at_budget = ServiceAtLocation.objects.create(service=budget, location=local, description="Sur rendez-vous")
    Schedule.objects.create(service_at_location=at_budget, byday="TH", opens_at=datetime.time(9),
                            closes_at=datetime.time(12), interval=2, wkst="SU",
                            dtstart=datetime.date(2025, 1, 9), count=26, timezone=Decimal("-5"))
    Phone.objects.create(service_at_location=at_budget, number="418 555-0133", description="Rendez-vous budget")
    Language.objects.create(service=food, name="Français", code="fr")
    Language.objects.create(service=food, name="English", code="en")
    adviser = Contact.objects.create(service=budget, name="Personne Fictive (test)", title="Conseillère budgétaire",
                                     email="conseil@entraide.example.org")
    Phone.objects.create(contact=adviser, number="418 555-0144", extension=3, type="voice")
    index_services([food, budget, retired])
    return {"food": food, "budget": budget, "retired": retired, "provider": provider, "local": local}


def export(tmp_path: Path, name: str) -> dict[str, bytes]:
    folder = tmp_path / name
    return {p.name: p.read_bytes() for p in hsds.export_directory(folder)}


def empty_the_directory() -> None:
    """Every directory record goes; the taxonomy (seeded by a migration) stays.

    The demo's referrals point at its services (and keep them): they go first, as they
    would not exist in the empty database an import starts from."""
    from toitcommun.support.models import Referral

    Referral.objects.all().delete()  # their dated events go with them
    for model in DIRECTORY_MODELS:
        model._default_manager.all().delete()
    unindex_all()


def documents_of(files: dict[str, bytes]) -> list[tuple[str, dict]]:
    return [(name, json.loads(content)) for name, content in sorted(files.items())]


def stored_counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in DIRECTORY_MODELS} | {
        "AuditEvent": AuditEvent.objects.count(), "TaxonomyTerm": TaxonomyTerm.objects.count()}


# ---- export ----------------------------------------------------------------------------

def test_every_exported_document_is_valid_strict_hsds(directory, tmp_path):
    files = export(tmp_path, "out")

    assert sorted(files) == sorted(f"{s.id}.json" for s in directory.values() if isinstance(s, Service))
    for name, document in documents_of(files):
        assert hsds.schema_errors(name, document, strict=True) == []


def test_a_service_document_carries_its_organization_places_hours_areas_and_taxonomy(directory):
    document = hsds.service_document(directory["food"])

    assert document["organization"]["name"] == "Réseaux d'entraide des Appalaches (test)"
    assert document["organization"]["phones"][0]["number"] == "418 555-0100"
    assert document["assured_date"] == "2025-03-01"
    assert document["assurer_email"] == "verification@entraide.example.org"
    assert [a["uri"] for a in document["service_areas"]] == ["urn:toitcommun:territory:310"]
    location = document["service_at_locations"][0]["location"]
    assert location["addresses"][0]["city"] == "Thetford Mines"
    assert location["latitude"] == 46.093
    assert location["accessibility"][0]["description"] == "Rampe d'accès et toilette adaptée."
    assert location["schedules"][0]["opens_at"] == "08:30:00"
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in document["attributes"]}
    assert terms == {("category", "food"), ("audience", "seniors"), ("audience", "families")}
    assert "accessibility" not in document  # the service's own note has no HSDS field: not exported
    assert "maximum_age" not in document  # empty values are left out


def test_the_demo_directory_exports_valid_strict_hsds(demo, tmp_path):
    files = export(tmp_path, "demo")

    assert len(files) == Service.objects.count() >= 1
    for name, document in documents_of(files):
        assert hsds.schema_errors(name, document, strict=True) == []


def test_the_demo_directory_comes_back_byte_for_byte(demo, tmp_path):
    before = export(tmp_path, "before")
    empty_the_directory()

    report = hsds.import_documents(documents_of(before), as_system=True)

    assert report.services_created == len(before)
    assert export(tmp_path, "after") == before


def test_exporting_twice_gives_the_same_bytes(directory, tmp_path):
    assert export(tmp_path, "one") == export(tmp_path, "two")


# ---- import ----------------------------------------------------------------------------

def test_export_then_import_into_an_empty_directory_then_export_gives_the_same_bytes(directory, tmp_path):
    before = export(tmp_path, "before")
    empty_the_directory()

    report = hsds.import_documents(sorted((tmp_path / "before").glob("*.json")), as_system=True)

    assert report.services_created == 3
    assert export(tmp_path, "after") == before
    assert Location.objects.get().municipality.code == "31084"  # found again from the address
    assert Service.objects.filter(search_name__contains="epicer").count() == 1  # indexed for search


def test_importing_our_own_export_changes_nothing(directory, tmp_path):
    before = export(tmp_path, "out")
    counts = stored_counts()

    report = hsds.import_documents(documents_of(before), as_system=True)

    assert (report.services_unchanged, report.changed_anything) == (3, False)
    assert stored_counts() == counts
    assert Service.objects.get(pk=directory["food"].pk).verified_by is not None  # the account is kept
    assert export(tmp_path, "again") == before


def test_importing_the_same_documents_twice_changes_nothing_the_second_time(directory, tmp_path):
    files = export(tmp_path, "out")
    empty_the_directory()
    first = hsds.import_documents(documents_of(files), as_system=True)
    counts = stored_counts()

    second = hsds.import_documents(documents_of(files), as_system=True)

    assert first.services_created == 3
    assert (second.services_created, second.services_changed, second.services_unchanged) == (0, 0, 3)
    assert not second.changed_anything
    assert stored_counts() == counts


def test_the_document_is_the_truth_for_its_service(directory, tmp_path, admin_user):
    food = directory["food"]
    document = hsds.service_document(food)
    document["name"] = "Épicerie solidaire des Appalaches"
    document["phones"] = []
    document["service_areas"] = []
    document["attributes"] = [a for a in document["attributes"] if a["taxonomy_term"]["code"] != "seniors"]
    version = Service.objects.get(pk=food.pk).version

    report = hsds.import_documents([("food.json", document)], actor=admin_user)

    food = Service.objects.get(pk=food.pk)
    assert (food.name, food.clienteles, food.version) == ("Épicerie solidaire des Appalaches", ["families"],
                                                          version + 1)
    assert not food.phones.exists() and not food.service_areas.exists()
    assert report.counts["phone"]["deleted"] == 1 and report.counts["service_area"]["deleted"] == 1
    event = AuditEvent.objects.get(action="service.hsds_import_update")
    assert (event.object_id, event.actor) == (str(food.pk), admin_user)
    assert event.before["name"] == "Épicerie solidaire" and event.after["name"] == food.name
    assert Service.objects.filter(search_name__contains="appalach", pk=food.pk).exists()


def test_a_place_the_document_drops_loses_the_service_and_its_hours_there_but_stays(directory):
    budget, local = directory["budget"], directory["local"]
    document = hsds.service_document(budget)
    document["service_at_locations"] = []

    report = hsds.import_documents([("budget.json", document)], as_system=True)

    assert not ServiceAtLocation.objects.filter(service=budget).exists()
    assert not Schedule.objects.filter(byday="TH").exists()  # the hours of the budget service at that place
    assert Location.objects.filter(pk=local.pk).exists()  # still the place of the food bank
    assert (report.counts["service_at_location"]["deleted"], report.services_changed) == (1, 1)


def test_a_phone_listed_by_several_records_loses_only_the_link_a_document_drops(db):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    hsds.import_documents([("example.json", document)], as_system=True)
    document["phones"] = []

    hsds.import_documents([("example.json", document)], as_system=True)

    phone = Phone.objects.get()
    assert phone.service_id is None
    assert phone.location_id is not None and phone.directory_organization_id is not None


def test_a_term_of_another_taxonomy_joins_our_categories(directory):
    document = hsds.service_document(directory["budget"])
    foreign = str(uuid.uuid4())
    document["attributes"].append({
        "id": str(uuid.uuid4()), "taxonomy_term_id": foreign,
        "taxonomy_term": {"id": foreign, "code": "BH-1800", "name": "Money Management",
                          "description": "Budget counselling (211 LA).", "taxonomy": "AIRS/211 LA County"},
    })

    report = hsds.import_documents([("budget.json", document)], as_system=True)

    term = TaxonomyTerm.objects.get(pk=foreign)
    assert (term.taxonomy_id, term.code, term.name) == (CATEGORIES_TAXONOMY, "BH-1800", "Money Management")
    assert term in Service.objects.get(pk=directory["budget"].pk).categories.all()
    assert report.terms_created == ["Money Management"]


def test_the_official_example_imports_and_drops_what_we_do_not_keep(db):
    report = hsds.import_documents([EXAMPLE], as_system=True)

    service = Service.objects.get(pk="ac148810-d857-441c-9679-408f346de14b")
    assert (service.name, service.directory_organization.name) == ("Community Counselling",
                                                                   "Example Organization Inc.")
    assert (service.minimum_age, service.last_verified_on) == (12, datetime.date(2005, 1, 1))
    phone = Phone.objects.get()  # one id, listed under the service, its place and its organization
    assert (phone.service_id, phone.location_id, phone.directory_organization_id) == (
        service.pk, uuid.UUID("3a19ff88-4620-4d17-9830-ac1d859eb5d5"), service.directory_organization_id)
    location = Location.objects.get()
    assert location.accessibility.startswith("The building is equipped with induction loops")
    assert location.municipality is None  # MyCity is not in Québec
    area = ServiceArea.objects.get()
    assert (area.territory_code, area.description[:30]) == ("", "The service is available to al")
    assert {"service.wait_time", "service.fees", "organization.tax_status", "service_at_location.contacts",
            "location.external_identifier", "service_area.extent"} <= set(report.dropped_fields)
    assert not {"schedule.byweekno", "schedule.interval", "phone.languages", "contact.phones",
                "service_at_location.phones", "location.languages"} & set(report.dropped_fields)
    document = hsds.service_document(service)
    assert hsds.schema_errors("again", document) == []
    assert not hsds.import_documents([EXAMPLE], as_system=True).changed_anything


def _without(document, keys=("attributes", "metadata")):
    """A part of an HSDS document without the keys we do not keep, at every depth."""
    if isinstance(document, list):
        return [_without(item, keys) for item in document]
    if isinstance(document, dict):
        return {k: _without(v, keys) for k, v in document.items() if k not in keys}
    return document


def test_the_official_example_keeps_its_phones_languages_and_recurrence(db):
    original = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    hsds.import_documents([EXAMPLE], as_system=True)

    phone = Phone.objects.get()  # one id: the service's, its contact's, its place's and its organization's
    assert phone.contact_id == uuid.UUID("1e7efce3-639b-4880-940c-b95cd30cdb50")
    assert phone.service_at_location_id == uuid.UUID("e94c9f38-1e8f-4564-91d4-d53501ab1765")
    urdu = Language.objects.get(name="Urdu")  # listed under the phone and the place
    assert (urdu.phone_id, urdu.location_id, urdu.note[:11]) == (phone.pk, phone.location_id, "Translation")
    schedule = Schedule.objects.get()
    assert (schedule.interval, schedule.wkst, schedule.count, schedule.bymonthday) == (1, "TU", 3, "2,3,4")

    again = hsds.service_document(Service.objects.get())
    sal, original_sal = again["service_at_locations"][0], original["service_at_locations"][0]
    assert again["phones"] == _without(original["phones"])
    assert again["contacts"][0]["phones"] == _without(original["contacts"][0]["phones"])
    assert sal["phones"] == _without(original_sal["phones"])
    assert sal["location"]["phones"] == _without(original_sal["location"]["phones"])
    assert sal["location"]["languages"] == _without(original_sal["location"]["languages"])
    assert again["organization"]["phones"] == _without(original["organization"]["phones"])
    assert again["schedules"] == _without(original["schedules"])
    assert again["languages"] == _without(original["languages"])


def test_the_round_trip_keeps_contacts_and_places_phones_languages_and_recurrence(directory, tmp_path):
    before = export(tmp_path, "before")
    budget = json.loads(before[f"{directory['budget'].pk}.json"])
    sal = budget["service_at_locations"][0]
    assert [p["number"] for p in budget["contacts"][0]["phones"]] == ["418 555-0144"]
    assert [p["number"] for p in sal["phones"]] == ["418 555-0133"]
    assert {k: sal["schedules"][0][k] for k in ("interval", "wkst", "count", "dtstart", "timezone")} == {
        "interval": 2, "wkst": "SU", "count": 26, "dtstart": "2025-01-09", "timezone": -5}
    reception = next(p for p in sal["location"]["phones"] if p["number"] == "418 555-0111")
    assert [lang["name"] for lang in reception["languages"]] == ["English"]
    assert [lang["note"] for lang in sal["location"]["languages"]] == ["Service en anglais le matin"]
    empty_the_directory()

    hsds.import_documents(documents_of(before), as_system=True)

    assert export(tmp_path, "after") == before
    assert Language.objects.get(note__startswith="Service en anglais").phone.number == "418 555-0111"


def test_a_contact_the_document_drops_takes_its_phone_along(directory):
    document = hsds.service_document(directory["budget"])
    document["contacts"] = []

    report = hsds.import_documents([("budget.json", document)], as_system=True)

    assert not Contact.objects.exists()
    assert not Phone.objects.filter(number="418 555-0144").exists()
    assert report.counts["phone"]["deleted"] == 1


def test_a_phone_a_place_stops_listing_loses_its_languages_there(directory):
    document = hsds.service_document(directory["food"])
    location = document["service_at_locations"][0]["location"]
    location["languages"] = []

    hsds.import_documents([("food.json", document)], as_system=True)

    english = Language.objects.get(note__startswith="Service en anglais")
    assert (english.location_id, english.phone.number) == (None, "418 555-0111")


# ---- refusals --------------------------------------------------------------------------

def _broken(mutate) -> dict:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    mutate(document)
    return document


BROKEN = {
    "bad uuid": (lambda d: d.update(id="not-a-uuid"), "$.id", "« not-a-uuid » n'est pas au format uuid."),
    "missing name": (lambda d: d.pop("name"), "$", "le champ « name » est obligatoire."),
    "unknown field": (lambda d: d.update(colour="blue"), "$", "champ inconnu de HSDS 3.0 : « colour »."),
    "number as string": (lambda d: d.update(minimum_age="12"), "$.minimum_age", "« 12 » n'est pas du type number."),
    "age with a fraction": (lambda d: d.update(minimum_age=12.5), "$.minimum_age", "12.5 n'est pas un nombre entier de 0 à 32767."),
    "unknown territory": (lambda d: d["service_areas"][0].update(uri="urn:toitcommun:territory:999"),
                          "$.service_areas[0].uri", "code de territoire inconnu : « 999 »."),
    "bad time zone": (lambda d: d["schedules"][0].update(id=str(uuid.uuid4()), timezone=99),
                      "$.schedules[0].timezone", "99 n'est pas un décalage horaire en heures (de -14 à 14)."),
    "bad opening time": (lambda d: d["schedules"][0].update(id=str(uuid.uuid4()), opens_at="10h"),
                         "$.schedules[0].opens_at", "« 10h » n'est pas une heure HH:MM ou HH:MM:SS."),
    "one id, two contents": (lambda d: d["phones"][0].update(number="418 555-0199"),
                             "$.phones[0]", "avec un autre contenu."),
}


@pytest.mark.parametrize("case", BROKEN)
def test_an_invalid_document_is_refused_and_nothing_of_the_run_is_stored(directory, tmp_path, case):
    mutate, path, reason = BROKEN[case]
    valid = hsds.service_document(directory["budget"])
    valid.update(id=str(uuid.uuid4()), name="Un service tout neuf")
    counts = stored_counts()

    with pytest.raises(hsds.HsdsRejected) as refused:
        hsds.import_documents([("a-valid.json", valid), ("broken.json", _broken(mutate))], as_system=True)

    assert [(e.file, e.path) for e in refused.value.errors] == [("broken.json", path)]
    assert reason in refused.value.errors[0].message
    assert stored_counts() == counts


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "ce n'est pas du JSON valide (ligne 1, colonne 2)."),
    ('{"id": NaN}', "NaN n'est pas un nombre JSON."),
    ("[" * 200_000 + "]" * 200_000, "le document s'imbrique sur 200000 niveaux ; nous en lisons au plus 64."),
    ('{"minimum_age": ' + "9" * 5_000 + "}", "un nombre a 5000 chiffres ; nous en lisons au plus 30."),
])
def test_a_file_that_is_not_json_we_read_is_refused(db, tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")

    with pytest.raises(hsds.HsdsRejected) as refused:
        hsds.import_documents([tmp_path / "bad.json"], as_system=True)

    assert [(e.file, e.path) for e in refused.value.errors] == [("bad.json", "$")]
    assert refused.value.errors[0].message == message


@pytest.mark.parametrize("who", ["office_staff", "nobody"])
def test_only_administrators_and_coordinators_may_import(request, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionRefused):
        hsds.import_documents([EXAMPLE], actor=user)

    assert not Service.objects.exists()


@pytest.mark.parametrize("who", ["admin_user", "coordinator"])
def test_administrators_and_coordinators_import(request, who):
    user = request.getfixturevalue(who)

    report = hsds.import_documents([EXAMPLE], actor=user)

    assert report.services_created == 1
    assert AuditEvent.objects.get(action="service.hsds_import_create").actor == user


# ---- the API ---------------------------------------------------------------------------

def test_the_api_lists_active_services_as_an_hsds_page(client, directory):
    with CaptureQueriesContext(connection) as one_per_page:
        response = client.get("/api/v1/hsds/services", {"per_page": 1, "page": 2})
    with CaptureQueriesContext(connection) as two_per_page:
        client.get("/api/v1/hsds/services", {"per_page": 2})

    assert response.status_code == 200
    page = response.json()
    assert {k: v for k, v in page.items() if k != "contents"} == {
        "total_items": 2, "total_pages": 2, "page_number": 2, "size": 1, "first_page": False,
        "last_page": True, "empty": False}
    # Anonymous reader: without people's names and e-mails (tests/test_privacy.py).
    assert page["contents"] == [hsds.service_document(Service.objects.get(pk=directory["food"].pk), personal=False)]
    # prefetched: a bounded number of queries for any page size (a nested level with no rows costs none)
    assert len(one_per_page) <= len(two_per_page) <= 25


def test_the_api_gives_one_service_document(client, directory):
    response = client.get(f"/api/v1/hsds/services/{directory['budget'].pk}")

    assert response.status_code == 200
    assert response.json() == hsds.service_document(Service.objects.get(pk=directory["budget"].pk), personal=False)
    assert hsds.schema_errors("api", response.json()) == []


@pytest.mark.parametrize("service_id", [str(uuid.uuid4()), "not-a-uuid", "retired"])
def test_the_api_answers_404_for_unknown_malformed_or_retired_services(client, directory, service_id):
    if service_id == "retired":
        service_id = str(directory["retired"].pk)

    response = client.get(f"/api/v1/hsds/services/{service_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_the_api_page_after_the_last_is_empty_and_bad_paging_is_refused(client, directory):
    assert client.get("/api/v1/hsds/services", {"page": 9}).json()["empty"] is True
    assert client.get("/api/v1/hsds/services", {"page": 0}).status_code == 422
    assert client.get("/api/v1/hsds/services", {"page": 10**30}).status_code == 422
    assert client.get("/api/v1/hsds/services", {"per_page": 201}).status_code == 422


# ---- the commands ----------------------------------------------------------------------

def test_the_commands_export_and_import_a_folder(directory, tmp_path, capsys):
    call_command("export_hsds", str(tmp_path / "out"))
    empty_the_directory()

    call_command("import_hsds", str(tmp_path / "out"))

    output = capsys.readouterr().out
    assert "3 documents « service » HSDS 3.0.0 écrits" in output
    assert "service : 3 créés, 0 modifiés, 0 inchangés, 0 supprimés" in output
    assert Service.objects.count() == 3


def test_the_import_command_lists_each_error_and_fails(db, tmp_path, capsys):
    shutil.copy(EXAMPLE, tmp_path / "good.json")
    broken = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    broken["id"] = "not-a-uuid"
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")

    with pytest.raises(CommandError) as failed:
        call_command("import_hsds", str(tmp_path))

    assert failed.value.returncode == 1  # manage.py exits with this status
    assert "broken.json $.id: « not-a-uuid » n'est pas au format uuid." in capsys.readouterr().err
    assert not Service.objects.exists()


def test_the_import_command_refuses_a_folder_without_documents(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_hsds", str(tmp_path))


@pytest.mark.parametrize(("content", "reason"), [
    ("[" * 200_000 + "]" * 200_000, "le document s'imbrique sur 200000 niveaux ; nous en lisons au plus 64."),
    ('{"minimum_age": ' + "9" * 5_000 + "}", "un nombre a 5000 chiffres ; nous en lisons au plus 30."),
])
def test_the_import_command_refuses_deep_nesting_and_overlong_numbers_with_a_clear_error(db, tmp_path, capsys,
                                                                                         content, reason):
    (tmp_path / "attack.json").write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as failed:
        call_command("import_hsds", str(tmp_path))

    assert str(failed.value) == "Importation refusée : 1 erreur dans 1 fichier(s) ; rien n'a été importé."
    assert capsys.readouterr().err == f"attack.json $: {reason}\n"
    assert not Service.objects.exists()


def test_the_import_command_speaks_english_on_request(db, tmp_path, capsys):
    (tmp_path / "attack.json").write_text("[" * 100 + "]" * 100, encoding="utf-8")

    with pytest.raises(CommandError) as failed:
        call_command("import_hsds", str(tmp_path), "--lang", "en")

    assert str(failed.value) == "Import refused: 1 error in 1 file(s); nothing was imported."
    assert capsys.readouterr().err == "attack.json $: the document nests 100 levels deep; we read at most 64.\n"
