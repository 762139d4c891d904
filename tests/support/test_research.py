"""Research aggregates: counts only, small cells hidden as "< 5" (never 0), with complementary hiding so
that no hidden cell can be recovered from the totals; researchers only."""

from __future__ import annotations

import csv
import datetime
import io
from itertools import combinations

import openpyxl
import pytest

from tests.factories import BuildingFactory
from tests.people.world import intervention
from toitcommun.errors import PermissionRefused
from toitcommun.people import services as people
from toitcommun.support.research import research_tables, suppress

pytestmark = pytest.mark.django_db
YEAR = 2025


def recoverable(grid, hidden) -> bool:
    """Whether a line (row or column, total included) hides exactly one cell: it would be its difference."""
    rows, cols = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(cols)] for i in range(rows)] + [[(i, j) for i in range(rows)] for j in range(cols)]
    return any(sum(c in hidden for c in line) == 1 for line in lines)


def test_small_cells_are_hidden_with_their_complements():
    values = [[12, 3, 0], [9, 8, 7], [0, 6, 11]]
    grid, hidden = suppress(values, 5)
    assert (0, 1) in hidden                      # the 3
    assert grid[3][3] == sum(map(sum, values))   # totals are the sums
    assert not recoverable(grid, hidden)
    assert all(grid[i][j] > 0 for i, j in hidden)  # a zero is never hidden as if it were small


@pytest.mark.parametrize("values", [[[1, 0], [0, 0]], [[2, 9, 9], [9, 9, 9]], [[4, 4, 4], [6, 0, 30]],
                                    [[1]], [[3, 0, 0, 0], [0, 0, 0, 2]]])
def test_no_hidden_cell_is_ever_the_difference_of_a_line(values):
    grid, hidden = suppress(values, 5)
    assert not recoverable(grid, hidden)
    assert all((i, j) in hidden for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < 5)


def a_year_of_work(world, *, small: int = 2, large: int = 7) -> None:
    """``large`` welcome interventions in the world's building, and ``small`` crisis ones, in March."""
    for day in range(large):
        intervention(world, category="welcome", date=datetime.date(YEAR, 3, 1 + day))
    for day in range(small):
        intervention(world, category="crisis", date=datetime.date(YEAR, 3, 10 + day))


def test_the_tables_hide_small_counts_and_carry_no_personal_data(world):
    a_year_of_work(world)
    other = BuildingFactory(organization=world.office, name="Ailleurs fictif")
    loner, _dups = people.person_register(actor=world.office_worker, first_name="Seule", last_name="Fictive-Test",
                                          phone="418 555-0166", building_id=other.pk)
    intervention(world, person=loner, category="outreach", date=datetime.date(YEAR, 4, 2), summary="Texte libre")
    interventions, persons, referrals = research_tables(world.researcher, year=YEAR)
    march = next(row for label, row in interventions.rows_cells if "mars" in label)
    columns = interventions.columns
    assert march[columns.index("Intervention de crise")] == "< 5"
    # The 7 welcomes would give the 2 crises away (row total - 7): they are hidden with them.
    assert march[columns.index("Accueil")] == "< 5"
    # The year's grand total is shown: 7 + 2 + 1.
    assert interventions.cells[-1][-1] == 10
    assert interventions.suppressed >= 2
    rows = dict(interventions.rows_cells)
    grid = [[-1 if v == "< 5" else v for v in row] for row in rows.values()]
    hidden = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v == -1}
    assert not recoverable(grid, hidden)
    everything = " ".join(str(v) for t in (interventions, persons, referrals)
                          for v in [*t.rows, *t.columns, *(c for row in t.cells for c in row)])
    for personal in ("Fictive", "Tremblay", "Seule", "555", "Résumé", "Texte libre", "Note"):
        assert personal not in everything
    # One person reached in a month is hidden too, never shown as 0 nor as 1.
    assert all(v in (0, "< 5") or v >= 5 for t in (persons,) for row in t.cells for v in row)


def test_the_exports_hide_the_same_cells(world, client):
    a_year_of_work(world)
    client.force_login(world.researcher)
    page = client.get("/soutien/recherche/", {"annee": YEAR})
    assert page.status_code == 200 and "&lt; 5" in page.content.decode()
    exported = client.get("/soutien/recherche/export.csv", {"annee": YEAR})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tableau", "Ligne", "Colonne", "Valeur"]
    crisis = [r for r in rows if r[2] == "Intervention de crise" and "mars" in r[1]]
    assert crisis and crisis[0][3] == "< 5"
    assert not any(r[3] in ("1", "2", "3", "4") for r in rows[1:])
    book = client.get("/soutien/recherche/export.xlsx", {"annee": YEAR})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["interventions"]
    values = [cell for row in sheet.iter_rows(min_row=3, values_only=True) for cell in row[1:]]
    assert "< 5" in values and 9 in values and not any(v in (1, 2, 3, 4) for v in values)


@pytest.mark.parametrize("who", ["office_worker", "office_staff", "admin_without_org", "admin_of_office",
                                 "coordinator", "entraide_worker", "nobody"])
def test_only_researchers_get_the_tables(world, client, who):
    with pytest.raises(PermissionRefused):
        research_tables(getattr(world, who), year=YEAR)
    client.force_login(getattr(world, who))
    for path in ("/soutien/recherche/", "/soutien/recherche/export.csv", "/soutien/recherche/export.xlsx"):
        assert client.get(path).status_code == 403


def test_a_bad_year_or_format_is_refused_in_french(world, client):
    client.force_login(world.researcher)
    bad = client.get("/soutien/recherche/", {"annee": "deux-mille"})
    assert bad.status_code == 400 and "Année" in bad.content.decode()
    assert client.get("/soutien/recherche/export.pdf").status_code == 404


def test_suppression_leaves_nothing_single_whatever_the_small_cells():
    for small in combinations(range(9), 2):
        values = [[10 + i * 3 + j for j in range(3)] for i in range(3)]
        for k in small:
            values[k // 3][k % 3] = 1
        grid, hidden = suppress(values, 5)
        assert not recoverable(grid, hidden)
