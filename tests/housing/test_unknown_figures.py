"""Unknown is not zero: a vacancy never reported is shown as unknown, old figures as stale, partial totals as such.

The demo's Thetford Mines stock (191 units on 11 sites) reports every quarter of 2015,
the last on 2015-12-31; the stale threshold is 90 days (HOUSING_STALE_AFTER_DAYS).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import BuildingFactory, SnapshotFactory, UnitGroupFactory
from toitcommun.dates import format_date
from toitcommun.housing.models import Building
from toitcommun.housing.selectors import (
    availability_rows,
    housing_summary,
    known_percent,
    summary_by_child,
)
from toitcommun.territory.selectors import territory_get

D = datetime.date
BEFORE_ANY_REPORT = "2015-01-01"


def text(response) -> str:
    """The page as read: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\xa0", " ")


def chart(response) -> dict:
    return json.loads(re.search(r'<script id="vacancy-chart-data" type="application/json">(.*?)</script>',
                                response.content.decode(), re.S).group(1))


@pytest.fixture
def thetford_stock(housing_office, thetford):
    """Two buildings: Les Pins (seniors 10 units, families 6) reported; Le Rucher (singles 4) never."""
    pins = BuildingFactory(organization=housing_office, municipality=thetford, name="Les Pins",
                           latitude="46.09", longitude="-71.30")
    UnitGroupFactory(building=pins, clientele="seniors", units=10)
    UnitGroupFactory(building=pins, clientele="families", bedrooms=2, units=6)
    rucher = BuildingFactory(organization=housing_office, municipality=thetford, name="Le Rucher",
                             latitude="46.10", longitude="-71.31")
    UnitGroupFactory(building=rucher, clientele="singles", bedrooms=0, units=4)
    SnapshotFactory(building=pins, clientele="seniors", as_of=D(2024, 3, 1), vacant_units=1, waiting_list=12,
                    reported_by_label="Marc Gosselin")
    SnapshotFactory(building=pins, clientele="families", as_of=D(2023, 11, 15), vacant_units=2, waiting_list=4,
                    reported_by_label="Marc Gosselin")
    return pins, rucher


# --- the figures ----------------------------------------------------------------------------

@pytest.mark.parametrize(("known", "total", "percent"), [
    (120, 191, 63), (0, 191, 0), (1, 1000, 1), (999, 1000, 99), (191, 191, 100), (0, 0, None),
])
def test_known_share_is_rounded_but_never_all_while_some_is_unknown(known, total, percent):
    assert known_percent(known, total) == percent


def test_summary_before_any_report_is_unknown_not_zero(thetford_stock):
    s = housing_summary(territory_get("31084"), D(2023, 1, 1))

    assert (s.units_total, s.vacant_units, s.waiting_list) == (20, None, None)
    assert s.vacant_by_clientele == {"seniors": None, "families": None, "singles": None}
    assert (s.reported_units, s.stale_units, s.known_percent, s.is_partial) == (0, 0, 0, True)


def test_summary_counts_known_and_stale_units(thetford_stock):
    s = housing_summary(territory_get("310"), D(2024, 3, 15))

    assert (s.vacant_units, s.waiting_list) == (3, 16)
    assert s.vacant_by_clientele == {"seniors": 1, "families": 2, "singles": None}
    # Families reported on 2023-11-15: more than 90 days before 2024-03-15 (stale before 2023-12-16).
    assert (s.reported_units, s.stale_units, s.unknown_units, s.known_percent) == (16, 6, 4, 80)
    assert s.stale_by_clientele == {"seniors": 0, "families": 6, "singles": 0}
    assert (s.oldest_report, s.latest_report, s.stale_before) == (D(2023, 11, 15), D(2024, 3, 1), D(2023, 12, 16))


def test_rows_mark_never_reported_and_stale_figures(thetford_stock):
    rows = availability_rows(territory_get("31084"), D(2024, 3, 15))

    assert [(r.building.name, r.clientele, r.vacant_units, r.as_of, r.is_stale) for r in rows] == [
        ("Le Rucher", "singles", None, None, False),
        ("Les Pins", "seniors", 1, D(2024, 3, 1), False),
        ("Les Pins", "families", 2, D(2023, 11, 15), True),
    ]


def test_subdivisions_say_what_is_known(thetford_stock):
    [row] = summary_by_child(territory_get("310"), D(2024, 3, 15))
    assert row == {"code": "31084", "name": "Thetford Mines", "units": 20, "sites": 2, "vacant": 3, "waiting": 16,
                   "reported": 16, "stale": 6, "known_percent": 80, "is_partial": True}

    [row] = summary_by_child(territory_get("310"), D(2023, 1, 1))
    assert (row["vacant"], row["waiting"], row["reported"], row["known_percent"]) == (None, None, 0, 0)


# --- the page -------------------------------------------------------------------------------

def test_page_before_any_report_shows_unknown_no_bar_and_no_zero(client, demo):
    response = client.get("/logement/disponibles/31084/", {"date": BEFORE_ANY_REPORT})
    body = text(response)

    assert response.context["summary"].vacant_units is None
    assert 'data-figure="vacant_units"><div class="figure">inconnu</div>' in response.content.decode()
    assert 'data-figure="waiting_list"><div class="figure">inconnu</div>' in response.content.decode()
    assert "0 logements vacants" not in body
    assert "Aucun logement de ce territoire n'a été signalé au" in body
    assert "les logements vacants et la liste d'attente sont inconnus, pas nuls." in body
    assert chart(response)["vacant"] == [None, None, None]
    assert chart(response)["labels"] == ["Aînés (inconnu)", "Familles (inconnu)", "Personnes seules (inconnu)"]
    assert "pas de barre à tracer, les figures sont inconnues." in body
    assert body.count("jamais signalé") == 11 + 1  # each row, and the legend
    map_points = client.get(response.context["map_points_url"]).json()
    saint_alphonse = next(p for p in map_points if p["name"] == "Résidence Saint-Alphonse")
    assert saint_alphonse["lines"] == ["Aînés : vacants inconnus (jamais signalé)"]


def test_page_of_today_says_which_reports_it_mixes_and_which_are_stale(client, demo, admin_user):
    from toitcommun.housing.services import availability_report

    today = timezone.localdate()
    alphonse = Building.objects.get(name="Résidence Saint-Alphonse")
    availability_report(actor=admin_user, building_id=alphonse.pk,
                        data={"clientele": "seniors", "as_of": today.isoformat(), "vacant_units": 2,
                              "waiting_list": 9})

    response = client.get("/logement/disponibles/31084/")
    body = text(response)

    s = response.context["summary"]
    assert (s.reported_units, s.stale_units, s.known_percent, s.is_partial) == (191, 159, 100, False)
    assert (s.oldest_report, s.latest_report) == (D(2015, 12, 31), today)
    assert f"selon les signalements reçus du 31 décembre 2015 au {format_date(today, 'j F Y')}" in body
    assert "Figures connues pour 191 logements sur 191, soit 100 %." in body
    stale_before = format_date(today - datetime.timedelta(days=90), "j F Y")
    assert (f"159 logements ont des figures de plus de 90 jours (signalées avant le {stale_before}) : "
            "elles peuvent avoir changé.") in body
    # The ten sites still at their 2015 figures are marked, Saint-Alphonse is not.
    assert response.content.decode().count('<span class="badge warn">ancien</span>') == 10
    points = {p["name"]: p["lines"] for p in client.get(response.context["map_points_url"]).json()}
    assert points["Résidence Saint-Alphonse"] == [f"Aînés : 2 vacants, 9 en attente, au {today.isoformat()}"]
    assert points["Habitations Dumais"] == [
        "Aînés : 2 vacants, 10 en attente, au 2015-12-31 (ancien : plus de 90 jours)"
    ]


def test_partial_totals_say_so_with_the_share_known(client, demo, thetford):
    newcomer = BuildingFactory(municipality=thetford, name="Nouvelle résidence")
    UnitGroupFactory(building=newcomer, clientele="singles", units=9)

    response = client.get("/logement/disponibles/31084/", {"date": "2016-01-01"})
    body = text(response)

    assert "Figures connues pour 191 logements sur 200, soit 96 %." in body
    assert ("Les totaux de vacants et de liste d'attente sont partiels : ils ne comptent pas 9 logements jamais "
            "signalés à cette date.") in body
    assert body.count("total partiel") == 2 + 1  # vacant and waiting cards, and the table's legend
    singles = re.search(r'<tr data-clientele="singles">.*?</tr>', response.content.decode(), re.S).group(0)
    assert re.search(r'data-col="vacant">\d+<span class="muted">\*</span>', singles)


def test_subdivision_table_shows_unknown_as_a_dash_and_the_share_known(client, demo):
    response = client.get("/logement/disponibles/12/", {"date": BEFORE_ANY_REPORT})
    html = response.content.decode()

    appalaches = re.search(r'<tr data-code="310">.*?</tr>', html, re.S).group(0)
    assert re.search(r'data-col="known">0 %</td>', appalaches)
    assert '<td class="num" data-col="vacant"><span class="muted">—</span></td>' in appalaches
    assert '<td class="num" data-col="waiting"><span class="muted">—</span></td>' in appalaches

    appalaches = re.search(r'<tr data-code="310">.*?</tr>',
                           client.get("/logement/disponibles/12/", {"date": "2016-01-01"}).content.decode(),
                           re.S).group(0)
    assert re.search(r'data-col="known">100 %</td>', appalaches)
    assert '<td class="num" data-col="stale">0</td>' in appalaches


# --- the export -----------------------------------------------------------------------------

def test_export_before_any_report_leaves_unknown_cells_empty_never_zero(client, demo):
    response = client.get("/logement/disponibles/31084/", {"date": BEFORE_ANY_REPORT, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))

    assert rows[0][8:] == ["Vacants", "Liste d'attente", "En date du", "Donnée ancienne (plus de 90 jours)"]
    assert len(rows) == 1 + 11
    assert {tuple(r[8:]) for r in rows[1:]} == {("", "", "", "")}

    sheet = load_workbook(io.BytesIO(client.get("/logement/disponibles/31084/", {
        "date": BEFORE_ANY_REPORT, "format": "xlsx"}).content))
    values = list(sheet.active.iter_rows(min_row=2, values_only=True))
    assert {v[8:] for v in values} == {(None, None, None, None)}
    notes = [row[0] for row in sheet["Source"].iter_rows(values_only=True)]
    assert ("Figures connues pour 0 logements sur 191 (0 %) ; une case vide est une figure inconnue, jamais 0."
            in notes)


def test_export_has_the_report_date_and_a_stale_column(client, thetford_stock):
    response = client.get("/logement/disponibles/31084/", {"date": "2024-03-15", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))

    assert [(r[1], r[5], r[8], r[9], r[10], r[11]) for r in rows[1:]] == [
        ("Le Rucher", "Personnes seules", "", "", "", ""),
        ("Les Pins", "Aînés", "1", "12", "2024-03-01", "non"),
        ("Les Pins", "Familles", "2", "4", "2023-11-15", "oui"),
    ]
