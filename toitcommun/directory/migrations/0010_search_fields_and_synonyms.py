"""French-aware full text: weighted fields, one normalizer for both engines; the region's thesaurus.

The FTS5 table gets three weighted columns (name and alternate name, categories, the rest) and
the service's own rowid; PostgreSQL indexes the same weighted tsvector ('simple' configuration
over the normalized text). Every service's text is normalized again, and the thesaurus seeded.
"""

from django.db import migrations, models

from toitcommun.directory.search import normalized
from toitcommun.directory.thesaurus_seed import seed_synonyms

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS directory_service_fts",
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "service_id UNINDEXED, name, categories, body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS directory_service_fts",
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "service_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO directory_service_fts (service_id, body) SELECT id, search_text FROM directory_service",
]
PG_VECTOR = ("(setweight(to_tsvector('simple', search_name || ' ' || search_alternate_name), 'A')"
             " || setweight(to_tsvector('simple', search_categories), 'B')"
             " || setweight(to_tsvector('simple', search_text), 'C'))")
PG_FORWARD = ["DROP INDEX IF EXISTS directory_service_search",
              f"CREATE INDEX directory_service_search ON directory_service USING GIN ({PG_VECTOR})"]
PG_BACKWARD = ["DROP INDEX IF EXISTS directory_service_search",
               "CREATE INDEX directory_service_search ON directory_service "
               "USING GIN (to_tsvector('simple', search_text))"]


def reindex(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    services = Service.objects.select_related("directory_organization").prefetch_related(
        "categories", "service_at_locations__location__municipality")
    changed = []
    for s in services:
        terms = list(s.categories.all())
        body = [s.description, s.eligibility_description, s.directory_organization.name]
        for sal in s.service_at_locations.all():
            body += [sal.location.name, sal.location.municipality.name if sal.location.municipality else ""]
        s.search_name, s.search_alternate_name = normalized(s.name), normalized(s.alternate_name)
        s.search_categories = normalized(" ".join([t.name for t in terms] + [t.name_en for t in terms if t.name_en]))
        s.search_text = normalized(" ".join(p for p in body if p))[:20000]
        changed.append(s)
    Service.objects.bulk_update(changed, ["search_name", "search_alternate_name", "search_categories",
                                          "search_text"], batch_size=400)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    reindex(apps, schema_editor)
    for sql in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)
    if vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO directory_service_fts (rowid, service_id, name, categories, body) "
            "SELECT rowid, id, search_name || ' ' || search_alternate_name, search_categories, search_text "
            "FROM directory_service")
    seed_synonyms(apps.get_model("directory", "SynonymGroup"))


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0009_public_error_reports'),
    ]

    operations = [
        migrations.CreateModel(
            name='SynonymGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('expressions', models.JSONField(default=list, verbose_name='expressions')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'groupe de synonymes',
                'verbose_name_plural': 'groupes de synonymes',
                'ordering': ['pk'],
            },
        ),
        migrations.AddField(
            model_name='service',
            name='search_alternate_name',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='search_categories',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='search_name',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(forward, backward),
    ]
