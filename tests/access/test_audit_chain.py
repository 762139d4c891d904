"""The audit log is a hash chain: whatever is changed behind the database's back shows."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from toitcommun.access import chain
from toitcommun.access.models import AuditEvent, AuditLogIsAppendOnly
from toitcommun.access.services import audit_record, audit_record_many


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """What an owner of the table could do: switch the refusal triggers off, then back on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The actor's foreign key is checked at commit; ALTER TABLE wants those checks done first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER USER")
            yield
            cursor.execute("ALTER TABLE access_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'access_auditevent'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            yield
            for _name, sql in triggers:
                cursor.execute(sql)


def verify_audit(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def three_events(actor) -> list[AuditEvent]:
    return [audit_record(actor=actor, action="building.update", object_type="housing.building", object_id=str(n),
                         before={"name": f"Avant {n}"}, after={"name": f"Après {n}"}) for n in (1, 2, 3)]


def test_each_event_is_sealed_to_the_one_before(db, admin_user):
    first, second, third = three_events(admin_user)
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() == third.hash


def test_events_written_together_are_chained_in_order(db, admin_user):
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS
    audit_record_many(actor=admin_user, events=[{"action": "x.create", "object_type": "x", "object_id": str(n)}
                                                for n in range(3)])
    rows = list(AuditEvent.objects.order_by("-id").values_list("previous_hash", "hash")[:3])[::-1]
    assert [previous for previous, _hash in rows] == [head, rows[0][1], rows[1][1]]


def test_an_unsealed_event_cannot_be_written(db):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.create(action="forged", object_type="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(action="forged", object_type="x")])


def test_verify_audit_says_intact_with_the_count(db, admin_user):
    events = three_events(admin_user)
    total = AuditEvent.objects.count()
    assert verify_audit() == (f"Journal d'audit intact : {total} événements, "
                              f"dernière empreinte {events[-1].hash}.\n")


def test_values_read_back_from_the_database_seal_the_same(db, admin_user):
    audit_record(actor=admin_user, action="x.update", object_type="x", object_id="1",
                 before={"big": 1e20, "one": 1.0, "tiny": 1e-7, "text": "Lévis « 1er » \u2014 🏠", "none": None},
                 after={"list": [1, 2.5, True, {"b": 1, "a": "é"}], "neg": -0.0, "int": 10**18})
    assert "intact" in verify_audit()


def test_verify_audit_reports_a_row_edited_behind_the_triggers_back(db, admin_user):
    first, second, third = three_events(admin_user)
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET after = %s WHERE id = %s", ['{"name": "Falsifié"}', second.pk])
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert str(broken.value) == (
        f"Maillon rompu à l'événement n° {second.pk} du {second.at.isoformat()} : "
        "son contenu ne correspond plus à son empreinte : l'événement a été modifié.")


def test_verify_audit_reports_a_row_resealed_behind_the_triggers_back_at_the_next_one(db, admin_user):
    first, second, third = three_events(admin_user)
    forged = {"at": second.at, "actor_id": second.actor_id, "actor_label": second.actor_label, "action": second.action,
              "object_type": second.object_type, "object_id": second.object_id, "object_label": "",
              "before": second.before, "after": {"name": "Falsifié"}}
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET after = %s, hash = %s WHERE id = %s",
                       ['{"name": "Falsifié"}', chain.seal(content=forged, previous_hash=first.hash), second.pk])
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert f"l'événement n° {third.pk} du" in str(broken.value)
    assert "il ne suit plus l'événement précédent" in str(broken.value)


def test_verify_audit_reports_a_deleted_middle_row(db, admin_user):
    first, second, third = three_events(admin_user)
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert str(broken.value) == (
        f"Maillon rompu à l'événement n° {third.pk} du {third.at.isoformat()} : il ne suit plus l'événement "
        "précédent : un événement a été supprimé, inséré ou modifié juste avant lui.")


def test_verify_audit_reports_a_truncated_tail_against_a_recorded_head(db, admin_user):
    first, second, third = three_events(admin_user)
    assert "intact" in verify_audit("--head", third.hash)
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [third.pk])
    with pytest.raises(CommandError) as broken:
        verify_audit("--head", third.hash)
    assert str(broken.value) == (f"L'empreinte {third.hash} notée précédemment n'est plus dans la chaîne : "
                                 "le journal a été tronqué ou réécrit.")


def test_verify_audit_reports_disabled_guards(db, admin_user):
    three_events(admin_user)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER access_auditevent_no_truncate")
            missing = "access_auditevent_no_truncate"
        else:
            cursor.execute("DROP TRIGGER access_auditevent_no_delete")
            missing = "access_auditevent_no_delete"
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert str(broken.value) == f"Déclencheurs de protection absents ou désactivés : {missing}."


def test_verify_audit_speaks_english_on_request(db, admin_user):
    three_events(admin_user)
    assert verify_audit("--lang", "en").startswith("Audit log intact: ")


def test_the_demo_log_verifies(demo):
    assert AuditEvent.objects.filter(action="demo.load").exists()
    assert verify_audit().startswith("Journal d'audit intact : ")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_concurrent_appends_never_fork_the_chain(transactional_db, django_user_model):
    actor = django_user_model.objects.create(username="concurrent")
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    audit_record(actor=actor, action="x.update", object_type="x", object_id=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="x.update").count() == 30
    assert "intact" in verify_audit()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_auditevent")
