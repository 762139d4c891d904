"""The housing stock's long acts as background jobs: a large import, a large export.

The page starts the job and follows it (``toitcommun.jobs``); the worker runs these handlers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toitcommun.errors import NotFound, PermissionRefused
from toitcommun.jobs.models import Job, JobKind
from toitcommun.jobs.services import JobOutcome, job_start
from toitcommun.territory.selectors import territory_get

from . import rules
from .exports import XLSX_TYPE, available_table, xlsx_bytes
from .imports import ImportRejected, housing_import

# At most this many row errors are kept for the page (the first ones, in row order).
ERRORS_KEPT = 1000


def housing_import_start(*, actor: Any, file_name: str, content: bytes) -> Job:
    """Start importing a housing file in the background; the page follows its progress."""
    if not rules.can_import_housing(actor):
        raise PermissionRefused(_("Vous ne pouvez pas importer le parc de logements."))
    return job_start(actor=actor, kind=JobKind.HOUSING_IMPORT, input_name=file_name, input_data=content)


def housing_export_start(*, actor: Any, code: str, on: datetime.date, clientele: str) -> Job:
    """Start making the XLSX file of a territory's available housing (every building, every clientele)."""
    territory_get(code)  # NotFound for an unknown territory, before anything is queued
    return job_start(actor=actor, kind=JobKind.HOUSING_EXPORT,
                     params={"code": code, "date": on.isoformat(), "clientele": clientele})


def run_import(job: Job, report: Callable[[float], None]) -> JobOutcome:
    try:
        summary = housing_import(actor=job.owner, file_name=job.input_name, content=bytes(job.input_data or b""),
                                 progress=report)
    except ImportRejected as rejected:
        errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in rejected.errors]
        return JobOutcome(
            outcome={"errors": errors[:ERRORS_KEPT], "error_count": len(errors)},
            failure=ngettext("Rien n'a été importé : %(count)s erreur dans le fichier.",
                             "Rien n'a été importé : %(count)s erreurs dans le fichier.",
                             len(errors)) % {"count": len(errors)})
    except PermissionRefused as refusal:
        return JobOutcome(failure=str(refusal))
    return JobOutcome(outcome={"summary": asdict(summary), "lines": [str(line) for line in summary.lines()]})


def run_export(job: Job, report: Callable[[float], None]) -> JobOutcome:
    params = job.params
    try:
        territory = territory_get(params["code"])
    except NotFound:
        return JobOutcome(failure=_("Ce territoire n'existe plus."))
    table = available_table(job.owner or AnonymousUser(), territory, datetime.date.fromisoformat(params["date"]),
                            params.get("clientele", ""))
    report(0.05)
    data = xlsx_bytes(table, progress=lambda fraction: report(0.05 + 0.95 * fraction))
    return JobOutcome(result_name=f"{table.filename}.xlsx", result_type=XLSX_TYPE, result_data=data,
                      outcome={"rows": len(table.rows)})
