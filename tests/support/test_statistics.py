"""The statistics page: interventions of a year by MRC and category, read from the roll-ups; an
organization sees its own, a researcher every organization's with small cells suppressed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import municipality
from tests.people.world import consent, intervention, today
from toitcommun.errors import PermissionRefused
from toitcommun.support.rollups import SMALL_CELL, intervention_statistics


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mrc() -> str:
    return municipality("31084").mrc.name


def test_a_worker_sees_her_organizations_interventions_by_mrc_and_category(world):
    for _i in range(3):
        intervention(world, category="crisis")
    consent(world, receivers=[world.entraide], categories=["identity", "interventions"])
    intervention(world, actor=world.entraide_worker, category="welcome")
    stats = intervention_statistics(world.office_worker, today().year)
    assert not stats.research and stats.organizations == [world.office.name]
    assert [(r.mrc_name, r.cells, r.total, r.minutes, r.participants) for r in stats.rows] == [
        (_mrc(), {"crisis": 3}, 3, 90, 3)]
    text = signed_in(world.office_worker).get(reverse("support:statistics")).content.decode()
    assert _mrc() in text and "Intervention de crise" in text and "Interventions au total : 3." in text


def test_a_researcher_sees_every_organization_with_small_cells_suppressed(world):
    for _i in range(SMALL_CELL):
        intervention(world, category="outreach")
    intervention(world, category="crisis")
    stats = intervention_statistics(world.researcher, today().year)
    assert stats.research and stats.organizations == []
    row = stats.rows[0]
    assert row.cells == {"outreach": SMALL_CELL, "crisis": None}
    # The row's totals would give the suppressed cell back by subtraction: they are suppressed too.
    assert (row.total, row.minutes, row.participants) == (None, None, None)
    answer = signed_in(world.researcher).get(reverse("support:statistics"))
    text = answer.content.decode()
    assert answer.status_code == 200 and f"moins de {SMALL_CELL}" in text and "Tremblay" not in text


def test_a_researchers_row_without_small_cells_shows_its_totals(world):
    for _i in range(SMALL_CELL):
        intervention(world, category="outreach")
    row = intervention_statistics(world.researcher, today().year).rows[0]
    assert (row.cells, row.total, row.minutes) == ({"outreach": SMALL_CELL}, SMALL_CELL, 30 * SMALL_CELL)


@pytest.mark.parametrize("who", ["nobody", "coordinator", "admin_without_org"])
def test_who_neither_follows_tenants_nor_does_research_is_refused(world, who):
    intervention(world)
    with pytest.raises(PermissionRefused):
        intervention_statistics(getattr(world, who), today().year)
    assert signed_in(getattr(world, who)).get(reverse("support:statistics")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(world):
    answer = Client().get(reverse("support:statistics"))
    assert answer.status_code == 302 and "login" in answer["Location"] or "connexion" in answer["Location"]


@pytest.mark.parametrize("year", ["abc", "1999", "99999999999999999999", "2030"])
def test_a_bad_year_redisplays_the_current_year_with_a_plain_message(world, year):
    intervention(world)
    answer = signed_in(world.office_worker).get(reverse("support:statistics"), {"annee": year})
    text = answer.content.decode()
    assert answer.status_code == 200 and "Choisissez une année de la liste." in text
    assert f"Interventions en {today().year}" in text


def test_another_year_shows_that_years_figures(world):
    intervention(world, category="conflict", date=today().replace(year=today().year - 1, day=1))
    client = signed_in(world.office_worker)
    assert "Aucune intervention consignée cette année-là." in client.get(reverse("support:statistics")).content.decode()
    text = client.get(reverse("support:statistics"), {"annee": today().year - 1}).content.decode()
    assert "Gestion des conflits" in text and "Interventions au total : 1." in text


def test_the_statistics_page_answers_in_constant_queries(world, django_assert_num_queries,
                                                          django_assert_max_num_queries):
    client = signed_in(world.office_worker)
    intervention(world)
    client.get(reverse("support:statistics"))
    with django_assert_max_num_queries(7) as first:
        client.get(reverse("support:statistics"))
    for category in ("crisis", "conflict", "outreach", "referral"):
        intervention(world, category=category)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("support:statistics"))


# ---- the same figures through the API ----------------------------------------------------------


def _api(user, query: str):
    from tests.factories import api_token_for

    return Client().get(f"/api/v1/intervention-statistics{query}",
                        headers={"Authorization": f"Bearer {api_token_for(user)}"})


def test_the_api_gives_a_worker_her_organizations_figures(world):
    for _i in range(3):
        intervention(world, category="crisis")
    body = _api(world.office_worker, f"?year={today().year}").json()
    assert (body["year"], body["research"], body["organizations"], body["total"]) == (
        today().year, False, [world.office.name], 3)
    assert [(r["mrc_name"], r["cells"], r["total"], r["minutes"]) for r in body["rows"]] == [
        (_mrc(), [{"category": "crisis", "interventions": 3}], 3, 90)]


def test_the_api_gives_a_researcher_null_for_a_small_cell_never_zero(world):
    for _i in range(SMALL_CELL):
        intervention(world, category="outreach")
    intervention(world, category="crisis")
    body = _api(world.researcher, f"?year={today().year}").json()
    row = body["rows"][0]
    assert body["research"] and body["organizations"] == [] and body["small_cell"] == SMALL_CELL
    assert row["cells"] == [{"category": "crisis", "interventions": None},
                            {"category": "outreach", "interventions": SMALL_CELL}] or row["cells"] == [
        {"category": "outreach", "interventions": SMALL_CELL}, {"category": "crisis", "interventions": None}]
    assert (row["total"], row["minutes"], row["participants"]) == (None, None, None)
    assert "Tremblay" not in str(body)


@pytest.mark.parametrize("query", ["", "?year=abc", "?year=1999", "?year=99999999999999999999"])
def test_the_api_refuses_a_missing_or_bad_year_with_422(world, query):
    assert _api(world.office_worker, query).status_code == 422


def test_the_api_refuses_a_nul_byte_before_reading_it(world):
    assert _api(world.office_worker, "?year=2026%00").status_code == 400


def test_the_api_refuses_who_neither_follows_tenants_nor_does_research(world):
    answer = _api(world.coordinator, f"?year={today().year}")
    assert answer.status_code == 403 and "chercheur" in answer.json()["detail"]
    assert Client().get(f"/api/v1/intervention-statistics?year={today().year}").status_code == 401
