"""Password change (signed in) and reset by e-mail, with Django's own views in the site's layout."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from tests.factories import UserFactory, api_token_for
from toitcommun.access.models import ApiToken, AuditEvent

NEW = "Carre-famille-Saint-Maurice-2015"
CHANGE = "/comptes/mot-de-passe/"
RESET = "/comptes/mot-de-passe/oublie/"


@pytest.fixture
def marie(db):
    return UserFactory(username="marie", email="marie@exemple.org")


def test_a_signed_in_person_changes_their_password_and_their_tokens_are_revoked(client, marie, password):
    api_token_for(marie)
    client.force_login(marie)

    answer = client.post(CHANGE, {"old_password": password, "new_password1": NEW, "new_password2": NEW})

    marie.refresh_from_db()
    assert answer.status_code == 302
    assert answer["Location"] == "/comptes/mot-de-passe/modifie/"
    assert marie.check_password(NEW)
    assert not ApiToken.objects.exists()
    assert client.get("/comptes/mot-de-passe/modifie/").context["user"] == marie  # still signed in
    assert AuditEvent.objects.get(action="user.password_set").after == {"reason": "password_change"}
    assert AuditEvent.objects.get(action="api_token.revoke_all").after == {"reason": "password_change", "revoked": 1}


def test_a_wrong_old_password_changes_nothing_and_says_why(client, marie, password):
    api_token_for(marie)
    client.force_login(marie)

    answer = client.post(CHANGE, {"old_password": "pas-le-bon-1", "new_password1": NEW, "new_password2": NEW})

    marie.refresh_from_db()
    assert answer.status_code == 200
    assert answer.context["form"].errors == {
        "old_password": ["Votre ancien mot de passe est incorrect. Veuillez le rectifier."]}
    assert marie.check_password(password)
    assert ApiToken.objects.count() == 1


def test_mismatched_new_passwords_change_nothing_and_say_why(client, marie, password):
    client.force_login(marie)

    answer = client.post(CHANGE, {"old_password": password, "new_password1": NEW, "new_password2": NEW + "x"})

    marie.refresh_from_db()
    assert answer.status_code == 200
    assert answer.context["form"].errors == {"new_password2": ["Les deux mots de passe ne correspondent pas."]}
    assert marie.check_password(password)


def test_the_password_pages_speak_english_on_request(client, marie):
    client.force_login(marie)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    answer = client.get(CHANGE)

    assert "<h1>Change my password</h1>" in answer.content.decode()


def test_reset_by_email_sets_a_new_password_and_revokes_the_tokens(client, marie):
    api_token_for(marie)

    sent = client.post(RESET, {"email": "marie@exemple.org"})
    link = re.search(r"http://testserver(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    marie.refresh_from_db()
    assert sent.status_code == 302 and sent["Location"] == "/comptes/mot-de-passe/oublie/envoye/"
    assert mail.outbox[0].to == ["marie@exemple.org"]
    assert mail.outbox[0].subject == "Toit commun : choisir un nouveau mot de passe"
    assert "Votre nom d'utilisateur : marie" in mail.outbox[0].body
    assert done.status_code == 302 and done["Location"] == "/comptes/mot-de-passe/nouveau/termine/"
    assert marie.check_password(NEW)
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="user.password_set").after == {"reason": "password_reset"}
    assert client.get(link, follow=True).context["validlink"] is False  # a link serves once


def test_an_unknown_email_gets_the_same_answer_as_a_known_one(client, marie):
    known = client.post(RESET, {"email": "marie@exemple.org"})
    unknown = client.post(RESET, {"email": "personne@exemple.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_the_login_page_links_to_the_reset_and_the_header_to_the_change(client, marie):
    assert 'href="/comptes/mot-de-passe/oublie/"' in client.get("/comptes/connexion/").content.decode()
    client.force_login(marie)
    home = client.get("/").content.decode()
    assert 'href="/comptes/mot-de-passe/"' in home
    assert 'href="/comptes/jetons/"' in home


def test_development_prints_emails_on_the_console_by_default():
    # Read in a fresh process: the test runner replaces EMAIL_BACKEND with its own.
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='toitcommun.settings'; "
         "django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        cwd=root, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
