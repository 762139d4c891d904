"""The directory as Open Referral HSDS 3.0 documents, read-only and public: /api/v1/hsds/.

The list answers in the HSDS API's own ``Page`` shape (total_items, total_pages,
page_number, size, first_page, last_page, empty, contents); each item of
``contents`` and the single-service answer are full HSDS ``service`` documents.
Retired services are not shown, as on the public directory. People's names and e-mails
(``contacts``, ``assurer_email``) are left out unless the reader is signed-in staff.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import rules
from .hsds import service_document
from .selectors import clientele_terms, hsds_service_public, hsds_services_public

router = Router(tags=["hsds"])

MAX_PER_PAGE = 200


class HsdsPageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Services per page")


class HsdsPage(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


@router.get("/services", response=HsdsPage, summary="HSDS 3.0 services, a page at a time")
def hsds_service_list(request: HttpRequest, query: Query[HsdsPageQuery]) -> dict[str, Any]:
    services = hsds_services_public()
    total = services.count()
    start = (query.page - 1) * query.per_page
    clienteles = clientele_terms()
    personal = rules.can_see_service_contacts(request.user)
    contents = [service_document(s, clienteles=clienteles, personal=personal)
                for s in services[start:start + query.per_page]]
    total_pages = math.ceil(total / query.per_page)
    return {
        "total_items": total, "total_pages": total_pages, "page_number": query.page, "size": len(contents),
        "first_page": query.page == 1, "last_page": query.page >= total_pages, "empty": not contents,
        "contents": contents,
    }


@router.get("/services/{service_id}", response=dict[str, Any], summary="One HSDS 3.0 service, fully nested")
def hsds_service_detail(request: HttpRequest, service_id: str) -> dict[str, Any]:
    return service_document(hsds_service_public(service_id), personal=rules.can_see_service_contacts(request.user))
