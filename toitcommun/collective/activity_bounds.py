"""The limits of activity figures, written once: forms, services and API schemas read them."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import Field

from toitcommun.housing.bounds import Range

# People counted at one activity, per kind (tenants, children, others).
COUNTED = Range(0, 100_000)
# No activity of this system predates the agreements on community support.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
EARLIEST_DAY = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DAY = datetime.date(LATEST_YEAR, 12, 31)

Year = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR, description="A year, YYYY")]
Day = Annotated[datetime.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY, description="YYYY-MM-DD")]
Counted = Annotated[int, Field(ge=COUNTED.minimum, le=COUNTED.maximum)]

# Photos of an activity: each at most 2 MB, at most 12 per activity, JPEG, PNG or WebP.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTOS_PER_ACTIVITY = 12
