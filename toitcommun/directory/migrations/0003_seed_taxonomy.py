"""Seed the region's starting categories and the clienteles (stable ids; editable afterwards)."""

from django.db import migrations

from toitcommun.directory.taxonomy_seed import seed_taxonomy


def seed(apps, schema_editor):
    seed_taxonomy(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_service_full_text_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
