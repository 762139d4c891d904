"""A background job (a long import or export) as the person who started it follows it.

The file it reads and the file it makes are kept in the database, so that the web processes
and the worker may run on different machines without a shared disk.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    HOUSING_IMPORT = "housing_import", _("Import de logements")
    HOUSING_EXPORT = "housing_export", _("Export de logements")


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué")


class Job(models.Model):
    # The id is the job's address: unguessable, since an export asked for without an account has no owner.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.WAITING)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    language = models.CharField(max_length=8, default="fr")
    params = models.JSONField(default=dict, blank=True)
    input_name = models.CharField(max_length=255, blank=True)
    input_data = models.BinaryField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    result_data = models.BinaryField(null=True, blank=True)
    # What the page shows when it is done: an import's summary lines or its row errors.
    outcome = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
