"""Login lockout: one username from one address is locked; one address that fails a lot is slowed."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from toitcommun.access.models import ApiToken, AuditEvent

JSON = "application/json"
TOKEN = "/api/v1/auth/token"
LOGIN = "/comptes/connexion/"


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.LOGIN_IP_SLOWDOWN_AFTER = 1000


def _failures() -> int:
    return sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))


def _fail_on_page(client, username: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "wrong-password-1"}, REMOTE_ADDR=address)


# ---- 1. an unreadable token request is refused with a 4xx and counted -------------------------


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data", b'{"username": "staff-tm", "password": "guess"}'),
    ("text/plain", b'{"username": "staff-tm", "password": "guess"}'),
    ("application/x-www-form-urlencoded", b"username=staff-tm&password=guess"),
    ("application/xml", b"<credentials/>"),
])
def test_token_request_in_another_content_type_gets_415_and_counts_as_a_failure(
        client, office_staff, content_type, body):
    answer = client.post(TOKEN, body, content_type=content_type)

    assert answer.status_code == 415
    assert answer.json() == {"detail": "Type de contenu non pris en charge : envoyez le nom d'utilisateur et "
                                       "le mot de passe en JSON (Content-Type: application/json)."}
    assert _failures() == 1
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("body", "detail"), [
    (b'{"username": "staff-tm", "password": ', "Requête mal formée : le corps doit être du JSON valide."),
    (b"\xff\xfe", "Requête mal formée : le corps doit être du JSON valide."),
    (b"[" * 100_000, "Requête mal formée : le corps doit être du JSON valide."),
    (b'["staff-tm", "guess"]', "Requête mal formée : le corps doit être un objet JSON avec « username » et « password »."),
])
def test_malformed_token_request_gets_400_and_counts_as_a_failure(client, office_staff, body, detail):
    answer = client.post(TOKEN, body, content_type=JSON)

    assert answer.status_code == 400
    assert answer.json() == {"detail": detail}
    assert _failures() == 1


def test_token_request_without_a_content_type_gets_415(client, office_staff):
    answer = client.generic("POST", TOKEN, b"")

    assert answer.status_code == 415
    assert _failures() == 1


def test_token_request_over_the_size_limit_is_refused_unread_with_413(client, office_staff, settings):
    # The request guard refuses it from its Content-Length, before any password is checked:
    # nothing was tried, so nothing is counted.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    answer = client.post(TOKEN, {"username": "staff-tm", "password": "x" * 2000}, content_type=JSON)

    assert answer.status_code == 413
    assert answer.json() == {"detail": "Requête trop volumineuse : le corps dépasse la limite de 0,0 Mo."}
    assert not ApiToken.objects.exists()


def test_token_request_with_a_wrong_field_type_gets_422_and_counts_against_that_username(client, office_staff):
    answer = client.post(TOKEN, {"username": "staff-tm", "password": 12345}, content_type=JSON)

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "password", "message": "Entrez du texte."}]}
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("staff-tm", 1)]


def test_malformed_token_request_is_answered_in_english_on_request(client, office_staff):
    answer = client.post(TOKEN, b"{", content_type=JSON, headers={"Accept-Language": "en"})

    assert answer.status_code == 400
    assert answer.json() == {"detail": "Malformed request: the body must be valid JSON."}


def test_unreadable_token_requests_lead_to_the_lock_like_bad_passwords(client, office_staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post(TOKEN, {"username": "staff-tm"}, content_type=JSON).status_code == 422

    answer = client.post(TOKEN, {"username": "staff-tm", "password": password}, content_type=JSON)

    assert answer.status_code == 429
    assert not ApiToken.objects.exists()


# ---- 2. the lock holds one username from one address --------------------------------------


def test_failures_with_made_up_usernames_do_not_lock_the_administrator(client, admin_user, password, settings):
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        _fail_on_page(client, f"made-up-{n}")

    page = client.post(LOGIN, {"username": "admin-test", "password": password})
    api = client.post(TOKEN, {"username": "admin-test", "password": password}, content_type=JSON)

    assert page.status_code == 302
    assert api.status_code == 200


def test_a_locked_username_still_signs_in_from_another_address(client, office_staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_on_page(client, "staff-tm", "203.0.113.9")

    locked = client.post(LOGIN, {"username": "staff-tm", "password": password}, REMOTE_ADDR="203.0.113.9")
    elsewhere = client.post(LOGIN, {"username": "staff-tm", "password": password}, REMOTE_ADDR="198.51.100.4")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_the_lock_page_says_what_is_locked_and_until_when(client, office_staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_on_page(client, "staff-tm", "203.0.113.9")
    last = AccessAttempt.objects.get().attempt_time
    until = timezone.localtime(last + datetime.timedelta(minutes=30))

    answer = client.post(LOGIN, {"username": "staff-tm", "password": password}, REMOTE_ADDR="203.0.113.9")

    body = answer.content.decode()
    assert answer.status_code == 429
    assert 1790 <= int(answer["Retry-After"]) <= 1800
    assert "ce nom d&#x27;utilisateur est verrouillé pour les connexions depuis l&#x27;adresse 203.0.113.9" in body
    assert f"à {until:%H:%M}" in body
    assert '<header class="topbar">' in body
    # The lock's end holds: an attempt during the lock does not push it further.
    assert AccessAttempt.objects.get().attempt_time == last


def test_the_api_lock_says_what_is_locked_in_english(client, office_staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": "staff-tm", "password": "guess"}, content_type=JSON)
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + datetime.timedelta(minutes=30))

    answer = client.post(TOKEN, {"username": "staff-tm", "password": password}, content_type=JSON,
                         headers={"Accept-Language": "en"})

    assert answer.status_code == 429
    assert answer.json()["detail"].startswith(
        "Too many failed logins: this username is locked for sign-ins from the address 127.0.0.1 until ")
    assert until.strftime("%Y") in answer.json()["detail"]
    assert int(answer["Retry-After"]) > 1700


def test_many_failures_from_one_address_slow_it_down_with_a_growing_delay(client, office_staff, password, settings):
    settings.LOGIN_IP_SLOWDOWN_AFTER = 3
    for n in range(3):
        _fail_on_page(client, f"made-up-{n}")

    slowed = client.post(LOGIN, {"username": "staff-tm", "password": password})
    slowed_api = client.post(TOKEN, {"username": "staff-tm", "password": password}, content_type=JSON)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(seconds=2))
    allowed = client.post(LOGIN, {"username": "made-up-9", "password": "wrong-password-1"})
    after_more = client.post(LOGIN, {"username": "staff-tm", "password": password})

    assert slowed.status_code == 429
    assert slowed["Retry-After"] == "1"
    assert "réessayez dans 1 seconde." in slowed.content.decode()
    assert slowed_api.status_code == 429
    assert slowed_api["Retry-After"] == "1"
    assert allowed.status_code == 200  # one more try was let through, and failed
    assert after_more.status_code == 429
    assert after_more["Retry-After"] == "2"
    assert _failures() == 4  # the attempts refused for waiting are not counted


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(client, office_staff, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "staff-tm", "password": "wrong-password-1"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    other_client = client.post(LOGIN, {"username": "staff-tm", "password": password},
                               REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert other_client.status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_administrator_lifts_a_lock_and_it_is_audited(client, admin_user, office_staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_on_page(client, "staff-tm", "203.0.113.9")
    client.force_login(admin_user)

    listed = client.get("/comptes/verrouillages/")
    lifted = client.post("/comptes/verrouillages/lever/", {"username": "staff-tm", "ip_address": "203.0.113.9"})
    client.logout()
    signed_in = client.post(LOGIN, {"username": "staff-tm", "password": password}, REMOTE_ADDR="203.0.113.9")

    assert [(lock.username, lock.ip_address, lock.failures) for lock in listed.context["locks"]] == [
        ("staff-tm", "203.0.113.9", settings.AXES_FAILURE_LIMIT)]
    assert lifted.status_code == 302
    assert signed_in.status_code == 302
    event = AuditEvent.objects.get(action="login_lock.release")
    assert (event.actor, event.object_label, event.before) == (
        admin_user, "staff-tm", {"username": "staff-tm", "ip_address": "203.0.113.9"})


def test_only_administrators_see_and_lift_locks(client, office_staff, coordinator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_on_page(client, "staff-tm", "203.0.113.9")
    client.force_login(coordinator)

    assert client.get("/comptes/verrouillages/").status_code == 403
    assert client.post("/comptes/verrouillages/lever/",
                       {"username": "staff-tm", "ip_address": "203.0.113.9"}).status_code == 403
    assert _failures() == settings.AXES_FAILURE_LIMIT


def test_the_admin_login_goes_through_the_site_login(client):
    answer = client.get("/admin/login/?next=/admin/")

    assert answer.status_code == 302
    assert answer["Location"] == "/comptes/connexion/?next=/admin/"
