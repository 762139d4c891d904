"""Unknown vacancies in the browser: no bar, no zero, the share known and the stale figures said in words."""

from django.core.management import call_command


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def figure(page, name: str) -> str:
    return page.inner_text(f'[data-figure="{name}"] .figure').replace("\u202f", "").replace("\xa0", " ").strip()


def test_available_housing_before_any_report_draws_no_bar_and_says_unknown(page, shot):
    load_demo()
    page.goto(f"{page.base_url}/logement/disponibles/31084/?date=2015-01-01")
    page.wait_for_selector("#vacancy-chart[data-state=ready]")

    assert figure(page, "vacant_units") == "inconnu"
    assert figure(page, "waiting_list") == "inconnu"
    assert figure(page, "known_percent") == "0 %"
    assert "les logements vacants et la liste d'attente sont inconnus, pas nuls." in page.inner_text("#known-share")
    bars = page.evaluate("""() => Chart.getChart(document.getElementById('vacancy-chart')).data.datasets
                                  .map((d) => d.data)""")
    assert bars == [[None, None, None], [None, None, None]]
    assert page.locator('#crosstab tfoot td[data-col="vacant"]').inner_text() == "—"
    assert page.locator("#availability tbody tr", has_text="jamais signalé").count() == 11
    shot("available-thetford-before-any-report")


def test_available_housing_of_the_region_marks_stale_subdivisions(page, shot):
    load_demo()
    page.goto(f"{page.base_url}/logement/disponibles/12/")
    page.wait_for_selector("#vacancy-chart[data-state=ready]")

    # Every demo report is from 2015: all known, all stale.
    assert figure(page, "known_percent") == "100 %"
    assert "ont des figures de plus de 90 jours" in page.inner_text("#stale-share")
    assert page.locator('#children tr[data-code="310"] td[data-col="stale"]').inner_text() == "191"
    shot("available-region-stale")
