"""A small governance world for tests: a tenant association and a CCR of one housing office, their
officers and members, a former member, a tenant, the office's respondent, meetings in every state.

Names are visibly fictional.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.collective import governance_rules
from toitcommun.collective.group_services import group_create, mandate_end, mandate_start
from toitcommun.collective.meeting_services import (
    attendance_record,
    counted_attendance_set,
    decision_record,
    meeting_convene,
    meeting_create,
    meeting_hold,
)
from toitcommun.collective.models import Group, Meeting

START = datetime.date(2015, 11, 4)


def at(day: datetime.date, hour: int = 19) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@dataclass
class World:
    admin: Any
    office: Any
    group: Group
    other_group: Group
    president: Any
    secretary: Any
    member: Any
    former: Any
    other_member: Any
    tenant: Any
    respondent: Any
    mandates: dict[str, Any] = field(default_factory=dict)

    def forget(self) -> None:
        for user in (self.admin, self.president, self.secretary, self.member, self.former, self.other_member,
                     self.tenant, self.respondent):
            governance_rules.forget_mandates(user)


def build_world(*, suffix: str = "") -> World:
    admin = UserFactory(username=f"admin-collective{suffix}", is_superuser=True, is_staff=True)
    RoleFactory(user=admin, role=Role.ADMINISTRATOR)
    office = OrganizationFactory(name=f"Office d'habitation fictif des Pins{suffix}")

    def tenant_account(name: str) -> Any:
        return RoleFactory(user=UserFactory(username=name), role=Role.TENANT_REPRESENTATIVE).user

    president = tenant_account(f"presidente-fictive{suffix}")
    secretary = tenant_account(f"secretaire-fictif{suffix}")
    member = tenant_account(f"membre-fictif{suffix}")
    former = tenant_account(f"ancienne-membre{suffix}")
    other_member = tenant_account(f"membre-ailleurs{suffix}")
    tenant = tenant_account(f"locataire-fictif{suffix}")
    respondent = RoleFactory(user=UserFactory(username=f"repondante-office{suffix}"), role=Role.ORGANIZATION_STAFF,
                             organization=office).user
    group = group_create(actor=admin, name=f"Association fictive des locataires des Pins{suffix}",
                         kind="tenant_association", region_code="12", municipality_code="31084",
                         housing_office_id=office.pk, recommendation_days=30)
    other_group = group_create(actor=admin, name=f"Comité fictif d'ailleurs{suffix}", kind="residents_committee",
                               region_code="12", municipality_code="31084", housing_office_id=office.pk)
    world = World(admin=admin, office=office, group=group, other_group=other_group, president=president,
                  secretary=secretary, member=member, former=former, other_member=other_member, tenant=tenant,
                  respondent=respondent)
    m = world.mandates
    m["president"] = mandate_start(actor=admin, group_id=group.pk, role="president", starts_on=START,
                                   holder_name="Présidente Fictive", user_id=president.pk)
    m["secretary"] = mandate_start(actor=admin, group_id=group.pk, role="secretary", starts_on=START,
                                   holder_name="Secrétaire Fictif", user_id=secretary.pk)
    m["member"] = mandate_start(actor=admin, group_id=group.pk, role="board_member", starts_on=START,
                                holder_name="Membre Fictif", user_id=member.pk)
    m["former"] = mandate_start(actor=admin, group_id=group.pk, role="board_member", starts_on=START,
                                holder_name="Ancienne Membre", user_id=former.pk)
    m["former"] = mandate_end(actor=admin, mandate_id=m["former"].pk, ends_on=datetime.date(2016, 6, 30))
    m["other"] = mandate_start(actor=admin, group_id=other_group.pk, role="president", starts_on=START,
                               holder_name="Membre d'Ailleurs", user_id=other_member.pk)
    world.forget()
    return world


def held_meeting(world: World, day: datetime.date, *, title: str, audience: str = "public",
                 present: tuple[str, ...] = ("president", "secretary", "member", "former")) -> Meeting:
    """A meeting of the world's group, convened and held, with named and counted attendance."""
    meeting = meeting_create(actor=world.admin, group_id=world.group.pk, title=title, starts_at=at(day),
                             audience=audience, place="Salle communautaire fictive")
    meeting_convene(actor=world.admin, meeting_id=meeting.pk)
    meeting_hold(actor=world.admin, meeting_id=meeting.pk)
    for key in ("president", "secretary", "member", "former"):
        if world.mandates[key].active_on(day):
            attendance_record(actor=world.admin, meeting_id=meeting.pk, mandate_id=world.mandates[key].pk,
                              presence="present" if key in present else "excused")
    counted_attendance_set(actor=world.admin, meeting_id=meeting.pk, tenants=12, children=3)
    meeting.refresh_from_db()
    return meeting


def adopt(world: World, minutes: Any, day: datetime.date) -> Any:
    """A later held meeting of the group adopts the minutes (quorum: everyone present)."""
    later = held_meeting(world, day, title=f"Réunion d'adoption du {day}")
    return decision_record(actor=world.admin, meeting_id=later.pk, text="Adoption du procès-verbal.",
                           adopts_minutes_id=minutes.pk)
