"""Parameter types every router shares: their bounds are checked at the boundary and stated in OpenAPI.

A number the database could not hold, or an offset no list could reach, is a 422 naming
the parameter, never a query that fails.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_RECORD_ID = 2**63 - 1  # the largest key a 64-bit integer column holds
MAX_OFFSET = 1_000_000

RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID, description="A record's id")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="How many results to skip")]
