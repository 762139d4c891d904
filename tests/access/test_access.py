import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from toitcommun.access.models import AuditEvent, AuditLogIsAppendOnly, Role, RoleAssignment
from toitcommun.access.services import api_token_issue, api_token_user, audit_record, role_assign
from toitcommun.errors import PermissionRefused, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]


def test_audit_rows_cannot_be_updated_or_deleted_by_the_application(db, admin_user):
    event = audit_record(actor=admin_user, action="test.act", object_type="x", object_id="1")
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.act"


def test_the_database_itself_refuses_to_rewrite_audit_rows(db, admin_user):
    event = audit_record(actor=admin_user, action="test.act", object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.act"


def test_the_database_itself_refuses_to_delete_audit_rows(db, admin_user):
    event = audit_record(actor=admin_user, action="test.act", object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(using="default")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_to_truncate_the_audit_log(db, admin_user):
    event = audit_record(actor=admin_user, action="test.act", object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_records_who_what_before_and_after(db, admin_user):
    audit_record(actor=admin_user, action="thing.change", object_type="thing", object_id="7",
                 before={"a": 1}, after={"a": 2})
    event = AuditEvent.objects.get(action="thing.change")
    assert (event.actor, event.actor_label, event.before, event.after) == (admin_user, "admin-test", {"a": 1}, {"a": 2})


@pytest.mark.parametrize("weak", ["password123", "Soleil2024!", "P@ssw0rd123", "azertyuiop", "aaaaaaaaaaaa", "12345678901"])
def test_common_and_breached_style_passwords_are_refused(db, weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_unusual_passphrase_is_accepted(db):
    validate_password("Carré-famille-Saint-Maurice-lancement")


def test_api_token_is_issued_for_good_credentials_only(db, office_staff, password):
    raw = api_token_issue(username="staff-tm", password=password)
    assert api_token_user(raw) == office_staff
    with pytest.raises(PermissionRefused):
        api_token_issue(username="staff-tm", password="wrong")
    assert api_token_user("not-a-token") is None
    assert api_token_user("x" * 500) is None


def test_only_administrators_assign_roles(db, admin_user, coordinator, nobody, housing_office):
    with pytest.raises(PermissionRefused):
        role_assign(actor=coordinator, user=nobody, role=Role.WORKER, organization=housing_office)
    assert not RoleAssignment.objects.filter(user=nobody).exists()
    with pytest.raises(ValidationFailed) as refusal:
        role_assign(actor=admin_user, user=nobody, role=Role.WORKER)
    assert "organization" in refusal.value.errors
    with pytest.raises(ValidationFailed):
        role_assign(actor=admin_user, user=nobody, role="emperor", organization=housing_office)
    role_assign(actor=admin_user, user=nobody, role=Role.WORKER, organization=housing_office)
    assert RoleAssignment.objects.filter(user=nobody, role=Role.WORKER).count() == 1
    assert AuditEvent.objects.filter(action="role.assign").count() == 1


def test_login_locks_out_after_repeated_failures(client, office_staff, password, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/comptes/connexion/", {"username": "staff-tm", "password": "wrong-password"})
    response = client.post("/comptes/connexion/", {"username": "staff-tm", "password": password})
    assert response.status_code == 429
    assert "verrouillé" in response.content.decode()


def test_login_then_logout(client, office_staff, password):
    response = client.post("/comptes/connexion/", {"username": "staff-tm", "password": password})
    assert response.status_code == 302
    assert client.get("/").context["user"] == office_staff
    client.post("/comptes/deconnexion/")
    assert not client.get("/").context["user"].is_authenticated


def test_a_bad_login_says_why_in_french(client, office_staff):
    response = client.post("/comptes/connexion/", {"username": "staff-tm", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_authenticated_pages_are_never_cached(client, office_staff):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(office_staff)
    assert "no-store" in client.get("/").headers["Cache-Control"]


def test_security_headers_are_sent(client, db):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_only_administrators_browse_the_audit_log(client, admin_user, office_staff):
    client.force_login(office_staff)
    assert client.get("/comptes/audit/").status_code == 403
    audit_record(actor=admin_user, action="building.update", object_type="housing.building", object_id="1")
    audit_record(actor=admin_user, action="organization.create", object_type="organizations.organization", object_id="2")
    client.force_login(admin_user)
    response = client.get("/comptes/audit/", {"action": "building.update"})
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["building.update"]


def test_audit_filter_answers_htmx_with_the_results_fragment(client, admin_user):
    audit_record(actor=admin_user, action="building.update", object_type="housing.building", object_id="1")
    client.force_login(admin_user)
    response = client.get("/comptes/audit/", {"actor": "admin"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Immeuble modifié" in body and "<html" not in body


def test_production_settings_pass_the_deploy_check():
    env = {"PRODUCTION": "1", "SECRET_KEY": "k" * 64 + "-a-long-random-production-secret-for-the-check",
           "ALLOWED_HOSTS": "toitcommun.example.org", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {"PRODUCTION": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
