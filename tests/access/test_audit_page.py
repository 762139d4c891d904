"""The audit log page reads as sentences, refuses bad filters, pages, and exports what it shows."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import BuildingFactory, OrganizationFactory, UserFactory
from toitcommun.access.models import AuditEvent
from toitcommun.access.services import audit_record, snapshot
from toitcommun.access.views import EVENTS_PER_PAGE

URL = "/comptes/audit/"


@pytest.fixture
def marie(admin_user):
    admin_user.first_name, admin_user.last_name = "Marie", "Tremblay"
    admin_user.save()
    return admin_user


@pytest.fixture
def reader(client, marie):
    client.force_login(marie)
    return client


def building_edited(actor, **changes):
    building = BuildingFactory(name="123 rue X", address="123, rue X", has_common_room=False)
    before = snapshot(building)
    for name, value in changes.items():
        setattr(building, name, value)
    building.save()
    return audit_record(actor=actor, action="building.update", instance=building, before=before,
                        after=snapshot(building))


def entries_of(response):
    return [(e.sentence, [(c.label, c.old, c.new) for c in e.changes]) for e in response.context["entries"]]


def test_an_edit_reads_as_a_sentence_with_only_the_changed_fields_old_to_new(reader, marie):
    building_edited(marie, address="9, rue Audit", has_common_room=True, tenure="coop")
    response = reader.get(URL, {"object_type": "housing.building"})
    assert entries_of(response) == [(
        "Marie Tremblay a modifié l'immeuble « 123 rue X »",
        [("adresse", "123, rue X", "9, rue Audit"), ("mode de tenure", "HLM", "Coopérative"),
         ("salle communautaire", "non", "oui")],
    )]
    results = response.content.decode().split('id="audit-results"')[1]
    assert "Marie Tremblay a modifié l&#x27;immeuble « 123 rue X » :" in results
    assert "{&#x27;" not in results and "building.update" not in results


def test_related_records_are_named_not_numbered(reader, marie, thetford, levis):
    organization = OrganizationFactory(name="OMH de Thetford Mines (essai)", municipality=thetford)
    before = snapshot(organization)
    organization.municipality = levis
    organization.save()
    audit_record(actor=marie, action="organization.update", instance=organization, before=before,
                 after=snapshot(organization))
    response = reader.get(URL, {"action": "organization.update"})
    assert entries_of(response) == [(
        "Marie Tremblay a modifié l'organisation « OMH de Thetford Mines (essai) »",
        [("municipalité", "Thetford Mines", "Lévis")],
    )]


def test_an_action_nobody_described_still_reads_as_a_sentence(reader, marie):
    organization = OrganizationFactory(name="Coop du Roc")
    audit_record(actor=marie, action="organization.delete", instance=organization)
    audit_record(actor=None, action="directory.taxonomyterm.merge", object_type="directory.taxonomyterm",
                 object_id="abc", object_label="Aide alimentaire")
    audit_record(actor=None, action="mystery", object_type="elsewhere.thing", object_id="7")
    sentences = [sentence for sentence, _changes in entries_of(reader.get(URL))[:3]]
    assert sentences == [
        "Le système : action « mystery » sur elsewhere.thing « elsewhere.thing n° 7 »",
        "Le système : action « directory.taxonomyterm.merge » sur terme de taxonomie « Aide alimentaire »",
        "Marie Tremblay a supprimé : organisation « Coop du Roc »",
    ]


def test_a_creation_lists_what_was_set(reader, marie):
    audit_record(actor=marie, action="housing.import", object_type="housing.import", object_label="parc.csv",
                 after={"file": "parc.csv", "rows": 12, "buildings_created": 3})
    assert entries_of(reader.get(URL, {"action": "housing.import"})) == [(
        "Marie Tremblay a importé le parc de logements du fichier « parc.csv »",
        [("immeubles créés", "—", "3"), ("fichier", "—", "parc.csv"), ("lignes", "—", "12")],
    )]


def test_the_log_reads_in_english_on_request(reader, marie):
    building_edited(marie, has_common_room=True)
    response = reader.get(URL, {"action": "building.update"}, headers={"Accept-Language": "en"})
    assert entries_of(response) == [(
        "Marie Tremblay edited the building “123 rue X”", [("community room", "no", "yes")],
    )]


def test_reversed_dates_are_refused_in_the_form_keeping_what_was_typed(reader, marie):
    building_edited(marie, has_common_room=True)
    response = reader.get(URL, {"since": "2025-10-23", "until": "2025-10-01", "actor": "admin"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"until": [
        "« Jusqu'au » (2025-10-01) précède « Depuis le » (2025-10-23) : la fin de la période doit suivre son début."]}
    assert response.context["entries"] == []
    body = response.content.decode()
    assert 'value="2025-10-23"' in body and 'value="admin"' in body
    assert "Filtres refusés : corrigez-les pour voir les événements." in body


def test_malformed_dates_and_unknown_actions_are_refused_naming_the_field(reader, marie):
    building_edited(marie, has_common_room=True)
    response = reader.get(URL, {"since": "23/10/2025x", "action": "building.explode", "object_type": "nope"})
    assert response.context["form"].errors == {
        "since": ["« Depuis le » : date illisible, écrivez-la ainsi : 2025-10-23."],
        "action": ["« Action » : action inconnue « building.explode ». Choisissez-en une dans la liste."],
        "object_type": ["« Type d'objet » : type inconnu « nope ». Choisissez-en un dans la liste."],
    }
    assert response.context["entries"] == []
    assert 'value="23/10/2025x"' in response.content.decode()


def test_a_refused_filter_answers_htmx_with_its_errors_swapped_into_the_form(reader, marie):
    response = reader.get(URL, {"since": "2025-10-23", "until": "2025-10-01"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="audit-filter-errors" class="audit-filter-errors" hx-swap-oob="true"' in body
    assert "précède « Depuis le »" in body


def test_the_log_is_paginated_keeping_the_filters(reader, marie):
    for n in range(EVENTS_PER_PAGE + 1):
        audit_record(actor=marie, action="role.assign", object_type="access.roleassignment", object_id=str(n))
    first = reader.get(URL, {"action": "role.assign"})
    assert len(first.context["entries"]) == EVENTS_PER_PAGE
    assert "?action=role.assign&amp;page=2" in first.content.decode()
    second = reader.get(URL, {"action": "role.assign", "page": "2"})
    assert [e.event.object_id for e in second.context["entries"]] == ["0"]
    assert reader.get(URL, {"page": "9223372036854775807"}).status_code == 200


def test_the_page_runs_as_many_queries_for_sixty_events_as_for_two(reader, marie, django_assert_max_num_queries,
                                                                    thetford, levis):
    def edits(count):
        for _n in range(count):
            organization = OrganizationFactory(municipality=thetford)
            before = snapshot(organization)
            organization.municipality = levis
            organization.save()
            audit_record(actor=UserFactory(), action="organization.update", instance=organization,
                         before=before, after=snapshot(organization))

    edits(2)
    reader.get(URL)  # sessions and caches warmed
    with django_assert_max_num_queries(9) as two:
        reader.get(URL)
    edits(58)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = reader.get(URL)
    assert len(response.context["entries"]) == EVENTS_PER_PAGE


def test_the_filtered_log_exports_as_formula_safe_csv_with_a_bom(reader, marie):
    building_edited(marie, address="=HYPERLINK(\"http://example.com\")")
    audit_record(actor=marie, action="role.assign", object_type="access.roleassignment", object_id="1")
    response = reader.get(URL, {"action": "building.update", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-audit-')
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:])))
    event = AuditEvent.objects.get(action="building.update")
    assert rows[0] == ["Moment", "Auteur", "Action", "Description", "Changements", "Type d'objet", "Identifiant",
                       "Code de l'action"]
    assert rows[1][1:] == ["Marie Tremblay", "Immeuble modifié", "Marie Tremblay a modifié l'immeuble « 123 rue X »",
                           "adresse : 123, rue X → =HYPERLINK(\"http://example.com\")", "immeuble", event.object_id,
                           "building.update"]
    assert len(rows) == 2


def test_a_cell_that_starts_like_a_formula_is_exported_as_text(reader, marie):
    audit_record(actor=marie, action="role.assign", object_type="access.roleassignment", object_id="=1+1")
    raw = b"".join(reader.get(URL, {"format": "csv"}).streaming_content).decode("utf-8")
    row = next(r for r in csv.reader(io.StringIO(raw[1:])) if r[-1] == "role.assign")
    assert row[-2] == "'=1+1"


def test_an_export_with_a_refused_filter_answers_the_form_with_its_errors(reader, marie):
    response = reader.get(URL, {"since": "2025-10-23", "until": "2025-10-01", "format": "csv"})
    assert response.status_code == 400
    assert "précède « Depuis le »" in response.content.decode()


def test_only_administrators_export_the_log(client, office_staff):
    client.force_login(office_staff)
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_account_events_read_as_sentences_with_their_reasons_in_words(reader, marie, nobody):
    audit_record(actor=marie, action="user.password_set", object_type="auth.user", object_id=str(nobody.pk),
                 object_label="nobody", after={"reason": "password_reset"})
    assert entries_of(reader.get(URL, {"action": "user.password_set"})) == [(
        "Marie Tremblay a changé le mot de passe de « nobody »",
        [("motif", "—", "réinitialisation du mot de passe")],
    )]


def test_the_author_filter_finds_people_by_the_name_the_page_shows(reader, marie, nobody):
    building_edited(marie, has_common_room=True)
    audit_record(actor=nobody, action="role.assign", object_type="access.roleassignment", object_id="1")
    response = reader.get(URL, {"actor": "tremblay"})
    assert [e.actor_name for e in response.context["entries"]] == ["Marie Tremblay"]
