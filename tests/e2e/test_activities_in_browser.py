"""A tenant representative plans an activity, publishes it and counts who came; a visitor on a
phone finds it in the MRC's calendar."""

from django.core.management import call_command

from toitcommun.collective.models import Activity
from toitcommun.demo import ACCOUNTS


def test_a_tenant_representative_plans_publishes_and_counts_an_activity(page, browser, shot):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rep = next(a for a in ACCOUNTS if a.username == "locataires.tm")
    page.goto(f"{page.base_url}/comptes/connexion/?next=/vie-collective/activites/nouvelle/")
    page.fill("input[name=username]", rep.username)
    page.fill("input[name=password]", rep.password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=title]", "Épluchette de blé d'Inde (test)")
    page.select_option("select[name=kind]", "celebration")
    page.fill("input[name=starts_at]", "2015-08-29T16:00")
    page.fill("input[name=place]", "Cour des Habitations Saint-Maurice")
    box = page.locator("input[name=municipality]")
    box.fill("Thetford Mines")
    page.locator("[role=option]", has_text="Thetford Mines").first.click()
    page.check("input[name=organized_by_tenants]")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert "Brouillon" in page.inner_text("main")
    page.click("button:has-text('Publier')")
    page.wait_for_load_state("networkidle")
    page.click("a:has-text('Présences')")
    page.fill("input[name=counted_tenants]", "21")
    page.fill("input[name=counted_children]", "6")
    page.fill("input[name=counted_others]", "0")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert "27 personnes" in page.inner_text("#attendance")
    activity = Activity.objects.get(title="Épluchette de blé d'Inde (test)")
    assert activity.organized_by_tenants and activity.tenants_attending == 21

    phone = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    visitor = phone.new_page()
    visitor.goto(f"{page.base_url}/vie-collective/calendrier/310/?mois=2015-08")
    assert "Épluchette de blé d'Inde (test)" in visitor.inner_text("#calendar")
    assert "organisée par des locataires" in visitor.inner_text("#calendar")
    width, inner = visitor.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    visitor.screenshot(path=str(shot("activities-calendar-phone").parent / "activities-calendar-phone.png"),
                       full_page=True)
    phone.close()
