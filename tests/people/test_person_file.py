"""A person's complete file, on their request: what the holding organization gives, and the access log after."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from tests.factories import RoleFactory, UserFactory, api_token_for
from tests.people.world import consent, intervention
from toitcommun.access.models import Role
from toitcommun.errors import NotFound
from toitcommun.people import selectors
from toitcommun.people import services as people
from toitcommun.people.models import AccessLogEntry
from toitcommun.support import services as support
from toitcommun.support.selectors import person_complete_file

pytestmark = pytest.mark.django_db


def officer_of(organization: Any, username: str = "rprp-dossier") -> Any:
    return RoleFactory(user=UserFactory(username=username), role=Role.PRIVACY_OFFICER,
                       organization=organization).user


def a_full_file(world: Any) -> dict[str, Any]:
    """The office's file with a consent, its own intervention, a partner's, a collective one, a referral."""
    given = consent(world, categories=["identity", "housing", "interventions", "notes", "referrals"])
    own = intervention(world, summary="Résumé de l'office", notes="Note de l'office")
    partner = intervention(world, actor=world.entraide_worker, summary="Résumé du partenaire",
                           notes="Note du partenaire")
    neighbour, _dups = people.person_register(actor=world.office_worker, first_name="Voisine",
                                              last_name="Fictive-Test", phone="418 555-0177")
    collective = support.intervention_record(actor=world.office_worker, person_ids=[world.person.pk, neighbour.pk],
                                             category="community_organizing", date=own.date, duration_minutes=60,
                                             summary="Cuisine collective", notes="")
    referral = support.referral_create(actor=world.office_worker, person_id=world.person.pk,
                                       service_id=world.entraide_service.pk, reason="Aide au budget")
    support.referral_send(actor=world.office_worker, referral_id=referral.pk)
    selectors.person_get(world.entraide_worker, world.person.pk)  # the partner reads under the consent
    return {"consent": given, "own": own, "partner": partner, "collective": collective, "referral": referral,
            "neighbour": neighbour}


def test_the_file_holds_what_the_office_may_give_and_nothing_of_others(world):
    made = a_full_file(world)
    data = person_complete_file(world.office_worker, world.person.pk)
    assert data["organization"]["name"] == "OMH de Fictiville (test)"
    assert (data["person"]["first_name"], data["person"]["last_name"], data["person"]["phone"]) == (
        "Fictive", "Tremblay-Test", "418 555-0101")
    assert [c["id"] for c in data["consents"]] == [made["consent"].pk]
    assert data["consents"][0]["purpose"] == "Suivi concerté par le comité de travail."
    # Its own interventions, with summaries and notes; the partner answers for its own.
    assert {i["id"] for i in data["interventions"]} == {made["own"].pk, made["collective"].pk}
    own = next(i for i in data["interventions"] if i["id"] == made["own"].pk)
    assert (own["summary"], own["notes"]) == ("Résumé de l'office", "Note de l'office")
    collective = next(i for i in data["interventions"] if i["id"] == made["collective"].pk)
    assert collective["other_persons"] == 1
    text = json.dumps(data, ensure_ascii=False)
    assert "Résumé du partenaire" not in text and "Note du partenaire" not in text
    assert "Voisine" not in text and "555-0177" not in text  # the other person of the collective one
    # The referral with its steps, and who read the file: organizations, never the readers' names.
    [referral] = data["referrals"]
    assert referral["reason"] == "Aide au budget"
    assert [e["to_state"] for e in referral["events"]] == ["draft", "sent"]
    readers = {row["organization"] for row in data["access_log"]}
    assert "Entraide Fictive (test)" in readers
    assert all(set(row) == {"at", "organization", "record_type", "record_id", "action", "categories", "basis",
                            "outcome"} for row in data["access_log"])
    assert "tp-entraide" not in text and "Agente" not in text.replace(own["worker"], "")


def test_the_export_is_written_to_the_access_log_record_by_record(world):
    made = a_full_file(world)
    before = AccessLogEntry.objects.count()
    person_complete_file(world.office_worker, world.person.pk)
    rows = list(AccessLogEntry.objects.order_by("id")[before:])
    assert {r.action for r in rows} == {"export"}
    assert {r.basis for r in rows} == {"own_organization"}
    assert {r.organization_id for r in rows} == {world.office.pk}
    assert {(r.record_type, r.record_id) for r in rows} == {
        ("person", world.person.pk), ("consent", made["consent"].pk), ("intervention", made["own"].pk),
        ("intervention", made["collective"].pk), ("referral", made["referral"].pk), ("access_log", None)}
    assert all(r.person_id == world.person.pk and r.user_id == world.office_worker.pk for r in rows)


def test_the_privacy_officer_of_the_holder_exports_it_too(world):
    a_full_file(world)
    data = person_complete_file(officer_of(world.office), world.person.pk, action="print")
    assert data["person"]["id"] == world.person.pk
    assert AccessLogEntry.objects.order_by("-id").first().action == "print"


@pytest.mark.parametrize("who", ["entraide_worker", "cisss_worker", "outsider_worker", "researcher", "coordinator",
                                 "admin_without_org", "nobody"])
def test_nobody_else_gets_it_not_even_a_partner_under_consent(world, who):
    consent(world)
    before = AccessLogEntry.objects.count()
    with pytest.raises(NotFound):
        person_complete_file(getattr(world, who), world.person.pk)
    refused = AccessLogEntry.objects.order_by("id")[before:]
    assert [(r.record_type, r.outcome) for r in refused] == [("person_file", "denied")]


def test_another_organizations_officer_and_an_unknown_person_get_not_found(world):
    with pytest.raises(NotFound):
        person_complete_file(officer_of(world.outsider), world.person.pk)
    with pytest.raises(NotFound):
        person_complete_file(world.office_worker, 987654)
    assert AccessLogEntry.objects.order_by("-id").first().outcome == "not_found"


def test_the_pages_download_json_and_print_and_refuse_others(world, client):
    a_full_file(world)
    client.force_login(world.office_worker)
    detail = client.get(f"/personnes/{world.person.pk}/")
    assert f"/personnes/{world.person.pk}/dossier-complet/" in detail.content.decode()
    download = client.get(f"/personnes/{world.person.pk}/dossier-complet.json")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="dossier-personne-{world.person.pk}.json"'
    assert json.loads(download.content)["person"]["last_name"] == "Tremblay-Test"
    printed = client.get(f"/personnes/{world.person.pk}/dossier-complet/")
    assert printed.status_code == 200
    page = html.unescape(printed.content.decode())
    assert "Dossier complet d'une personne" in page and "Aide au budget" in page and "Note de l'office" in page
    assert "Résumé du partenaire" not in page
    assert AccessLogEntry.objects.order_by("-id").first().action == "print"
    client.force_login(world.entraide_worker)
    assert client.get(f"/personnes/{world.person.pk}/dossier-complet/").status_code == 404
    assert client.get(f"/personnes/{world.person.pk}/dossier-complet.json").status_code == 404
    client.force_login(world.researcher)
    assert client.get(f"/personnes/{world.person.pk}/dossier-complet/").status_code == 403


def test_the_officer_types_the_file_number_and_bad_input_is_refused_in_french(world, client):
    client.force_login(officer_of(world.office))
    answer = client.get("/personnes/demande-d-acces/", {"personne": world.person.pk})
    assert answer.status_code == 302 and answer["Location"] == f"/personnes/{world.person.pk}/dossier-complet/"
    bad = client.get("/personnes/demande-d-acces/", {"personne": "Tremblay"})
    assert bad.status_code == 400 and "numéro de dossier" in bad.content.decode()
    assert 'value="Tremblay"' in bad.content.decode()


def test_the_api_gives_the_file_to_the_holder_and_404_to_the_rest(world, client):
    a_full_file(world)
    answer = client.get(f"/api/v1/people/{world.person.pk}/file",
                        HTTP_AUTHORIZATION=f"Bearer {api_token_for(world.office_worker)}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["format"] == "toitcommun.person_file.v1" and body["person"]["id"] == world.person.pk
    assert AccessLogEntry.objects.order_by("-id").first().action == "export"
    for other in (world.entraide_worker, world.researcher, officer_of(world.outsider)):
        assert client.get(f"/api/v1/people/{world.person.pk}/file",
                          HTTP_AUTHORIZATION=f"Bearer {api_token_for(other)}").status_code == 404
    assert client.get("/api/v1/people/0/file",
                      HTTP_AUTHORIZATION=f"Bearer {api_token_for(world.office_worker)}").status_code == 422
