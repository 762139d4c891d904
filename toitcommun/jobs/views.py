"""A background job's page: its progress bar (polled by htmx while it runs), its outcome, its file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toitcommun.views_common import is_htmx, or_404

from .models import JobKind, JobStatus
from .selectors import job_get, job_percent, job_result

# How often the page asks again while the job runs (htmx's `every`).
POLL_SECONDS = 1


def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    job = or_404(job_get, request.user, job_id)
    context = {"job": job, "percent": job_percent(job), "poll_seconds": POLL_SECONDS,
               "is_import": job.kind == JobKind.HOUSING_IMPORT, "waiting": job.status == JobStatus.WAITING}
    template = "jobs/job.html#status" if is_htmx(request) else "jobs/job.html"
    return render(request, template, context)


def job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job = or_404(job_result, request.user, job_id)
    response = HttpResponse(bytes(job.result_data or b""), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
