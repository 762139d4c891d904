"""The access log can only grow: the ORM and the database itself refuse to rewrite or remove a line."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from toitcommun.people.models import AccessLogEntry, AccessLogIsAppendOnly


@pytest.fixture
def entry(db):
    return AccessLogEntry.objects.create(record_type="person", record_id=1, person_id=1, action="view",
                                         basis="own_organization", outcome="allowed", categories="identity")


def test_the_orm_refuses_to_change_or_delete_a_line(entry):
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.filter(pk=entry.pk).update(outcome="denied")
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AccessLogIsAppendOnly):
        entry.save()
    with pytest.raises(AccessLogIsAppendOnly):
        entry.delete()


@pytest.mark.parametrize("statement", [
    "UPDATE people_accesslogentry SET outcome = 'denied'",
    "DELETE FROM people_accesslogentry",
])
def test_the_database_refuses_to_change_or_delete_a_line(entry, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.get(pk=entry.pk).outcome == "allowed"
