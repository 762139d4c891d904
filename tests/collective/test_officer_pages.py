"""The officers' pages: plan, convene, hold and cancel a meeting; note attendance (named, counted, delegates);
record decisions with their quorum; follow-ups and their history; start and end mandates. Only the group's
officers act (others 404 or 403); bad input keeps what was typed and says why in plain French."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.collective.governance_world import START, at, build_world, held_meeting
from tests.factories import OrganizationFactory
from toitcommun.access.models import AuditEvent
from toitcommun.collective.group_services import mandate_start
from toitcommun.collective.meeting_services import (
    decision_record,
    follow_up_add,
    meeting_convene,
    meeting_create,
)
from toitcommun.collective.models import (
    AgendaItem,
    Attendance,
    Decision,
    FollowUp,
    Mandate,
    Meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _convened(world, day=datetime.date(2016, 1, 13), audience="members"):
    meeting = meeting_create(actor=world.admin, group_id=world.group.pk, title="Conseil fictif de janvier",
                             starts_at=at(day), audience=audience)
    return meeting_convene(actor=world.admin, meeting_id=meeting.pk)


def test_the_secretary_plans_a_meeting_with_its_agenda(client, world):
    client.force_login(world.secretary)
    answer = client.post(f"/vie-collective/groupes/{world.group.pk}/reunions/nouvelle/", {
        "title": "Conseil d'administration fictif", "kind": "ordinary", "starts_at": "2016-03-09T19:00",
        "place": "Salle fictive", "audience": "members",
        "agenda_title_1": "Mot de bienvenue", "agenda_kind_1": "information",
        "agenda_title_2": "Budget de la fête", "agenda_kind_2": "decision",
        "agenda_title_3": "Dossier d'un locataire", "agenda_kind_3": "in_camera",
        "agenda_title_4": "", "agenda_kind_4": "information"})
    meeting = Meeting.objects.get(title="Conseil d'administration fictif")
    assert answer.status_code == 302 and answer["Location"] == f"/vie-collective/reunions/{meeting.pk}/"
    assert meeting.state == "draft"
    assert list(meeting.agenda_items.values_list("position", "kind", "title")) == [
        (1, "information", "Mot de bienvenue"), (2, "decision", "Budget de la fête"),
        (3, "in_camera", "Dossier d'un locataire")]
    assert AuditEvent.objects.filter(action="collective.meeting.create", actor=world.secretary).count() == 1


def test_a_meeting_form_with_mistakes_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.secretary)
    answer = client.post(f"/vie-collective/groupes/{world.group.pk}/reunions/nouvelle/", {
        "title": "Réunion gardée", "kind": "ordinary", "starts_at": "le 9 mars", "audience": "members",
        "agenda_title_1": "Point gardé", "agenda_kind_1": "information"})
    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Donnez la date et l&#x27;heure" in page and 'value="Réunion gardée"' in page and 'value="Point gardé"' in page
    assert not Meeting.objects.filter(title="Réunion gardée").exists()


def test_a_plain_member_may_not_plan_and_an_outsider_may_not_see_a_draft(client, world):
    draft = meeting_create(actor=world.admin, group_id=world.group.pk, title="Brouillon fictif",
                           starts_at=at(datetime.date(2016, 1, 13)))
    client.force_login(world.member)
    assert client.get(f"/vie-collective/groupes/{world.group.pk}/reunions/nouvelle/").status_code == 403
    assert client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "convened"}).status_code == 404
    client.force_login(world.other_member)
    assert client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "convened"}).status_code == 404
    assert Meeting.objects.get(pk=draft.pk).state == "draft"


def test_convene_hold_and_cancel_follow_the_states_and_are_audited(client, world):
    draft = meeting_create(actor=world.admin, group_id=world.group.pk, title="Réunion fictive",
                           starts_at=at(datetime.date(2016, 1, 13)))
    client.force_login(world.secretary)
    refused = client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "held"}, follow=True)
    assert "ne peut devenir « Tenue »" in refused.content.decode()
    client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "convened"})
    assert Meeting.objects.get(pk=draft.pk).state == "convened"
    client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "held"})
    assert Meeting.objects.get(pk=draft.pk).state == "held"
    late = client.post(f"/vie-collective/reunions/{draft.pk}/etat/", {"to": "cancelled"}, follow=True)
    assert "ne peut devenir « Annulée »" in late.content.decode() and Meeting.objects.get(pk=draft.pk).state == "held"
    assert set(AuditEvent.objects.filter(actor=world.secretary, action__startswith="collective.meeting.")
               .values_list("action", flat=True)) == {"collective.meeting.convene", "collective.meeting.hold"}
    other = _convened(world, datetime.date(2016, 2, 1))
    client.post(f"/vie-collective/reunions/{other.pk}/etat/", {"to": "cancelled"})
    assert Meeting.objects.get(pk=other.pk).state == "cancelled"
    client.force_login(world.member)
    assert client.post(f"/vie-collective/reunions/{other.pk}/etat/", {"to": "convened"}).status_code == 403


def test_an_agenda_item_is_added_to_a_convened_meeting_and_a_mistake_shows_on_the_page(client, world):
    meeting = _convened(world)
    client.force_login(world.president)
    client.post(f"/vie-collective/reunions/{meeting.pk}/ordre-du-jour/", {"title": "Varia", "kind": "information"})
    assert AgendaItem.objects.filter(meeting=meeting, title="Varia").exists()
    bad = client.post(f"/vie-collective/reunions/{meeting.pk}/ordre-du-jour/",
                      {"title": "", "kind": "information", "notes": "Note gardée"})
    assert bad.status_code == 422 and "Note gardée" in bad.content.decode()


def test_attendance_rows_note_presence_with_arrival_and_departure_and_htmx_answers_the_row(client, world):
    meeting = _convened(world)
    client.force_login(world.secretary)
    page = client.get(f"/vie-collective/reunions/{meeting.pk}/presences/").content.decode()
    assert "Présidente Fictive" in page and "Ancienne Membre" in page  # the former member was still seated in 2016
    answer = client.post(f"/vie-collective/reunions/{meeting.pk}/presences/", {
        "mandate": world.mandates["president"].pk, "presence": "present", "arrived_at": "19:10",
        "left_at": "21:00"}, HTTP_HX_REQUEST="true")
    row = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in row and "Présence notée." in row
    noted = Attendance.objects.get(meeting=meeting, mandate=world.mandates["president"])
    assert (noted.presence, noted.arrived_at, noted.left_at) == ("present", datetime.time(19, 10),
                                                                 datetime.time(21, 0))
    assert Meeting.objects.get(pk=meeting.pk).members_present == 1
    wrong = client.post(f"/vie-collective/reunions/{meeting.pk}/presences/", {
        "mandate": world.mandates["member"].pk, "presence": "present", "arrived_at": "21:00", "left_at": "19:00"},
        HTTP_HX_REQUEST="true").content.decode()
    assert "Le départ ne peut précéder l&#x27;arrivée." in wrong and 'value="21:00"' in wrong
    excused = client.post(f"/vie-collective/reunions/{meeting.pk}/presences/", {
        "mandate": world.mandates["member"].pk, "presence": "excused"})
    assert excused.status_code == 302
    assert Attendance.objects.get(meeting=meeting, mandate=world.mandates["member"]).presence == "excused"


def test_people_counted_and_a_member_organizations_delegate(client, world):
    org = OrganizationFactory(name="Organisme membre fictif")
    seat = mandate_start(actor=world.admin, group_id=world.group.pk, role="member", starts_on=START,
                         holder_kind="organization", organization_id=org.pk)
    delegate = mandate_start(actor=world.admin, group_id=world.group.pk, role="delegate", starts_on=START,
                             holder_name="Délégué Fictif", delegate_of_id=seat.pk)
    meeting = _convened(world)
    client.force_login(world.secretary)
    page = client.get(f"/vie-collective/reunions/{meeting.pk}/presences/").content.decode()
    assert "Organisme membre fictif" in page and "Délégué Fictif" in page and "pour Organisme membre fictif" in page
    client.post(f"/vie-collective/reunions/{meeting.pk}/presences/", {"mandate": delegate.pk, "presence": "present"})
    counted = client.post(f"/vie-collective/reunions/{meeting.pk}/presences/",
                          {"action": "count", "tenants": "17", "children": "4", "observers": "2"})
    assert counted.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.counted_tenants, meeting.counted_children, meeting.counted_observers) == (17, 4, 2)
    bad = client.post(f"/vie-collective/reunions/{meeting.pk}/presences/",
                      {"action": "count", "tenants": "dix-sept", "children": "4", "observers": "-1"})
    assert bad.status_code == 422 and 'value="dix-sept"' in bad.content.decode()
    assert "Un nombre entier, sans lettres." in bad.content.decode()


def test_a_decision_by_vote_stores_and_shows_its_quorum(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion tenue fictive",
                           present=("president", "secretary"))
    client.force_login(world.secretary)
    form = client.get(f"/vie-collective/reunions/{meeting.pk}/decisions/nouvelle/").content.decode()
    assert "2 membres votants présents sur 4" in form and "le quorum demande 3" in form
    answer = client.post(f"/vie-collective/reunions/{meeting.pk}/decisions/nouvelle/", {
        "text": "Le conseil organise une fête d'hiver.", "method": "vote", "votes_for": "2", "votes_against": "0",
        "abstentions": "0"}, follow=True)
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.number, decision.votes_for, decision.quorum_reached) == (1, 2, False)
    assert (decision.voting_present, decision.voting_total) == (2, 4)
    page = answer.content.decode()
    assert "Décision n° 1 notée, sans quorum (2 membres votants présents sur 4)." in page
    assert "sans quorum (2 sur 4)" in page


def test_a_decision_form_with_mistakes_keeps_the_text(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion tenue fictive")
    client.force_login(world.president)
    missing = client.post(f"/vie-collective/reunions/{meeting.pk}/decisions/nouvelle/",
                          {"text": "Texte gardé.", "method": "vote"})
    assert missing.status_code == 422 and "Texte gardé." in missing.content.decode()
    assert "nombre de voix pour" in missing.content.decode()
    consensus = client.post(f"/vie-collective/reunions/{meeting.pk}/decisions/nouvelle/",
                            {"text": "Par consensus.", "method": "consensus", "votes_for": "9"})
    assert consensus.status_code == 302
    assert Decision.objects.get(meeting=meeting, text="Par consensus.").votes_for is None
    convened = _convened(world, datetime.date(2016, 2, 1))
    early = client.post(f"/vie-collective/reunions/{convened.pk}/decisions/nouvelle/",
                        {"text": "Trop tôt.", "method": "consensus"})
    assert early.status_code == 422 and "notez d&#x27;abord que la réunion a eu lieu" in early.content.decode()
    client.force_login(world.member)
    assert client.get(f"/vie-collective/reunions/{meeting.pk}/decisions/nouvelle/").status_code == 403


def test_a_follow_up_is_added_moved_on_with_its_history_and_derived_as_late(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion tenue fictive")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Demander un devis.")
    client.force_login(world.secretary)
    bad = client.post(f"/vie-collective/decisions/{decision.pk}/suivis/nouveau/",
                      {"title": "Devis gardé", "owner": "", "due_on": "bientôt"})
    assert bad.status_code == 422 and 'value="Devis gardé"' in bad.content.decode()
    assert "Une date comme 2016-03-01." in bad.content.decode()
    added = client.post(f"/vie-collective/decisions/{decision.pk}/suivis/nouveau/",
                        {"title": "Obtenir un devis", "owner": "Trésorerie", "due_on": "2016-02-01"})
    follow_up = FollowUp.objects.get(decision=decision)
    assert added["Location"] == f"/vie-collective/suivis/{follow_up.pk}/"
    page = client.get(f"/vie-collective/suivis/{follow_up.pk}/").content.decode()
    assert "en retard" in page  # due in 2016, still open: overdue is derived from the date
    client.post(f"/vie-collective/suivis/{follow_up.pk}/", {"status": "in_progress", "note": "Appel fait."})
    client.post(f"/vie-collective/suivis/{follow_up.pk}/", {"status": "done", "note": "Devis reçu."})
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and not follow_up.is_overdue(timezone.localdate())
    assert list(follow_up.events.values_list("status", flat=True)) == ["open", "in_progress", "done"]
    page = client.get(f"/vie-collective/suivis/{follow_up.pk}/").content.decode()
    assert "Devis reçu." in page and "en retard" not in page
    client.force_login(world.member)
    assert client.get(f"/vie-collective/suivis/{follow_up.pk}/").status_code == 200
    assert client.post(f"/vie-collective/suivis/{follow_up.pk}/", {"status": "open"}).status_code == 403
    assert FollowUp.objects.get(pk=follow_up.pk).status == "done"


def test_an_in_camera_decisions_follow_up_is_not_found_by_outsiders(client, world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Réunion publique fictive")
    item = meeting.agenda_items.create(position=1, kind="in_camera", title="Huis clos fictif")
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, text="Décision à huis clos.",
                               agenda_item_id=item.pk)
    follow_up = follow_up_add(actor=world.admin, decision_id=decision.pk, title="Suivi confidentiel", owner="CA")
    client.force_login(world.tenant)
    assert client.get(f"/vie-collective/suivis/{follow_up.pk}/").status_code == 404
    assert client.get(f"/vie-collective/decisions/{decision.pk}/suivis/nouveau/").status_code == 404
    client.force_login(world.member)
    assert "Suivi confidentiel" in client.get(f"/vie-collective/suivis/{follow_up.pk}/").content.decode()


def test_a_mandate_is_added_and_ended_and_a_second_president_is_refused_in_plain_french(client, world):
    client.force_login(world.secretary)
    added = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "person", "holder_name": "Trésorière Fictive", "role": "treasurer", "voting": "on",
        "starts_on": "2016-01-13"})
    assert added.status_code == 302
    treasurer = Mandate.objects.get(group=world.group, role="treasurer")
    ended = client.post(f"/vie-collective/mandats/{world.mandates['member'].pk}/terminer/", {"ends_on": "2016-05-31"})
    assert ended.status_code == 302
    assert Mandate.objects.get(pk=world.mandates["member"].pk).ends_on == datetime.date(2016, 5, 31)
    second = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "person", "holder_name": "Deuxième Présidente Fictive", "role": "president", "voting": "on",
        "starts_on": "2016-06-01"})
    page = second.content.decode()
    assert second.status_code == 422
    assert ("Ce groupe a déjà un mandat actif de présidence pour ces dates : terminez-le avant d&#x27;en commencer "
            "un autre.") in page
    assert 'value="Deuxième Présidente Fictive"' in page
    assert Mandate.objects.filter(group=world.group, role="president").count() == 1
    assert {"collective.mandate.start", "collective.mandate.end"} <= set(
        AuditEvent.objects.filter(actor=world.secretary).values_list("action", flat=True))
    assert treasurer.holder_name == "Trésorière Fictive"


def test_mandate_forms_refuse_mistakes_and_outsiders(client, world):
    client.force_login(world.secretary)
    org = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "organization", "role": "member", "starts_on": "2016-01-13"})
    assert org.status_code == 422 and "Choisissez l&#x27;organisation qui tient ce mandat." in org.content.decode()
    early = client.post(f"/vie-collective/mandats/{world.mandates['member'].pk}/terminer/", {"ends_on": "2010-01-01"})
    assert early.status_code == 422 and "La fin ne peut précéder le début." in early.content.decode()
    client.force_login(world.member)
    assert client.get(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/").status_code == 403
    assert client.post(f"/vie-collective/mandats/{world.mandates['president'].pk}/terminer/",
                       {"ends_on": "2016-01-01"}).status_code == 403
    client.force_login(world.other_member)  # president of another group
    assert client.get(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/").status_code == 403
    assert Mandate.objects.get(pk=world.mandates["president"].pk).ends_on is None
    assert client.get("/vie-collective/mandats/99999999999999999999/terminer/").status_code == 404


def test_the_meeting_page_offers_the_officers_acts_and_hides_them_from_members(client, world):
    meeting = _convened(world, audience="public")
    client.force_login(world.secretary)
    page = client.get(f"/vie-collective/reunions/{meeting.pk}/").content.decode()
    assert "Noter que la réunion a eu lieu" in page and "Noter les présences" in page and "agenda-form" in page
    client.force_login(world.member)
    page = client.get(f"/vie-collective/reunions/{meeting.pk}/").content.decode()
    assert "Noter que la réunion a eu lieu" not in page and "agenda-form" not in page


def test_a_mandate_tied_to_a_sign_in_account_lets_the_new_officer_act(client, world, django_user_model):
    newcomer = django_user_model.objects.create_user(username="tresoriere.fictive", password="Mot-de-passe-long-2015")
    client.force_login(world.secretary)
    unknown = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "person", "holder_name": "Trésorière Fictive", "account": "tresoriere.inconnue",
        "role": "treasurer", "voting": "on", "starts_on": "2016-01-13"})
    assert unknown.status_code == 422
    page = unknown.content.decode()
    assert "Aucun compte actif ne porte cet identifiant" in page and 'value="tresoriere.inconnue"' in page
    assert not Mandate.objects.filter(group=world.group, role="treasurer").exists()
    for_an_organization = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "organization",
        "account": "tresoriere.fictive", "role": "member", "starts_on": "2016-01-13"})
    assert for_an_organization.status_code == 422
    assert "Un compte se lie au mandat d&#x27;une personne" in for_an_organization.content.decode()
    added = client.post(f"/vie-collective/groupes/{world.group.pk}/mandats/nouveau/", {
        "holder_kind": "person", "holder_name": "Trésorière Fictive", "account": " Tresoriere.Fictive ",
        "role": "treasurer", "voting": "on", "starts_on": "2016-01-13"})
    assert added.status_code == 302
    assert Mandate.objects.get(group=world.group, role="treasurer").user == newcomer
    # The new treasurer is an officer of the group now: she may plan a meeting, which an outsider may not.
    client.force_login(newcomer)
    assert client.get(f"/vie-collective/groupes/{world.group.pk}/reunions/nouvelle/").status_code == 200
    outsider = django_user_model.objects.create_user(username="autre.fictive", password="Mot-de-passe-long-2015")
    client.force_login(outsider)
    assert client.get(f"/vie-collective/groupes/{world.group.pk}/reunions/nouvelle/").status_code in (403, 404)
