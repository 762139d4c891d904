"""Keeping the directory: adding, changing, verifying, retiring services; who may; what is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, place, serve
from tests.factories import RoleFactory, UserFactory
from toitcommun.access.models import AuditEvent, Role
from toitcommun.directory.forms import hours_text, parse_hours, parse_phone, parse_postal_code
from toitcommun.directory.models import (
    DirectoryOrganization,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from toitcommun.directory.selectors import search_query, services_search
from toitcommun.directory.services import (
    directory_organization_create,
    service_create,
    service_restore,
    service_retire,
    service_update,
    service_verify,
)
from toitcommun.directory.taxonomy_seed import term_id
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict

T = datetime.time


@pytest.fixture
def provider(housing_office):
    """The housing office's own record in the directory."""
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


@pytest.fixture
def other_provider(other_office):
    return DirectoryOrganizationFactory(name="OMH de Lévis (répertoire)", organization=other_office)


@pytest.fixture
def service(provider):
    """A service of the housing office, serving Thetford Mines (region 12)."""
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires",
                       description="Accueil et référence.")
    serve(s, "31084", "Thetford Mines")
    return s


@pytest.fixture
def sherbrooke_service(db):
    """A service of an unlinked provider with a place in Sherbrooke (Estrie, region 05)."""
    s = ServiceFactory(name="Cuisine collective de Sherbrooke")
    place(s, "43027", "Local de la cuisine")
    return s


def service_data(provider, **changes):
    return {
        "directory_organization": str(provider.pk), "name": "Épicerie solidaire",
        "description": "Aide alimentaire à prix réduit.", "status": "active",
        "categories": [str(term_id("category", "food"))], "clienteles": ["families", "seniors"],
        "languages": "Français, anglais", "service_area_codes": "310, 31084",
        "location_name": "Sous-sol de l'église", "address_1": "55, rue Notre-Dame Ouest",
        "municipality": provider.organization.municipality_id if provider.organization else None,
        "postal_code": "g6g1j1", "latitude": "46.091", "longitude": "-71.301",
        "phone": "(418) 555-0101 poste 12", "hours": "LU-VE 09:00-12:00,13:00-16:30; SA 10h-12h",
        "minimum_age": "18", "maximum_age": "",
    } | changes


def directory_events():
    return AuditEvent.objects.filter(object_type__startswith="directory.")


def nothing_changed(service):
    stored = Service.objects.get(pk=service.pk)
    assert (stored.name, stored.status, stored.version, stored.last_verified_on) == (
        service.name, service.status, service.version, service.last_verified_on)
    assert not directory_events().exists()


# --- Happy paths -----------------------------------------------------------------------------

def test_staff_add_their_service_with_its_place_phone_and_hours(office_staff, provider, thetford):
    service = service_create(actor=office_staff, data=service_data(provider))

    assert (service.name, service.version, service.status) == ("Épicerie solidaire", 1, "active")
    assert [c.code for c in service.categories.all()] == ["food"]
    assert service.clienteles == ["families", "seniors"]
    assert sorted((lang.name, lang.code) for lang in service.languages.all()) == [("anglais", "en"),
                                                                                  ("français", "fr")]
    assert sorted(a.territory_code for a in service.service_areas.all()) == ["310", "31084"]
    location = ServiceAtLocation.objects.get(service=service).location
    address = location.addresses.get()
    assert (location.name, location.municipality, str(location.latitude)) == (
        "Sous-sol de l'église", thetford, "46.091000")
    assert (address.address_1, address.city, address.postal_code) == (
        "55, rue Notre-Dame Ouest", "Thetford Mines", "G6G 1J1")
    assert [(p.number, p.extension) for p in service.phones.all()] == [("418 555-0101", 12)]
    assert sorted((s.byday, s.opens_at, s.closes_at) for s in service.schedules.all()) == [
        ("MO,TU,WE,TH,FR", T(9), T(12)), ("MO,TU,WE,TH,FR", T(13), T(16, 30)), ("SA", T(10), T(12))]
    event = AuditEvent.objects.get(action="service.create")
    assert (event.actor, event.after["hours"], event.after["postal_code"]) == (
        office_staff, "MO-FR 09:00-12:00,13:00-16:30; SA 10:00-12:00", "G6G 1J1")
    # Full-text search sees it at once, by its place too.
    assert [s.name for s in services_search(search_query(text="epicerie thetford"))] == ["Épicerie solidaire"]


def test_coordinator_changes_a_service_and_what_was_not_sent_is_kept(coordinator, service):
    updated = service_update(actor=coordinator, service_id=service.pk, version=1,
                             data={"description": "Accueil, référence et accompagnement.", "hours": "MA 13:00-16:00"})

    assert (updated.description, updated.version, updated.name) == (
        "Accueil, référence et accompagnement.", 2, "Soutien aux locataires")
    assert [a.territory_code for a in updated.service_areas.all()] == ["31084"]
    assert [(s.byday, s.opens_at) for s in updated.schedules.all()] == [("TU", T(13))]
    event = AuditEvent.objects.get(action="service.update")
    assert (event.before["description"], event.after["description"]) == (
        "Accueil et référence.", "Accueil, référence et accompagnement.")
    assert (event.before["hours"], event.after["hours"]) == ("", "TU 13:00-16:00")
    assert [s.name for s in services_search(search_query(text="accompagnement"))] == ["Soutien aux locataires"]


def test_sending_an_empty_list_clears_the_categories(office_staff, provider):
    service = service_create(actor=office_staff, data=service_data(provider))
    updated = service_update(actor=office_staff, service_id=service.pk, version=1,
                             data={"categories": [], "clienteles": []})
    assert (list(updated.categories.all()), updated.clienteles) == ([], [])


def test_removing_the_address_unlinks_the_place_but_keeps_it(office_staff, provider):
    service = service_create(actor=office_staff, data=service_data(provider))
    updated = service_update(actor=office_staff, service_id=service.pk, version=1, data={
        "location_name": "", "address_1": "", "municipality": "", "postal_code": "", "latitude": "",
        "longitude": "", "phone": ""})
    assert not updated.service_at_locations.exists() and not Phone.objects.exists()
    assert provider.locations.count() == 1


def test_a_place_without_an_address_is_kept_when_the_service_changes(office_staff, provider):
    """Places imported from elsewhere may name only a municipality."""
    service = ServiceFactory(directory_organization=provider)
    location = place(service, "31084", "Point de service")
    updated = service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Nouveau nom"})
    assert [sal.location for sal in updated.service_at_locations.all()] == [location]
    assert not location.addresses.exists()


def test_rows_whose_text_did_not_change_keep_what_the_form_does_not_show(office_staff, provider):
    """An opening's description, a language's code, an area's description: saving does not drop them."""
    service = service_create(actor=office_staff, data=service_data(provider, phone="811"))
    Schedule.objects.filter(service=service).update(description="Sauf les jours fériés")
    ServiceArea.objects.filter(service=service).update(description="Tout le territoire")
    Language.objects.filter(service=service, name="anglais").update(code="en-CA")

    updated = service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Épicerie"})

    assert {s.description for s in updated.schedules.all()} == {"Sauf les jours fériés"}
    assert {a.description for a in updated.service_areas.all()} == {"Tout le territoire"}
    assert {lang.code for lang in updated.languages.all()} == {"fr", "en-CA"}
    assert [p.number for p in updated.phones.all()] == ["811"]


def test_the_second_of_two_simultaneous_edits_is_refused(coordinator, office_staff, service):
    service_update(actor=coordinator, service_id=service.pk, version=1, data={"name": "Soutien communautaire"})

    with pytest.raises(VersionConflict) as stale:
        service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Autre nom"})

    assert (stale.value.current["name"], stale.value.current_version) == ("Soutien communautaire", 2)
    assert Service.objects.get(pk=service.pk).name == "Soutien communautaire"
    assert AuditEvent.objects.filter(action="service.update").count() == 1


def test_a_worker_of_the_provider_verifies_the_service(office_worker, service):
    verified = service_verify(actor=office_worker, service_id=service.pk)

    assert (verified.last_verified_on, verified.verified_by, verified.verified_by_label) == (
        timezone.localdate(), office_worker, office_worker.get_full_name())
    assert verified.version == 1  # nothing in the record changed: an edit in progress is not disturbed
    assert AuditEvent.objects.get(action="service.verify").after["last_verified_on"] == timezone.localdate().isoformat()


def test_a_retired_service_is_kept_with_its_reason_and_can_be_restored(office_staff, service):
    retired = service_retire(actor=office_staff, service_id=service.pk, reason="  Le service a fermé en mars. ")

    assert (retired.status, retired.version) == (ServiceStatus.DEFUNCT, 2)
    assert AuditEvent.objects.get(action="service.retire").after["reason"] == "Le service a fermé en mars."
    assert services_search(search_query(text="soutien")).count() == 0
    with pytest.raises(ValidationFailed) as refusal:
        service_update(actor=office_staff, service_id=service.pk, version=2, data={"name": "x"})
    assert "status" in refusal.value.errors

    restored = service_restore(actor=office_staff, service_id=service.pk)

    assert (restored.status, restored.version) == (ServiceStatus.ACTIVE, 3)
    assert services_search(search_query(text="soutien")).count() == 1
    assert Service.objects.count() == 1


def test_retiring_needs_a_reason(office_staff, service):
    for reason in ("", "   ", None):
        with pytest.raises(ValidationFailed) as refusal:
            service_retire(actor=office_staff, service_id=service.pk, reason=reason)
        assert refusal.value.errors == {"reason": ["Indiquez pourquoi ce service est retiré."]}
    with pytest.raises(ValidationFailed) as refusal:
        service_retire(actor=office_staff, service_id=service.pk, reason="x" * 501)
    assert "reason" in refusal.value.errors
    nothing_changed(service)


def test_retiring_twice_or_restoring_an_active_service_is_refused(office_staff, service):
    with pytest.raises(ValidationFailed):
        service_restore(actor=office_staff, service_id=service.pk)
    service_retire(actor=office_staff, service_id=service.pk, reason="Fermé.")
    with pytest.raises(ValidationFailed) as refusal:
        service_retire(actor=office_staff, service_id=service.pk, reason="Fermé.")
    assert refusal.value.errors == {"status": ["Ce service est déjà retiré."]}
    with pytest.raises(ValidationFailed):
        service_verify(actor=office_staff, service_id=service.pk)


def test_unknown_or_malformed_services_are_not_found(admin_user, db):
    for pk in ("00000000-0000-0000-0000-000000000000", "nope", None):
        with pytest.raises(NotFound):
            service_update(actor=admin_user, service_id=pk, version=1, data={})
        with pytest.raises(NotFound):
            service_verify(actor=admin_user, service_id=pk)


def test_staff_add_their_organization_to_the_directory(office_staff, housing_office):
    provider = directory_organization_create(actor=office_staff, data={
        "name": "OMH de Thetford Mines", "description": "Office municipal d'habitation.",
        "email": "info@omh.example", "website": "https://omh.example", "organization": housing_office.pk})
    assert provider.organization == housing_office
    assert AuditEvent.objects.get(action="directory_organization.create").actor == office_staff


def test_administrator_adds_a_provider_that_joins_the_registry(admin_user):
    provider = directory_organization_create(actor=admin_user, data={
        "name": "Popote roulante", "kind": "community_organization", "description": "Repas livrés."})
    assert (provider.organization.name, provider.organization.kind) == ("Popote roulante", "community_organization")


# --- Who may: one matrix per act --------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_add_a_service_for_the_provider(request, who, provider):
    with pytest.raises(PermissionRefused):
        service_create(actor=request.getfixturevalue(who), data=service_data(provider))
    assert not Service.objects.exists()
    assert not ServiceArea.objects.exists() and not Schedule.objects.exists() and not Language.objects.exists()
    assert not directory_events().exists()


@pytest.mark.parametrize("who", ["admin_user", "coordinator", "office_staff"])
def test_administrators_coordinators_and_the_providers_staff_add_services(request, who, provider):
    service_create(actor=request.getfixturevalue(who), data=service_data(provider))
    assert Service.objects.count() == 1


def test_a_coordinator_of_another_region_may_not_add_a_service_here(coordinator_elsewhere, provider):
    with pytest.raises(PermissionRefused):
        service_create(actor=coordinator_elsewhere, data=service_data(provider))
    assert not Service.objects.exists()


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_add_a_provider_for_the_housing_office(request, who, housing_office):
    with pytest.raises(PermissionRefused):
        directory_organization_create(actor=request.getfixturevalue(who), data={
            "name": "OMH", "description": "x", "organization": housing_office.pk})
    assert not DirectoryOrganization.objects.exists()


@pytest.mark.parametrize("who, allowed", [
    ("admin_user", True), ("coordinator", True), ("office_staff", True),
    ("coordinator_elsewhere", False), ("other_staff", False), ("office_worker", False),
    ("researcher", False), ("nobody", False),
])
def test_who_may_change_a_service_of_thetford_mines(request, who, allowed, service):
    change = lambda: service_update(actor=request.getfixturevalue(who), service_id=service.pk,  # noqa: E731
                                    version=1, data={"name": "Nouveau nom"})
    if allowed:
        assert change().name == "Nouveau nom"
        return
    with pytest.raises(PermissionRefused):
        change()
    nothing_changed(service)


@pytest.mark.parametrize("who, allowed", [
    ("admin_user", True), ("coordinator", True), ("office_staff", True), ("office_worker", True),
    ("coordinator_elsewhere", False), ("other_staff", False), ("researcher", False), ("nobody", False),
])
def test_who_may_verify_a_service_of_thetford_mines(request, who, allowed, service):
    actor = request.getfixturevalue(who)
    if allowed:
        assert service_verify(actor=actor, service_id=service.pk).last_verified_on == timezone.localdate()
        return
    with pytest.raises(PermissionRefused):
        service_verify(actor=actor, service_id=service.pk)
    nothing_changed(service)


def test_a_worker_of_another_organization_may_not_verify(service, other_office):
    worker = RoleFactory(user=UserFactory(username="worker-levis"), role=Role.WORKER, organization=other_office).user
    with pytest.raises(PermissionRefused):
        service_verify(actor=worker, service_id=service.pk)
    nothing_changed(service)


@pytest.mark.parametrize("who, allowed", [
    ("admin_user", True), ("coordinator", True), ("office_staff", True),
    ("coordinator_elsewhere", False), ("other_staff", False), ("office_worker", False),
    ("researcher", False), ("nobody", False),
])
def test_who_may_retire_and_restore_a_service_of_thetford_mines(request, who, allowed, service):
    actor = request.getfixturevalue(who)
    if allowed:
        service_retire(actor=actor, service_id=service.pk, reason="Fermé.")
        assert service_restore(actor=actor, service_id=service.pk).status == ServiceStatus.ACTIVE
        return
    with pytest.raises(PermissionRefused):
        service_retire(actor=actor, service_id=service.pk, reason="Fermé.")
    nothing_changed(service)
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
    with pytest.raises(PermissionRefused):
        service_restore(actor=actor, service_id=service.pk)
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DEFUNCT


@pytest.mark.parametrize("who, allowed", [
    ("coordinator_elsewhere", True), ("coordinator", False), ("office_staff", False),
])
def test_a_service_with_a_place_in_sherbrooke_is_kept_by_the_estrie_coordinator(request, who, allowed,
                                                                                 sherbrooke_service):
    actor = request.getfixturevalue(who)
    if allowed:
        assert service_verify(actor=actor, service_id=sherbrooke_service.pk).verified_by == actor
        return
    with pytest.raises(PermissionRefused):
        service_verify(actor=actor, service_id=sherbrooke_service.pk)
    nothing_changed(sherbrooke_service)


def test_a_coordinator_may_not_move_a_service_out_of_their_territory(coordinator_elsewhere, sherbrooke_service):
    with pytest.raises(PermissionRefused):
        service_update(actor=coordinator_elsewhere, service_id=sherbrooke_service.pk, version=1, data={
            "address_1": "", "location_name": "", "municipality": "", "service_area_codes": "31084"})
    nothing_changed(sherbrooke_service)
    assert sherbrooke_service.service_at_locations.count() == 1


def test_staff_may_not_hand_their_service_to_another_provider(office_staff, service, other_provider):
    with pytest.raises(PermissionRefused):
        service_update(actor=office_staff, service_id=service.pk, version=1,
                       data={"directory_organization": str(other_provider.pk)})
    nothing_changed(service)


# --- Bad input: each field named, nothing stored ----------------------------------------------

@pytest.mark.parametrize("changes, field, message", [
    ({"service_area_codes": "310, 99999"}, "service_area_codes", "Territoire inconnu : 99999."),
    ({"postal_code": "12345"}, "postal_code", "Entrez un code postal canadien au format A1A 1A1, par exemple G6G 1B2."),
    ({"postal_code": "D6G 1J1"}, "postal_code", None),
    ({"phone": "555-0101"}, "phone", None),
    ({"phone": "418 555 0101 0101"}, "phone", None),
    ({"phone": "appelez-nous"}, "phone", None),
    ({"hours": "du lundi au vendredi"}, "hours", None),
    ({"hours": "XX 09:00-12:00"}, "hours", None),
    ({"hours": "LU 25:00-26:00"}, "hours", None),
    ({"hours": "LU 16:00-09:00"}, "hours",
     "L'heure de fermeture doit suivre l'heure d'ouverture : « 16:00 – 09:00 » dans « LU 16:00-09:00 »."),
    ({"hours": "VE-LU 09:00"}, "hours", None),
    ({"minimum_age": "65", "maximum_age": "18"}, "maximum_age", "L'âge maximum doit être au moins l'âge minimum."),
    ({"minimum_age": "130"}, "minimum_age", None),
    ({"minimum_age": "-1"}, "minimum_age", None),
    ({"name": "x" * 201}, "name", "Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201)."),
    ({"description": "x" * 4001}, "description", None),
    ({"alert": "x" * 501}, "alert", None),
    ({"name": ""}, "name", "Ce champ est obligatoire."),
    ({"status": "defunct"}, "status", None),
    ({"categories": [str(term_id("clientele", "seniors"))]}, "categories", None),
    ({"clienteles": ["pets"]}, "clienteles", None),
    ({"latitude": "95"}, "latitude", None),
    ({"url": "pas une adresse"}, "url", None),
    ({"address_1": "", "location_name": "Local"}, "address_1", "Ce champ est obligatoire pour indiquer une adresse."),
    ({"municipality": ""}, "municipality", "Ce champ est obligatoire pour indiquer une adresse."),
    ({"languages": "x" * 101}, "languages", None),
])
def test_bad_service_input_names_the_field_and_stores_nothing(office_staff, provider, changes, field, message):
    with pytest.raises(ValidationFailed) as refusal:
        service_create(actor=office_staff, data=service_data(provider, **changes))

    assert field in refusal.value.errors
    if message:
        assert message in refusal.value.errors[field]
    assert not Service.objects.exists()
    assert not ServiceArea.objects.exists() and not Schedule.objects.exists() and not Phone.objects.exists()
    assert not directory_events().exists()


def test_bad_input_on_an_update_changes_nothing(office_staff, service):
    with pytest.raises(ValidationFailed) as refusal:
        service_update(actor=office_staff, service_id=service.pk, version=1,
                       data={"name": "Nouveau", "service_area_codes": "31084 ZZZ", "postal_code": "nope"})
    assert refusal.value.errors["service_area_codes"] == ["Territoire introuvable : « ZZZ »."]
    nothing_changed(service)
    assert [a.territory_code for a in ServiceArea.objects.filter(service=service)] == ["31084"]


def test_an_update_without_a_version_is_refused(office_staff, service):
    with pytest.raises(ValidationFailed) as refusal:
        service_update(actor=office_staff, service_id=service.pk, version=None, data={"name": "x"})
    assert "version" in refusal.value.errors
    nothing_changed(service)


def test_html_is_stored_as_typed(office_staff, provider):
    typed = "<script>alert('x')</script> Aide & soutien"
    service = service_create(actor=office_staff, data=service_data(provider, description=typed, name=typed[:60]))
    assert Service.objects.get(pk=service.pk).description == typed


# --- The small parsers ---------------------------------------------------------------------------

def test_hours_read_french_or_hsds_days_ranges_lists_and_several_openings():
    rules = parse_hours("lu,me-ve 9:00-12:00, 13h30-16h; DI 10H-11H\nSA 08:00 - 09:00")
    assert [(r.byday, r.opens_at, r.closes_at) for r in rules] == [
        ("MO,WE,TH,FR", T(9), T(12)), ("MO,WE,TH,FR", T(13, 30), T(16)), ("SU", T(10), T(11)),
        ("SA", T(8), T(9))]
    assert parse_hours("  ") == []


def test_24_00_closes_at_the_end_of_the_day_and_reads_back_the_same():
    rules = parse_hours("LU-DI 00:00-24:00")
    assert [(r.byday, r.opens_at, r.closes_at) for r in rules] == [("MO,TU,WE,TH,FR,SA,SU", T(0), T(23, 59, 59))]
    stored = [Schedule(byday=r.byday, opens_at=r.opens_at, closes_at=r.closes_at) for r in rules]
    assert hours_text(stored) == "MO-SU 00:00-24:00"
    with pytest.raises(ValidationError):
        parse_hours("LU 24:00-25:00")


def test_bare_hours_and_space_separated_openings_are_read():
    assert [(r.opens_at, r.closes_at) for r in parse_hours("MA 9-12 13-16")] == [(T(9), T(12)), (T(13), T(16))]


def test_bad_hours_say_what_to_write_for_each_part():
    with pytest.raises(ValidationError) as bad:
        parse_hours("lundi 9:00-12:00; MO 9-25; VE")
    assert bad.value.messages == [
        "Heure invalide : « 25 » dans « MO 9-25 ». Écrivez-la ainsi : 9 h 30.",
        "Horaire illisible : « VE ». Écrivez les jours puis les heures, par exemple "
        "« lundi au vendredi 9 h à 12 h et 13 h à 16 h 30; samedi 10 h à 12 h ».",
    ]


@pytest.mark.parametrize("typed, number, extension", [
    ("418-555-0101", "418 555-0101", None),
    ("+1 (418) 555.0101", "418 555-0101", None),
    ("4185550101 poste 234", "418 555-0101", 234),
    ("418 555-0101, p. 7", "418 555-0101", 7),
    ("418 555-0101 ext 7", "418 555-0101", 7),
    ("811", "811", None),
    ("1-800-555-0101", "800 555-0101", None),
])
def test_phone_numbers_are_read_and_written_one_way(typed, number, extension):
    parsed = parse_phone(typed)
    assert (parsed.number, parsed.extension) == (number, extension)


def test_postal_codes_are_written_one_way():
    assert parse_postal_code("g6g1j1") == "G6G 1J1"
    assert parse_postal_code("G6G  1J1") == "G6G 1J1"
    for bad in ("G6G-1J1X", "W6G 1J1", "G6G 1J", "ABC DEF"):
        with pytest.raises(ValidationError):
            parse_postal_code(bad)
