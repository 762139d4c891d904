import django.db.models.deletion
from django.db import migrations, models


def keep_existing_groups(apps, schema_editor):
    """Scopes that named a group by its id now point to the group; an id of no group is dropped."""
    RoleAssignment = apps.get_model("access", "RoleAssignment")
    Group = apps.get_model("collective", "Group")
    known = set(Group.objects.values_list("pk", flat=True))
    for assignment in RoleAssignment.objects.exclude(legacy_group_id=None):
        assignment.group_id = assignment.legacy_group_id if assignment.legacy_group_id in known else None
        assignment.save(update_fields=["group"])


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0006_privacy_officer_role"),
        ("collective", "0003_activity_photos"),
    ]

    operations = [
        migrations.RenameField(model_name="roleassignment", old_name="group_id", new_name="legacy_group_id"),
        migrations.AlterField(
            model_name="roleassignment", name="legacy_group_id",
            field=models.PositiveBigIntegerField(null=True, blank=True, db_column="legacy_group_id"),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="group",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="role_assignments", to="collective.group", verbose_name="groupe"),
        ),
        migrations.RunPython(keep_existing_groups, migrations.RunPython.noop),
        migrations.RemoveField(model_name="roleassignment", name="legacy_group_id"),
    ]
