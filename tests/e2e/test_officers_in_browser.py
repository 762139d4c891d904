"""The tenant association's secretary, on the demo: plans and convenes a meeting, notes that it was held and
who came (row by row), records a decision by vote with its quorum and a follow-up; then ends a mandate and
tries to add a second president, which is refused in plain French, on a phone-sized window."""

from __future__ import annotations

import datetime

from django.core.management import call_command

from tests.e2e.conftest import SHOTS
from toitcommun.collective.models import Decision, FollowUp, Group, Mandate, Meeting
from toitcommun.demo import ACCOUNTS

ASSOCIATION = "Association des locataires des HLM de Thetford Mines"


def test_the_secretary_holds_a_meeting_records_a_decision_and_is_refused_a_second_president(page, live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    group = Group.objects.get(name=ASSOCIATION)
    secretary = next(a for a in ACCOUNTS if a.username == "secretaire.tm")
    page.goto(f"{page.base_url}/comptes/connexion/?next=/vie-collective/groupes/{group.pk}/")
    page.fill("input[name=username]", secretary.username)
    page.fill("input[name=password]", secretary.password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    # Plan the meeting with its agenda, convene it, note that it was held.
    page.get_by_role("link", name="Planifier une réunion").click()
    page.get_by_label("Titre").fill("Conseil d'administration du 9 mars 2016 (test)")
    page.get_by_label("Date et heure").fill("2016-03-09T19:00")
    page.get_by_label("Lieu").fill("Salle communautaire des Habitations Saint-Maurice")
    page.get_by_label("Point 1", exact=True).fill("Fête de printemps")
    page.get_by_label("Type du point 1").select_option("decision")
    page.get_by_label("Point 2", exact=True).fill("Situation d'un locataire")
    page.get_by_label("Type du point 2").select_option("in_camera")
    page.get_by_role("button", name="Enregistrer la réunion").click()
    page.get_by_text("Réunion planifiée").wait_for()
    page.get_by_role("button", name="Convoquer").click()
    page.get_by_text("Réunion convoquée.").wait_for()
    page.get_by_role("button", name="Noter que la réunion a eu lieu").click()
    page.get_by_text("Réunion notée comme tenue").wait_for()
    meeting = Meeting.objects.get(title="Conseil d'administration du 9 mars 2016 (test)")
    assert meeting.state == "held"

    # Attendance: six of the eleven board members present, each row saved on its own (htmx), people counted.
    page.get_by_role("link", name="Noter les présences").click()
    rows = page.locator("form.attendance-row")
    rows.first.wait_for()
    assert rows.count() == 11
    for n in range(6):
        row = rows.nth(n)
        row.get_by_role("button").click()
        row.get_by_text("Présence notée.").wait_for()
    last = rows.nth(10)
    last.get_by_label("Présence").select_option("excused")
    last.get_by_role("button").click()
    last.get_by_text("noté : Excusé·e").wait_for()
    page.get_by_label("Locataires").fill("12")
    page.get_by_label("Enfants").fill("3")
    page.get_by_label("Observateurs").fill("1")
    page.get_by_role("button", name="Enregistrer les nombres").click()
    page.get_by_text("Personnes comptées enregistrées.").wait_for()
    meeting.refresh_from_db()
    assert (meeting.members_present, meeting.counted_tenants) == (6, 12)

    # A decision by vote: the quorum (6 of 11, majority 6) is computed, stored and shown.
    page.get_by_role("link", name="Retour à la réunion").click()
    page.get_by_role("link", name="Noter une décision").click()
    page.get_by_text("6 membres votants présents sur 11").wait_for()
    page.get_by_label("Décision *", exact=True).fill("Le conseil organise une fête de printemps le 21 mai.")
    page.get_by_label("Vote", exact=True).check()
    page.get_by_label("Pour", exact=True).fill("6")
    page.get_by_label("Contre", exact=True).fill("0")
    page.get_by_label("Abstentions").fill("0")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision n° 1 notée, quorum atteint (6 membres votants présents sur 11).").wait_for()
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.quorum_reached, decision.voting_present, decision.voting_total) == (True, 6, 11)
    assert "quorum atteint (6 sur 11)" in page.inner_text("#decisions")

    # Its follow-up.
    page.get_by_role("link", name="Ajouter un suivi à la décision n° 1").click()
    page.get_by_label("Suivi *", exact=True).fill("Réserver la salle communautaire")
    page.get_by_label("Responsable").fill("Secrétariat")
    page.get_by_label("Échéance").fill("2016-04-15")
    page.get_by_role("button", name="Ajouter le suivi").click()
    page.get_by_text("Suivi ajouté").wait_for()
    assert FollowUp.objects.get(decision=decision).owner == "Secrétariat"

    # End a board member's mandate, then try to add a second president: refused, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/vie-collective/groupes/{group.pk}/")
    page.get_by_role("link", name="Terminer le mandat : Administrateur·trice, Locataire Fictif 11").click()
    page.get_by_label("Fin du mandat").fill("2016-06-30")
    page.get_by_role("button", name="Terminer le mandat").click()
    page.get_by_text("Mandat terminé").wait_for()
    ended = Mandate.objects.get(group=group, holder_name="Locataire Fictif 11")
    assert ended.ends_on == datetime.date(2016, 6, 30)
    page.get_by_role("link", name="Ajouter un mandat").click()
    page.get_by_label("Nom de la personne").fill("Présidente Fictive Bis")
    page.get_by_label("Rôle").select_option("president")
    page.get_by_label("Début du mandat").fill("2016-07-01")
    page.get_by_role("button", name="Ajouter le mandat").click()
    page.get_by_text("Ce groupe a déjà un mandat actif de présidence pour ces dates : terminez-le avant d'en "
                     "commencer un autre.").wait_for()
    assert page.get_by_label("Nom de la personne").input_value() == "Présidente Fictive Bis"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Mandate.objects.filter(group=group, role="president").count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "collective-second-president-refused-phone.png"), full_page=True)
