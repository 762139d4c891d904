"""The account pages in Chromium: the lock, the tokens page, password reset; at phone width too."""

from __future__ import annotations

import re

from django.core import mail

from tests.factories import UserFactory, api_token_for

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_locked_username_sees_what_is_locked_and_until_when_at_phone_width(page, settings, shot):
    settings.AXES_ENABLED = True
    settings.LOGIN_IP_SLOWDOWN_AFTER = 1000
    UserFactory(username="victim")
    page.set_viewport_size(PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{page.base_url}/comptes/connexion/")
        page.fill("input[name=username]", "victim")
        page.fill("input[name=password]", "wrong-password-123")
        page.click("main button.primary")

    text = page.inner_text("main")
    assert "ce nom d'utilisateur est verrouillé pour les connexions depuis l'adresse 127.0.0.1 jusqu'au" in text
    assert page.locator("main a[href='/comptes/mot-de-passe/oublie/']").count() == 1
    assert _fits(page)
    shot("login-locked-390")


def test_the_owner_revokes_a_token_on_the_tokens_page_at_phone_width(page, login, shot):
    marie = UserFactory(username="marie-jetons")
    api_token_for(marie, name="curl/8.5.0")
    api_token_for(marie, name="Tableur du bureau de Thetford Mines")
    page.set_viewport_size(PHONE)
    login(marie, "/comptes/jetons/")

    assert page.locator("main tbody tr").count() == 2
    assert _fits(page)
    shot("api-tokens-390")
    page.locator("main tbody tr", has_text="curl/8.5.0").locator("button").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("main tbody tr").count() == 1
    assert "Jeton révoqué" in page.inner_text("main")


def test_a_forgotten_password_is_reset_through_the_emailed_link(page, shot):
    UserFactory(username="marie-oubli", email="marie@exemple.org")
    page.goto(f"{page.base_url}/comptes/connexion/")
    page.click("text=Mot de passe oublié ?")
    page.fill("input[name=email]", "marie@exemple.org")
    page.click("main button.primary")
    assert "Vérifiez vos courriels" in page.inner_text("h1")

    link = re.search(r"http://[^/]+(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    page.goto(f"{page.base_url}{link}")
    page.fill("input[name=new_password1]", "Carre-famille-Saint-Maurice-2015")
    page.fill("input[name=new_password2]", "Carre-famille-Saint-Maurice-2015")
    shot("password-reset-confirm")
    page.click("main button.primary")

    assert page.inner_text("h1") == "Mot de passe enregistré"
