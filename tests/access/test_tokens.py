"""API tokens: they expire, carry a name and a last use, and their owner or a new password ends them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import api_token_for
from toitcommun.access.models import ApiToken, AuditEvent
from toitcommun.access.services import api_token_authenticate

JSON = "application/json"
TOKEN = "/api/v1/auth/token"


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _can_write(client, raw: str, organization) -> bool:
    answer = client.patch(f"/api/v1/organizations/{organization.pk}", {"version": organization.version, "phone": "1"},
                          content_type=JSON, headers=_bearer(raw))
    organization.refresh_from_db()
    return answer.status_code == 200


def test_a_token_is_stored_hashed_named_and_expires_after_the_configured_days(client, office_staff, password, settings):
    settings.API_TOKEN_DAYS = 7

    answer = client.post(TOKEN, {"username": "staff-tm", "password": password, "name": "Tableur du bureau"},
                         content_type=JSON)

    raw = answer.json()["token"]
    token = ApiToken.objects.get()
    assert answer.status_code == 200
    assert answer.json()["name"] == "Tableur du bureau"
    assert token.digest == ApiToken.digest_of(raw) and raw not in token.digest
    assert token.name == "Tableur du bureau"
    assert token.last_used_at is None
    assert abs((token.expires_at - timezone.now()) - datetime.timedelta(days=7)) < datetime.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="api_token.issue")
    assert raw not in str(event.after) + event.object_label + event.object_id


def test_a_token_without_a_name_is_named_after_the_client(client, office_staff, password):
    client.post(TOKEN, {"username": "staff-tm", "password": password}, content_type=JSON,
                headers={"User-Agent": "curl/8.5.0 (x86_64-pc-linux-gnu)"})
    client.post(TOKEN, {"username": "staff-tm", "password": password}, content_type=JSON, headers={"User-Agent": ""})

    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["curl/8.5.0", "jeton API"]


def test_an_expired_token_is_refused(client, office_staff, housing_office):
    raw = api_token_for(office_staff)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert api_token_authenticate(raw) is None
    assert not _can_write(client, raw, housing_office)


def test_last_use_is_written_at_most_once_a_minute(office_staff):
    raw = api_token_for(office_staff)
    api_token_authenticate(raw)
    first = ApiToken.objects.get().last_used_at
    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(seconds=30))
    recent = ApiToken.objects.get().last_used_at

    api_token_authenticate(raw)
    unchanged = ApiToken.objects.get().last_used_at
    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(seconds=61))
    api_token_authenticate(raw)

    assert first is not None
    assert unchanged == recent
    assert timezone.now() - ApiToken.objects.get().last_used_at < datetime.timedelta(seconds=5)


def test_delete_revokes_the_token_the_request_is_sent_with(client, office_staff, housing_office):
    used, other = api_token_for(office_staff, name="script"), api_token_for(office_staff, name="tableur")

    answer = client.delete(TOKEN, headers=_bearer(used))

    assert answer.status_code == 204
    assert not _can_write(client, used, housing_office)
    assert _can_write(client, other, housing_office)
    assert client.delete(TOKEN, headers=_bearer(used)).status_code == 401
    assert AuditEvent.objects.get(action="api_token.revoke").object_label == "script"


def test_delete_without_a_token_gets_401(client, office_staff):
    client.force_login(office_staff)
    assert client.delete(TOKEN).status_code == 401


def test_the_owner_lists_and_revokes_tokens_on_the_tokens_page(client, office_staff, other_staff, housing_office):
    mine = api_token_for(office_staff, name="script de rapport")
    api_token_for(other_staff, name="pas à moi")
    client.force_login(office_staff)

    page = client.get("/comptes/jetons/")
    token = ApiToken.objects.get(name="script de rapport")
    revoked = client.post(f"/comptes/jetons/{token.pk}/revoquer/")
    client.logout()

    assert [t.name for t in page.context["tokens"]] == ["script de rapport"]
    assert "Se déconnecter du site ne les révoque pas" in page.content.decode()
    assert revoked.status_code == 302
    assert not _can_write(client, mine, housing_office)


def test_nobody_revokes_another_persons_token(client, office_staff, other_staff):
    api_token_for(other_staff, name="pas à moi")
    client.force_login(office_staff)

    answer = client.post(f"/comptes/jetons/{ApiToken.objects.get().pk}/revoquer/")

    assert answer.status_code == 404
    assert ApiToken.objects.count() == 1


def test_a_password_change_anywhere_ends_the_tokens(client, office_staff, housing_office):
    raw = api_token_for(office_staff)
    office_staff.set_password("Un-tout-autre-mot-de-passe-77")
    office_staff.save()

    assert not _can_write(client, raw, housing_office)


def test_the_admin_changing_a_password_revokes_the_tokens(client, admin_user, office_staff):
    api_token_for(office_staff)
    client.force_login(admin_user)

    answer = client.post(f"/admin/auth/user/{office_staff.pk}/password/",
                         {"password1": "Un-tout-autre-mot-de-passe-77", "password2": "Un-tout-autre-mot-de-passe-77"})

    assert answer.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="api_token.revoke_all").after == {"reason": "password_change", "revoked": 1}


def test_deactivating_a_user_in_the_admin_revokes_the_tokens(client, admin_user, office_staff):
    api_token_for(office_staff)
    client.force_login(admin_user)
    form = client.get(f"/admin/auth/user/{office_staff.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions",
                                                                                 "last_login", "date_joined")}
    data.update({"is_active": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})

    answer = client.post(f"/admin/auth/user/{office_staff.pk}/change/", data)

    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="api_token.revoke_all").after == {"reason": "deactivation", "revoked": 1}


def test_the_openapi_document_states_every_answer_of_the_token_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    issue, revoke = paths["/api/v1/auth/token"]["post"], paths["/api/v1/auth/token"]["delete"]
    assert {"200", "400", "401", "413", "415", "422", "429"} <= set(issue["responses"])
    assert set(issue["requestBody"]["content"]) == {"application/json"}
    assert set(issue["requestBody"]["content"]["application/json"]["schema"]["properties"]) == {
        "username", "password", "name"}
    assert {"204", "401"} <= set(revoke["responses"])


@pytest.mark.parametrize("path", ["/comptes/jetons/", "/comptes/mot-de-passe/"])
def test_account_pages_need_a_sign_in(client, db, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/comptes/connexion/")
