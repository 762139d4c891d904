"""Named attendance: only with consent, only persons of the organizer's files; distinct tenants and
meetings held in the participation figures, equal to a recount."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.collective.activity_factories import activity_data, planned
from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.collective.activity_selectors import participation
from toitcommun.collective.activity_services import (
    activity_attendee_add,
    activity_attendee_remove,
    activity_cancel,
    activity_update,
    distinct_tenants_recount,
    participation_kept,
    participation_recount,
)
from toitcommun.collective.models import Activity, ActivityAttendee, Group, Meeting
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed
from toitcommun.people.models import Person, PersonFile
from toitcommun.territory.models import Mrc, Municipality
from toitcommun.territory.selectors import territory_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(thetford):
    return OrganizationFactory(name="Association des locataires (test)", kind="tenant_association",
                               municipality=thetford)


@pytest.fixture
def tenant_rep(association):
    return RoleFactory(user=UserFactory(username="rep-tm"), role=Role.TENANT_REPRESENTATIVE,
                       organization=association).user


def person_of(organization, n: int) -> Person:
    person = Person.objects.create(first_name="Prénom", last_name=f"Fictif {n}",
                                   name_key=Person.key_for("Prénom", f"Fictif {n}"))
    PersonFile.objects.create(person=person, organization=organization)
    return person


def test_a_person_is_named_only_with_consent(tenant_rep, association):
    activity = planned(tenant_rep, association)
    person = person_of(association, 1)
    with pytest.raises(ValidationFailed) as refused:
        activity_attendee_add(actor=tenant_rep, activity_id=activity.pk, person_id=person.pk)
    assert "consent" in refused.value.errors
    assert not ActivityAttendee.objects.exists()
    activity_attendee_add(actor=tenant_rep, activity_id=activity.pk, person_id=person.pk, consent=True)
    activity.refresh_from_db()
    assert (activity.named_count, activity.attendance_total, activity.tenants_attending) == (1, 1, 1)
    with pytest.raises(ValidationFailed):
        activity_attendee_add(actor=tenant_rep, activity_id=activity.pk, person_id=person.pk, consent=True)


def test_only_persons_of_the_organizers_files_may_be_named(tenant_rep, association, other_office, other_staff):
    activity = planned(tenant_rep, association)
    stranger = person_of(other_office, 2)
    with pytest.raises(NotFound):
        activity_attendee_add(actor=tenant_rep, activity_id=activity.pk, person_id=stranger.pk, consent=True)
    mine = person_of(association, 3)
    with pytest.raises(PermissionRefused):
        activity_attendee_add(actor=other_staff, activity_id=activity.pk, person_id=mine.pk, consent=True)
    assert not ActivityAttendee.objects.exists()


def test_distinct_tenants_count_each_person_once_and_follow_every_change(tenant_rep, association, levis):
    people = [person_of(association, n) for n in range(4)]
    first = planned(tenant_rep, association, counted=(5, 0, 0))
    second = planned(tenant_rep, association, title="Deuxième (test)", starts_at="2015-11-05T10:00", ends_at="")
    for p in people[:3]:
        activity_attendee_add(actor=tenant_rep, activity_id=first.pk, person_id=p.pk, consent=True)
    for p in people[1:]:
        activity_attendee_add(actor=tenant_rep, activity_id=second.pk, person_id=p.pk, consent=True,
                              is_tenant=p != people[3])
    mrc = territory_get("310")
    assert participation(mrc, 2015)["distinct_tenants"] == 3
    assert participation(mrc, 2015)["attendance_total"] == 5 + 3 + 3
    activity_attendee_remove(actor=tenant_rep, activity_id=first.pk, person_id=people[0].pk)
    assert participation(mrc, 2015)["distinct_tenants"] == 2
    second = Activity.objects.get(pk=second.pk)
    activity_update(actor=tenant_rep, activity_id=second.pk, version=second.version,
                    data=activity_data(association, municipality="25213", starts_at="2016-02-01T10:00", ends_at=""))
    assert participation(mrc, 2015)["distinct_tenants"] == 2
    assert participation(territory_get("25213"), 2016)["distinct_tenants"] == 2
    activity_cancel(actor=tenant_rep, activity_id=first.pk)
    assert participation(mrc, 2015)["distinct_tenants"] == 0
    assert participation_kept() == participation_recount()
    thetford_ids = list(Municipality.objects.filter(mrc__code="310").values_list("pk", flat=True))
    assert distinct_tenants_recount(thetford_ids, 2015) == 0
    assert distinct_tenants_recount([levis.pk], 2016) == 2


def test_meetings_held_count_the_territory_groups_held_meetings_of_the_year(thetford):
    mrc = Mrc.objects.select_related("region").get(code="310")
    group = Group.objects.create(name="Table (test)", kind="local_table", region=mrc.region, mrc=mrc)
    at = timezone.make_aware(datetime.datetime(2015, 5, 1, 13, 30))
    for state in ("held", "held", "convened", "cancelled"):
        Meeting.objects.create(group=group, title="Rencontre (test)", state=state, starts_at=at)
    Meeting.objects.create(group=group, title="Rencontre (test)", state="held", starts_at=at.replace(year=2016))
    assert participation(territory_get("310"), 2015)["meetings_held"] == 2
    assert participation(territory_get("12"), 2015)["meetings_held"] == 2
    assert participation(territory_get("31084"), 2015)["meetings_held"] == 0
