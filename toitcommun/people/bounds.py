"""The limits of the support record's figures and dates, written once (services, forms and API read them)."""

from __future__ import annotations

import datetime

# No record of community support predates the system's history; none is dated past this.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# An intervention lasts from one minute to a whole day.
DURATION_MINUTES = (1, 24 * 60)
# Persons one intervention may name (a collective one counts the rest).
MAX_PERSONS = 200
SUMMARY_LENGTH = 1000
NOTES_LENGTH = 5000
REASON_LENGTH = 1000
