"""Reading background jobs, as the person who started them sees them."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from toitcommun.errors import NotFound

from . import progress, rules
from .models import Job, JobStatus


def job_get(user: Any, job_id: Any) -> Job:
    """The job at this address, if this person may follow it; NotFound otherwise, alike for both."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound(_("Ce travail n'existe pas.")) from None
    job = Job.objects.defer("input_data", "result_data").filter(pk=key).first()
    if job is None or not rules.can_see_job(user, job):
        raise NotFound(_("Ce travail n'existe pas."))
    return job


def job_percent(job: Job) -> int:
    """How far along the job is, 0 to 100: 100 once done, else what its task last published."""
    if job.status == JobStatus.DONE:
        return 100
    published = progress.percent_of(str(job.pk))
    return max(job.percent, published or 0)


def job_result(user: Any, job_id: Any) -> Job:
    """A finished job with its file, for download."""
    job = job_get(user, job_id)
    if job.status != JobStatus.DONE or not job.result_name:
        raise NotFound(_("Ce travail n'a pas de fichier à télécharger."))
    return Job.objects.get(pk=job.pk)
