"""The access log as JSON, for an organization's privacy officer (``GET /api/v1/access-log``).

A person whose file the officer's organization does not hold answers 404, the same
as one that does not exist; anyone who is not a privacy officer gets 404 too. The
reading is itself written to the access log.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import Offset, RecordId

from .api import signed_in
from .privacy import access_log_slice

router = Router(tags=["people"])


class AccessLogFilters(Schema):
    person: RecordId = Field(description="The person's id: their file must be held by your organization")
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class AccessLogLine(Schema):
    id: int
    at: datetime.datetime
    user_id: int | None
    organization_id: int | None
    person_id: int | None
    record_type: str
    record_id: int | None
    categories: list[Literal["identity", "housing", "interventions", "notes", "referrals"]]
    action: Literal["view", "list", "search", "export", "print"]
    basis: Literal["own_organization", "consent", "referral", "none"]
    consent_id: int | None
    referral_id: int | None
    outcome: Literal["allowed", "denied", "not_found"]


class AccessLogOut(Schema):
    items: list[AccessLogLine]
    count: int
    limit: int
    offset: int


@router.get("/access-log", response=AccessLogOut, auth=write_auth,
            summary="Who read a person's records (privacy officer of an organization holding their file)",
            openapi_extra=signed_in())
def access_log_read(request: HttpRequest, filters: Query[AccessLogFilters]) -> dict[str, Any]:
    count, rows = access_log_slice(actor_of(request), person_id=filters.person, offset=filters.offset,
                                   limit=filters.limit)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [{
        "id": row.pk, "at": row.at, "user_id": row.user_id, "organization_id": row.organization_id,
        "person_id": row.person_id, "record_type": row.record_type, "record_id": row.record_id,
        "categories": [c for c in row.categories.split(",") if c], "action": row.action, "basis": row.basis,
        "consent_id": row.consent_id, "referral_id": row.referral_id, "outcome": row.outcome,
    } for row in rows]}
