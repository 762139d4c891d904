"""Search and export of governance records: what they answer, and bad input. Who sees what in them is in
test_visibility_matrix.py (the search and export channels)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.collective.governance_world import build_world, held_meeting
from toitcommun.collective.governance_records import governance_search
from toitcommun.collective.meeting_services import decision_record, follow_up_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def decided(world):
    meeting = held_meeting(world, datetime.date(2016, 1, 13), title="Conseil fictif de janvier",
                           present=("president", "secretary"))
    decision = decision_record(actor=world.admin, meeting_id=meeting.pk, method="vote", votes_for=2,
                               votes_against=0, abstentions=0, text="=SOMME(A1:A2) organiser une fête d'hiver")
    follow_up_add(actor=world.admin, decision_id=decision.pk, title="Réserver la salle", owner="Secrétariat",
                  due_on=datetime.date(2016, 2, 1))
    follow_up_add(actor=world.admin, decision_id=decision.pk, title="Acheter le chocolat chaud", owner="Trésorerie")
    return meeting, decision


def test_the_export_has_one_line_per_follow_up_with_the_decisions_quorum(client, world, decided):
    answer = client.get(f"/vie-collective/groupes/{world.group.pk}/export/", {"format": "csv"})
    assert answer["Content-Type"].startswith("text/csv") and "attachment" in answer["Content-Disposition"]
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Date de la réunion,Réunion,Décision n°,Décision,Mode,Pour,Contre,Abstentions")
    assert len(lines) == 3
    assert "2016-01-13,Conseil fictif de janvier,1,'=SOMME(A1:A2) organiser une fête d'hiver,Vote,2,0,0,2,4,non,non" \
        in lines[1]  # a formula is written as text; quorum: 2 voting members present of 4 is not enough
    assert lines[1].endswith("Réserver la salle,Secrétariat,2016-02-01,À faire,oui")
    assert lines[2].endswith("Acheter le chocolat chaud,Trésorerie,,À faire,non")


def test_the_xlsx_export_opens_in_a_spreadsheet(client, world, decided):
    answer = client.get(f"/vie-collective/groupes/{world.group.pk}/export/", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    rows = list(book["Décisions et suivis"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Date de la réunion", "Réunion", "Décision n°") and len(rows) == 3
    assert rows[1][12] == "Réserver la salle"


def test_an_unknown_group_has_no_export(client, world):
    assert client.get("/vie-collective/groupes/99999999999999999999/export/").status_code == 404


def test_search_finds_decisions_follow_ups_and_agenda_items_and_says_when_too_short(client, world, decided):
    meeting, decision = decided
    page = client.get("/vie-collective/recherche/", {"q": "chocolat"}).content.decode()
    assert "Acheter le chocolat chaud" in page and "1 résultat" in page
    hits = governance_search(world.admin, "fête d'hiver")
    assert [h.kind for h in hits] == ["decision"] and hits[0].url.endswith(f"#decision-{decision.pk}")
    assert "Tapez au moins deux caractères." in client.get("/vie-collective/recherche/", {"q": "x"}).content.decode()
    nothing = client.get("/vie-collective/recherche/", {"q": "introuvable", "groupe": world.group.pk})
    assert "Rien trouvé" in nothing.content.decode()
    assert client.get("/vie-collective/recherche/", {"q": "fête", "groupe": "abc"}).status_code == 404
    other = client.get("/vie-collective/recherche/", {"q": "chocolat", "groupe": world.other_group.pk})
    assert "Acheter le chocolat chaud" not in other.content.decode()
