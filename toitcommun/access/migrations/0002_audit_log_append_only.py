"""Make the audit log append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE on the table through a trigger (TRUNCATE,
which only a test harness or an operator issues, still works). SQLite refuses
UPDATE; its DELETE stays open because SQLite has no TRUNCATE and the test
harness empties tables with DELETE.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION access_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE OR DELETE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION access_auditevent_refuse_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS access_auditevent_no_update ON access_auditevent;
DROP FUNCTION IF EXISTS access_auditevent_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS access_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_roles_audit_tokens")]
    operations = [migrations.RunPython(forward, backward)]
