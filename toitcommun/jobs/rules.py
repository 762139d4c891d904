"""Who may follow a background job."""

from __future__ import annotations

from typing import Any

from .models import Job


def can_see_job(user: Any, job: Job) -> bool:
    """A job belongs to whoever started it; one started without an account is reached by its address alone."""
    if job.owner_id is None:
        return True
    return bool(user.is_authenticated and user.pk == job.owner_id)
