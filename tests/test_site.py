"""The site as a whole: its icon, its home page."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_links_the_svg_favicon_shipped_with_the_site(client, db):
    body = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in body
    svg = (ROOT / "toitcommun" / "static" / "img" / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_favicon_ico_leads_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert response["Cache-Control"] == "public, max-age=86400"


def test_home_page_links_to_the_directory_in_french_and_english(client, db):
    for headers, title, label in [({}, "Trouver un service", "Répertoire des ressources communautaires"),
                                  ({"Accept-Language": "en"}, "Find a service", "Directory of community resources")]:
        body = client.get("/", headers=headers).content.decode()
        main = body[body.index('<main id="main">'):]
        card = re.search(r'<a class="card" href="/repertoire/">(.*?)</a>', main, re.S)
        assert card is not None
        assert title in card.group(1) and label in card.group(1)
