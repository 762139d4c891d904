"""The task the worker runs (`manage.py db_worker`): one background job, by its id."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from .services import job_run

    job_run(job_id=job_id)
