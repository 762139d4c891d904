"""Seal the audit log into a hash chain, the events already written included.

Each event gets ``previous_hash`` and ``hash`` (see access/chain.py); existing
events are chained in the order they were written (by id). A unique constraint
on ``previous_hash`` keeps the chain from forking. The moment is now set by the
service before sealing, no longer by the field on insert.
"""

import django.utils.timezone
from django.db import migrations, models

from toitcommun.access.chain import GENESIS, SEALED_FIELDS, seal


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("access", "AuditEvent")
    vendor = schema_editor.connection.vendor
    # The append-only trigger of 0002 refuses this one rewrite; SQLite already lost it
    # when the columns were added (SQLite rebuilds the table), 0004 puts it back.
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER access_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
    previous, batch = GENESIS, []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = seal(content={name: getattr(event, name) for name in SEALED_FIELDS}, previous_hash=previous)
        previous = event.hash
        batch.append(event)
        if len(batch) == 500:
            AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE access_auditevent ENABLE TRIGGER access_auditevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("access", "0002_audit_log_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="empreinte"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="empreinte précédente"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False,
                                       verbose_name="moment"),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("previous_hash",), name="access_auditevent_one_successor"),
        ),
    ]
