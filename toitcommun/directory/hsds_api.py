"""The directory as Open Referral HSDS 3.0 documents, read-only and public: /api/v1/hsds/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["hsds"])
