"""Activities for the tests, made through the services (so that their roll-ups are kept)."""

from __future__ import annotations

from typing import Any

from toitcommun.collective.activity_services import (
    activity_attendance_count,
    activity_create,
    activity_publish,
)
from toitcommun.collective.models import Activity


def activity_data(organizer: Any, **overrides: Any) -> dict[str, Any]:
    data = {"title": "Fête des voisins (test)", "kind": "celebration", "starts_at": "2015-10-23T18:00",
            "ends_at": "2015-10-23T21:00", "place": "Salle communautaire", "municipality": "31084",
            "organizers": [str(organizer.pk)], "organized_by_tenants": "on", "is_public": "on", "description": ""}
    data.update(overrides)
    return data


def planned(actor: Any, organizer: Any, *, publish: bool = True, counted: tuple[int, int, int] | None = None,
            **overrides: Any) -> Activity:
    activity = activity_create(actor=actor, data=activity_data(organizer, **overrides))
    if publish:
        activity = activity_publish(actor=actor, activity_id=activity.pk)
    if counted is not None:
        tenants, children, others = counted
        activity = activity_attendance_count(actor=actor, activity_id=activity.pk, data={
            "counted_tenants": tenants, "counted_children": children, "counted_others": others})
    return activity
