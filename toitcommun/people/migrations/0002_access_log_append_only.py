"""The database refuses to rewrite or remove a line of the access log, as it does for the audit log.

PostgreSQL: UPDATE and DELETE refused row by row, TRUNCATE by a statement trigger.
SQLite: UPDATE and DELETE refused. A later migration that rebuilds this table on SQLite
drops its triggers: put them back in the same migration.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION people_accesslogentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'people_accesslogentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER people_accesslogentry_no_update BEFORE UPDATE OR DELETE ON people_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION people_accesslogentry_refuse_change();
CREATE TRIGGER people_accesslogentry_no_truncate BEFORE TRUNCATE ON people_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION people_accesslogentry_refuse_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS people_accesslogentry_no_truncate ON people_accesslogentry;
DROP TRIGGER IF EXISTS people_accesslogentry_no_update ON people_accesslogentry;
DROP FUNCTION IF EXISTS people_accesslogentry_refuse_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER people_accesslogentry_no_update BEFORE UPDATE ON people_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'people_accesslogentry is append-only'); END;""",
    """CREATE TRIGGER people_accesslogentry_no_delete BEFORE DELETE ON people_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'people_accesslogentry is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_accesslogentry_no_update;",
    "DROP TRIGGER IF EXISTS people_accesslogentry_no_delete;",
]


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
    dependencies = [("people", "0001_persons_households_consents_access_log")]
    operations = [migrations.RunPython(forward, backward)]
