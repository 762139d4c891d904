"""Kept public pages in Chromium: a second visitor's copy switches language and searches; the map of a
territory's buildings arrives as JSON; the per-building table turns pages."""

from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_second_visitor_switches_language_and_searches_on_a_kept_page(page, settings, shot):
    load_demo()
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    first = page.request.get(f"{page.base_url}/repertoire/")
    assert first.ok and "x-public-cache" not in first.headers
    page.goto(f"{page.base_url}/repertoire/")
    assert page.evaluate("() => document.cookie") == ""  # nothing of a visitor given with the page
    page.click("header a.lang[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Find a service" in page.inner_text("header nav")
    page.fill("#q", "aide")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator("#directory-results")).to_contain_text("aide", ignore_case=True)
    shot("cached-search-in-english")
    page.click("header a.lang[lang=fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    cache.clear()


def test_map_points_arrive_as_json_and_the_table_turns_pages(page, shot):
    load_demo()
    page.goto(f"{page.base_url}/logement/disponibles/310/?date=2016-01-01")
    expect(page.locator("#site-map")).to_have_attribute("data-markers", "11")
    assert page.locator("#site-map-points").count() == 0
    assert page.locator("#availability tbody tr").count() == 11
    assert page.locator("nav.pagination").count() == 0  # 11 rows: one page
    shot("available-mrc-map-from-json")
