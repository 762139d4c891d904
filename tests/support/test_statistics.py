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
