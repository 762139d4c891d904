"""Every error page is in the site's layout, in the request's language, and says where to go.

Under /api/ the same errors stay JSON.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation

from toitcommun.views import error_page

EN = {"Accept-Language": "en"}
LAYOUT = ['<link rel="stylesheet" href="/static/css/app.css">', '<header class="topbar">', 'href="/repertoire/"']


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(html)).replace("\u00a0", " ").strip()


def in_layout(response) -> bool:
    body = response.content.decode()
    return all(part in body for part in LAYOUT)


def failing_processor(request):
    raise RuntimeError("a context processor that fails")


# --- 404 ------------------------------------------------------------------------------------


def test_unknown_address_answers_404_in_french_in_the_layout(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert in_layout(response)
    assert '<html lang="fr">' in response.content.decode()
    assert "Erreur 404 Page introuvable" in text(response)
    assert "Vérifiez l'adresse, ou passez par l'un des liens ci-dessous." in text(response)
    assert "Not Found" not in text(response)


def test_unknown_address_answers_404_in_english_on_request(client, db):
    response = client.get("/nulle-part/", headers=EN)
    assert response.status_code == 404
    assert in_layout(response)
    assert '<html lang="en">' in response.content.decode()
    assert "Error 404 Page not found" in text(response)
    assert "Check the address, or use one of the links below." in text(response)


def test_missing_record_answers_the_same_404_page(client, db):
    response = client.get("/logement/immeubles/999999/")
    assert response.status_code == 404
    assert "Page introuvable" in text(response)


# --- 403 ------------------------------------------------------------------------------------


def test_refused_page_answers_403_with_the_reason_in_french(client, nobody):
    client.force_login(nobody)
    response = client.get("/logement/importer/")
    assert response.status_code == 403
    assert in_layout(response)
    assert "Erreur 403 Accès refusé" in text(response)
    assert "Vous ne pouvez pas importer de logements." in text(response)
    assert "adressez-vous à l'administration de Toit commun de votre région" in text(response)


def test_refused_page_answers_403_in_english_on_request(client, nobody):
    client.force_login(nobody)
    response = client.get("/logement/importer/", headers=EN)
    assert response.status_code == 403
    assert in_layout(response)
    assert "Error 403 Access denied" in text(response)
    assert "You may not import housing." in text(response)


def test_expired_form_answers_403_saying_to_reload_in_french(db):
    response = Client(enforce_csrf_checks=True).post("/comptes/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert in_layout(response)
    assert "Erreur 403 Formulaire expiré" in text(response)
    assert "Revenez à la page précédente, rechargez-la, puis envoyez le formulaire de nouveau." in text(response)


def test_expired_form_answers_403_in_english_on_request(db):
    response = Client(enforce_csrf_checks=True).post("/comptes/connexion/", {"username": "x"}, headers=EN)
    assert response.status_code == 403
    assert "Error 403 Form expired" in text(response)
    assert "Go back to the previous page, reload it, then send the form again." in text(response)


# --- 405 ------------------------------------------------------------------------------------


def test_wrong_method_answers_405_with_a_page_in_french(client, db):
    response = client.get("/comptes/deconnexion/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert in_layout(response)
    assert "Erreur 405 Action non permise sur cette page" in text(response)


def test_wrong_method_answers_405_with_a_page_in_english(client, office_staff, housing_office):
    client.force_login(office_staff)
    response = client.get(f"/organisations/{housing_office.pk}/membres/", headers=EN)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Error 405 Action not allowed on this page" in text(response)


# --- 400 and 413 ----------------------------------------------------------------------------


def test_bad_request_answers_400_in_french(client, db):
    response = client.get("/", headers={"Host": "ailleurs.example"})
    assert response.status_code == 400
    assert in_layout(response)
    assert "Erreur 400 Requête incorrecte" in text(response)


def test_bad_request_answers_400_in_english(client, db):
    response = client.get("/", headers={"Host": "ailleurs.example", **EN})
    assert response.status_code == 400
    assert "Error 400 Bad request" in text(response)


def test_over_large_form_answers_413_in_french(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/comptes/connexion/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert in_layout(response)
    assert "Erreur 413 Envoi trop volumineux" in text(response)


def test_over_large_form_answers_413_in_english(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/comptes/connexion/", {"username": "x" * 2000}, headers=EN)
    assert response.status_code == 413
    assert "Error 413 Upload too large" in text(response)


def test_413_page_names_the_limit_it_is_given(rf, db):
    response = error_page(_request(rf), 413, context={"limit": "10 Mo"})
    assert "La limite est de 10 Mo." in text(response)


# --- 429 ------------------------------------------------------------------------------------


def _request(rf: RequestFactory, path: str = "/comptes/connexion/"):
    request = rf.get(path)
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Erreur 429 Trop de tentatives Trop de demandes sont arrivées en peu de temps."),
    ("en", "Error 429 Too many attempts Too many requests arrived in a short time."),
])
def test_too_many_requests_page_in_each_language(rf, db, language, expected):
    with translation.override(language):
        response = error_page(_request(rf), 429)
    assert response.status_code == 429
    assert in_layout(response)
    assert expected in text(response)


def test_too_many_requests_page_says_until_when(rf, db):
    import datetime
    import zoneinfo
    until = datetime.datetime(2026, 11, 27, 16, 30, tzinfo=zoneinfo.ZoneInfo("America/Toronto"))
    response = error_page(_request(rf), 429, context={"until": until})
    assert "Vous pourrez réessayer à partir de 16:30." in text(response)


# --- 500 ------------------------------------------------------------------------------------


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def test_server_error_answers_500_in_french_in_the_layout(failing_client, db):
    response = failing_client.get("/en-panne/")
    assert response.status_code == 500
    assert in_layout(response)
    assert "Erreur 500 Erreur du serveur" in text(response)
    assert "Elle a été consignée pour l'équipe technique." in text(response)


def test_server_error_answers_500_in_english_on_request(failing_client, db):
    response = failing_client.get("/en-panne/", headers=EN)
    assert response.status_code == 500
    assert "Error 500 Server error" in text(response)


def test_server_error_page_renders_when_the_context_processors_fail(failing_client, db, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": [*settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                               "tests.test_error_pages.failing_processor"]}}]
    response = failing_client.get("/")
    assert response.status_code == 500
    assert in_layout(response)
    assert "Erreur 500 Erreur du serveur" in text(response)


def test_error_page_falls_back_to_the_plain_layout_when_a_context_processor_fails(client, db, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": ["tests.test_error_pages.failing_processor"]}}]
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert in_layout(response)
    assert "Page introuvable" in text(response)


# --- the API keeps JSON ---------------------------------------------------------------------


def test_unknown_api_address_answers_json_404(client, db):
    response = client.get("/api/v1/nulle-part", headers=EN)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_api_server_error_answers_json_500(failing_client, db):
    response = failing_client.get("/api/v1/en-panne")
    assert response.status_code == 500
    assert response.json() == {"detail": "Erreur interne du serveur : elle a été consignée."}
