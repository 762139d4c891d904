import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_providers_join_the_registry"),
        ("organizations", "0001_organizations_memberships"),
    ]

    operations = [
        migrations.AlterField(
            model_name="directoryorganization",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="directory_records",
                to="organizations.organization",
                verbose_name="organisation",
            ),
        ),
    ]
