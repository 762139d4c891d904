"""Error pages as a person meets them in Chromium: styled, in their language, usable at 390 px."""

from __future__ import annotations

from tests.directory.factories import ServiceFactory
from toitcommun.directory.models import ServiceStatus


def styled_and_fitting(page) -> None:
    # The stylesheet applied (the page background is ours, not the browser's white) and nothing overflows.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 249, 251)"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_unknown_address_shows_the_404_page_at_390px(page, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    answer = page.goto(f"{page.base_url}/nulle-part/")
    assert answer is not None and answer.status == 404
    assert page.inner_text("h1") == "Page introuvable"
    styled_and_fitting(page)
    assert refused == []
    shot("error-404-390px")
    page.click("text=Trouver un service dans le répertoire")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{page.base_url}/repertoire/"


def test_retired_service_from_a_printed_sheet_shows_410_and_leads_to_the_search(page, shot):
    service = ServiceFactory(name="Cuisine collective du quartier", status=ServiceStatus.DEFUNCT)
    page.set_viewport_size({"width": 390, "height": 844})
    answer = page.goto(f"{page.base_url}/repertoire/services/{service.pk}/")
    assert answer is not None and answer.status == 410
    assert page.inner_text("h1") == "Le service « Cuisine collective du quartier » a été retiré"
    styled_and_fitting(page)
    shot("error-410-retired-service-390px")
    page.click("text=Chercher dans le répertoire des services")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{page.base_url}/repertoire/"


def test_wrong_method_page_in_english(page, shot):
    page.goto(f"{page.base_url}/")
    page.click("a.lang[hreflang=en]")  # the language switch is a link (public pages carry no form token)
    page.wait_for_load_state("networkidle")
    answer = page.goto(f"{page.base_url}/comptes/deconnexion/")
    assert answer is not None and answer.status == 405
    assert page.inner_text("h1") == "Action not allowed on this page"
    styled_and_fitting(page)
    shot("error-405-en")
