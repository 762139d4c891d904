"""API tokens carry a name, expire, and are tied to the password they were issued under.

Tokens issued before this migration get an expiry 30 days after their creation and the
hash of their user's current password, computed as Django's get_session_auth_hash does;
should that ever differ, the token is simply refused (the safe side).
"""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("access", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = token.created_at + datetime.timedelta(days=settings.API_TOKEN_DAYS)
        token.auth_hash = salted_hmac(SESSION_HASH_SALT, token.user.password, algorithm="sha256").hexdigest()
        token.name = token.name or "jeton API"
        token.save(update_fields=["expires_at", "auth_hash", "name"])


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0004_audit_log_refuses_delete_and_truncate'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='apitoken',
            options={'ordering': ['-created_at', '-id'], 'verbose_name': "jeton d'API", 'verbose_name_plural': "jetons d'API"},
        ),
        migrations.AddField(
            model_name='apitoken',
            name='auth_hash',
            field=models.CharField(default='', max_length=128),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(db_index=True, null=True, verbose_name='expire le'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='name',
            field=models.CharField(default='', max_length=100, verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='créé le'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='last_used_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='dernière utilisation'),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(db_index=True, verbose_name='expire le'),
        ),
    ]
