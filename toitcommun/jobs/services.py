"""Starting and running background jobs (django-tasks: `manage.py db_worker` runs them).

A job is started by the service of its domain (``housing.jobs``), which checks permission
first; this module keeps the record, hands the job to the task queue and runs it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import progress
from .models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# What runs each kind of job: a function (job, report) -> JobOutcome.
HANDLERS = {
    JobKind.HOUSING_IMPORT: "toitcommun.housing.jobs.run_import",
    JobKind.HOUSING_EXPORT: "toitcommun.housing.jobs.run_export",
}


@dataclass
class JobOutcome:
    """What a job's handler made: a file to download, what the page shows, or why it failed."""

    outcome: dict[str, Any] = field(default_factory=dict)
    result_name: str = ""
    result_type: str = ""
    result_data: bytes | None = None
    failure: str = ""


def job_start(*, actor: Any, kind: str, params: dict[str, Any] | None = None, input_name: str = "",
              input_data: bytes | None = None) -> Job:
    """Record a job and put it in the queue; the caller has checked that the actor may start it.

    The queued task is written in the same transaction as the job: a worker never sees one without
    the other (with the immediate backend, used in tests, the job runs here and now).
    """
    from .tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, owner=actor if getattr(actor, "is_authenticated", False) else None,
            language=translation.get_language() or "fr", params=params or {},
            input_name=input_name[:255], input_data=input_data,
        )
        progress.set_percent(str(job.pk), 0)
        run_job.enqueue(job_id=str(job.pk))
    return Job.objects.defer("input_data", "result_data").get(pk=job.pk)


def job_run(*, job_id: str) -> None:
    """Run a waiting job to its end, recording its outcome; a job already finished is left alone."""
    job = Job.objects.filter(pk=job_id).select_related("owner").first()
    if job is None or job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    handler = import_string(HANDLERS[JobKind(job.kind)])
    try:
        with translation.override(job.language):
            outcome: JobOutcome = handler(job, progress.reporter(str(job.pk)))
    except Exception:
        # The id alone: a job's files may hold names and addresses, never written to a log.
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            failure = _("Le travail s'est arrêté sur une erreur imprévue ; rien n'a été modifié. Réessayez ; "
                        "si cela se reproduit, prévenez l'administration.")
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, failure=failure, input_data=None,
                                             finished_at=timezone.now())
        return
    failed = bool(outcome.failure)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE, percent=100 if not failed else job.percent,
        outcome=outcome.outcome, failure=outcome.failure, result_name=outcome.result_name[:255],
        result_type=outcome.result_type, result_data=outcome.result_data, input_data=None,
        finished_at=timezone.now(),
    )
    progress.set_percent(str(job.pk), 100 if not failed else 0)
