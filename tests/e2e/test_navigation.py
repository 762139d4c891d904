"""The navigation on a phone: behind a menu button that says whether it is open, works from the keyboard."""

from playwright.sync_api import expect


def test_phone_navigation_opens_and_closes_from_the_menu_button(page, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/")
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    # The header takes one line of the first screen, not the whole of it.
    assert page.locator("header.topbar").bounding_box()["height"] < 80
    shot("navigation-phone-closed")

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Trouver un service")).to_be_visible()
    shot("navigation-phone-open")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Trouver un service")).to_be_focused()

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Organisations").click()
    page.wait_for_load_state("networkidle")
    assert page.url == page.base_url + "/organisations/"


def test_wide_screen_shows_the_navigation_without_a_menu_button(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base_url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Navigation principale").get_by_role("link")).to_have_text([
        "Trouver un service", "Logements disponibles", "Parc de logements", "Activités", "Organisations",
        "Vie collective", "Territoires"])


def test_phone_navigation_without_scripts_stays_open(browser, live_server, territory_loaded):
    context = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()
    context.close()
