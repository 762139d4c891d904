"""Full-text search over services: SQLite FTS5, or a PostgreSQL GIN index.

``Service.search_text`` holds the folded text (lower case, no accents) of the
service, its organization, categories and places; both indexes work on it, so
"epicerie" finds "Épicerie" on either database. The SQLite index is a separate
FTS5 table that ``toitcommun.directory.search.index_services`` keeps in step.
"""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "service_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS directory_service_fts"
PG_FORWARD = (
    "CREATE INDEX directory_service_search ON directory_service "
    "USING GIN (to_tsvector('simple', search_text))"
)
PG_BACKWARD = "DROP INDEX IF EXISTS directory_service_search"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_hsds_directory")]
    operations = [migrations.RunPython(forward, backward)]
