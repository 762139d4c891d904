"""The database refuses every way of removing or rewriting audit events.

PostgreSQL: UPDATE and DELETE were refused row by row (0002); TRUNCATE is now
refused too, by a statement trigger. SQLite: UPDATE and DELETE are refused (the
UPDATE trigger is put back, SQLite dropped it when 0003 rebuilt the table).

A role that owns the table can still drop or disable these triggers: in
production the application connects with a role that does not own it
(docs/deploy.md), and the hash chain shows whatever was done anyway.
"""

from django.db import migrations

PG_FORWARD = """
CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_refuse_change();
"""
PG_BACKWARD = "DROP TRIGGER IF EXISTS access_auditevent_no_truncate ON access_auditevent;"
SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS access_auditevent_no_update BEFORE UPDATE ON access_auditevent
    BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS access_auditevent_no_delete BEFORE DELETE ON access_auditevent
    BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS access_auditevent_no_delete;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0003_audit_event_hash_chain")]
    operations = [migrations.RunPython(forward, backward)]
