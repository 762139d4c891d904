"""The housing summary of a territory at every level, and the figures known on a date.

The stock fixture (conftest) holds 48 units on four sites: two HLM in Thetford Mines
(MRC 310), one co-op in Beauceville (MRC 270), both in region 12, and one OBNL in
Québec City (region 03).
"""

from __future__ import annotations

import pytest
from django.utils import timezone


def summary(client, territory, date=None, **headers):
    params = {"territory": territory} | ({"date": date} if date else {})
    return client.get("/api/v1/housing/summary", params, headers=headers)


def test_municipality_figures_use_the_latest_reports_on_or_before_the_date(client, stock):
    answer = summary(client, "31084", "2024-03-15")

    assert answer.status_code == 200
    assert answer.json() == {
        "territory": {"code": "31084", "name": "Thetford Mines", "level": "municipality"},
        "date": "2024-03-15",
        "units_total": 20,
        "units_by_clientele": {"seniors": 10, "families": 6, "singles": 4},
        "units_by_tenure": {"hlm": 20, "coop": 0, "obnl": 0},
        "sites": 2,
        "adapted_units": 2,
        "vacant_units": 3,  # seniors 1 (report of March 1st), families 2 (February 15)
        "waiting_list": 16,
        "vacant_by_clientele": {"seniors": 1, "families": 2, "singles": None},  # Le Rucher never reported
        "waiting_by_clientele": {"seniors": 12, "families": 4, "singles": None},
        "reported_units": 16,
        "stale_units": 0,
        "reported_by_clientele": {"seniors": 10, "families": 6, "singles": 0},
        "stale_by_clientele": {"seniors": 0, "families": 0, "singles": 0},
        "known_percent": 80,
        "is_partial": True,
        "oldest_report": "2024-02-15",
        "latest_report": "2024-03-01",
        "stale_before": "2023-12-16",
    }


@pytest.mark.parametrize(("date", "vacant", "waiting", "reported", "stale"), [
    ("2023-12-31", None, None, 0, 0),  # nothing reported yet: unknown, not 0
    ("2024-01-01", 3, 10, 10, 0),      # a report dated on the day counts
    ("2024-02-14", 3, 10, 10, 0),
    ("2024-02-15", 5, 14, 16, 0),      # families reported
    ("2024-03-01", 3, 16, 16, 0),      # seniors' newer report replaces the older one
    ("2024-06-01", 2, 19, 16, 6),      # families' report of February 15 is now over 90 days old
    ("2030-01-01", 2, 19, 16, 16),     # the latest report stands until a new one comes, stale
])
def test_vacancies_are_the_latest_report_on_or_before_the_date(client, stock, date, vacant, waiting, reported,
                                                               stale):
    body = summary(client, "310", date).json()

    assert (body["vacant_units"], body["waiting_list"]) == (vacant, waiting)
    assert (body["reported_units"], body["stale_units"], body["units_total"]) == (reported, stale, 20)


def test_a_date_before_any_report_is_unknown_not_zero(client, stock):
    body = summary(client, "QC", "2023-06-30").json()

    assert (body["vacant_units"], body["waiting_list"]) == (None, None)
    assert body["vacant_by_clientele"] == {"seniors": None, "families": None, "singles": None}
    assert body["waiting_by_clientele"] == {"seniors": None, "families": None, "singles": None}
    assert (body["reported_units"], body["stale_units"], body["known_percent"], body["is_partial"]) == (0, 0, 0, True)
    assert (body["oldest_report"], body["latest_report"]) == (None, None)


def test_mrc_figures(client, stock):
    body = summary(client, "270", "2024-05-01").json()

    assert body["territory"] == {"code": "270", "name": "Beauce-Centre", "level": "mrc"}
    assert (body["units_total"], body["sites"], body["adapted_units"]) == (8, 1, 1)
    assert body["units_by_tenure"] == {"hlm": 0, "coop": 8, "obnl": 0}
    assert (body["vacant_units"], body["waiting_list"]) == (1, 3)


def test_region_figures_add_up_its_mrcs(client, stock):
    body = summary(client, "12", "2024-05-01").json()

    assert body["territory"] == {"code": "12", "name": "Chaudière-Appalaches", "level": "region"}
    assert body["units_total"] == 28
    assert body["units_by_clientele"] == {"seniors": 10, "families": 14, "singles": 4}
    assert body["units_by_tenure"] == {"hlm": 20, "coop": 8, "obnl": 0}
    assert (body["sites"], body["adapted_units"]) == (3, 3)
    assert (body["vacant_units"], body["waiting_list"]) == (4, 19)


def test_province_figures(client, stock):
    body = summary(client, "QC", "2024-05-01").json()

    assert body["territory"] == {"code": "QC", "name": "Québec", "level": "province"}
    assert body["units_total"] == 48
    assert body["units_by_clientele"] == {"seniors": 30, "families": 14, "singles": 4}
    assert body["units_by_tenure"] == {"hlm": 20, "coop": 8, "obnl": 20}
    assert (body["sites"], body["adapted_units"]) == (4, 3)
    assert (body["vacant_units"], body["waiting_list"]) == (9, 19)
    # Le Rucher's 4 units were never reported; Vieux-Port's report of January 10 is over 90 days old.
    assert (body["reported_units"], body["stale_units"], body["known_percent"]) == (44, 20, 92)
    assert body["stale_by_clientele"] == {"seniors": 20, "families": 0, "singles": 0}
    assert (body["oldest_report"], body["latest_report"], body["stale_before"]) == (
        "2024-01-10", "2024-04-01", "2024-02-01")


def test_territory_without_stock_has_no_units_and_unknown_vacancies(client, stock):
    body = summary(client, "TE25", "2024-05-01").json()

    assert (body["units_total"], body["sites"], body["vacant_units"]) == (0, 0, None)
    assert (body["reported_units"], body["known_percent"], body["is_partial"]) == (0, None, False)


def test_date_defaults_to_today(client, stock):
    body = summary(client, "QC").json()

    assert body["date"] == timezone.localdate().isoformat()
    assert (body["vacant_units"], body["waiting_list"]) == (8, 22)
    assert (body["reported_units"], body["stale_units"]) == (44, 44)  # every report is from 2024


def test_the_stale_threshold_is_one_setting(client, stock, settings):
    settings.HOUSING_STALE_AFTER_DAYS = 30

    body = summary(client, "QC", "2024-05-01").json()

    assert body["stale_before"] == "2024-04-01"
    assert (body["reported_units"], body["stale_units"]) == (44, 36)  # all but Les Deux Rives (April 1)


def test_the_schema_documents_unknown_and_stale_figures(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schemas["SummaryOut"]["properties"]

    assert "null when no unit of the territory has a report" in fields["vacant_units"]["description"]
    assert {"reported_units", "stale_units", "known_percent", "is_partial", "stale_before"} <= set(fields)
    assert "HOUSING_STALE_AFTER_DAYS" in fields["stale_before"]["description"]
    assert "before today minus HOUSING_STALE_AFTER_DAYS" in schemas["AvailabilityOut"]["properties"]["is_stale"][
        "description"]


def test_bad_date_is_422_on_date(client, stock):
    answer = summary(client, "QC", "2024-13-45")

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "date", "message": "Entrez une date valide au format AAAA-MM-JJ."}]}


def test_bad_date_in_english_keeps_the_shape_and_field(client, stock):
    answer = summary(client, "QC", "yesterday", **{"Accept-Language": "en"})

    assert answer.status_code == 422
    assert answer["Content-Language"] == "en"
    [error] = answer.json()["detail"]
    assert error["field"] == "date"
    assert error["message"]


def test_unknown_territory_is_404(client, stock):
    answer = summary(client, "999")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Territoire inconnu : 999."}
