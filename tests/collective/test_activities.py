"""Activities: plan, publish, cancel, count who came; the yearly tallies equal a recount."""

from __future__ import annotations

import pytest

from tests.collective.activity_factories import activity_data, planned
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, municipality
from toitcommun.access.models import AuditEvent, Role
from toitcommun.collective.activity_selectors import (
    activities_visible_to,
    activity_get,
    participation,
)
from toitcommun.collective.activity_services import (
    activity_attendance_count,
    activity_cancel,
    activity_create,
    activity_publish,
    activity_update,
    participation_kept,
    participation_recount,
)
from toitcommun.collective.models import Activity, ActivityState
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
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


def test_a_tenant_representative_plans_a_draft_that_only_organizers_see(tenant_rep, association, other_staff):
    activity = activity_create(actor=tenant_rep, data=activity_data(association))
    assert activity.state == ActivityState.DRAFT
    assert activity.created_by == tenant_rep
    assert list(activity.organizers.all()) == [association]
    assert AuditEvent.objects.filter(action="activity.create", object_id=str(activity.pk)).exists()
    with pytest.raises(NotFound):
        activity_get(None, activity.pk)
    with pytest.raises(NotFound):
        activity_get(other_staff, activity.pk)
    assert activity_get(tenant_rep, activity.pk) == activity


def test_nobody_may_organize_for_an_organization_not_theirs(office_staff, association):
    with pytest.raises(ValidationFailed) as refused:
        activity_create(actor=office_staff, data=activity_data(association))
    assert "organizers" in refused.value.errors
    assert not Activity.objects.exists()


def test_an_account_without_role_may_not_plan(nobody, association):
    with pytest.raises(PermissionRefused):
        activity_create(actor=nobody, data=activity_data(association))
    assert not Activity.objects.exists()


def test_bad_input_names_the_field_and_changes_nothing(tenant_rep, association):
    with pytest.raises(ValidationFailed) as refused:
        activity_create(actor=tenant_rep, data=activity_data(association, kind="bingo", ends_at="2015-10-22T10:00",
                                                             title=""))
    assert set(refused.value.errors) >= {"kind", "ends_at", "title"}
    assert not Activity.objects.exists()


def test_publishing_shows_it_to_everybody_and_counts_it(tenant_rep, association):
    activity = planned(tenant_rep, association, counted=(10, 2, 3))
    assert activity_get(None, activity.pk) == activity
    assert (activity.attendance_total, activity.tenants_attending) == (15, 10)
    figures = participation(territory_get("310"), 2015)
    assert figures["activities"] == 1
    assert figures["tenant_organized_activities"] == 1
    assert figures["attendance_total"] == 15
    assert participation(territory_get("12"), 2015)["activities"] == 1
    assert participation(territory_get("12"), 2016)["activities"] == 0
    assert participation(territory_get("05"), 2015)["activities"] == 0


def test_publishing_twice_is_refused(tenant_rep, association):
    activity = planned(tenant_rep, association)
    with pytest.raises(ValidationFailed):
        activity_publish(actor=tenant_rep, activity_id=activity.pk)


def test_someone_else_may_not_publish_or_count(tenant_rep, association, other_staff):
    activity = planned(tenant_rep, association, publish=False)
    with pytest.raises(NotFound):
        activity_publish(actor=other_staff, activity_id=activity.pk)
    activity_publish(actor=tenant_rep, activity_id=activity.pk)
    with pytest.raises(PermissionRefused):
        activity_attendance_count(actor=other_staff, activity_id=activity.pk,
                                  data={"counted_tenants": 9, "counted_children": 0, "counted_others": 0})
    activity.refresh_from_db()
    assert (activity.state, activity.counted_tenants) == (ActivityState.PUBLISHED, 0)


def test_counts_out_of_bounds_are_refused(tenant_rep, association):
    activity = planned(tenant_rep, association)
    with pytest.raises(ValidationFailed) as refused:
        activity_attendance_count(actor=tenant_rep, activity_id=activity.pk,
                                  data={"counted_tenants": -1, "counted_children": "x", "counted_others": 10**9})
    assert set(refused.value.errors) == {"counted_tenants", "counted_children", "counted_others"}


def test_an_update_raises_the_sequence_and_a_stale_one_is_a_conflict(tenant_rep, association):
    activity = planned(tenant_rep, association)
    sequence, version = activity.sequence, activity.version
    changed = activity_update(actor=tenant_rep, activity_id=activity.pk, version=version,
                              data=activity_data(association, title="Fête des voisins, reportée (test)",
                                                 starts_at="2015-10-30T18:00", ends_at=""))
    assert changed.sequence == sequence + 1
    with pytest.raises(VersionConflict):
        activity_update(actor=tenant_rep, activity_id=activity.pk, version=version,
                        data=activity_data(association))
    assert Activity.objects.get(pk=activity.pk).title == "Fête des voisins, reportée (test)"


def test_cancelling_keeps_it_visible_marked_and_uncounted(tenant_rep, association):
    activity = planned(tenant_rep, association, counted=(5, 0, 0))
    cancelled = activity_cancel(actor=tenant_rep, activity_id=activity.pk)
    assert cancelled.state == ActivityState.CANCELLED
    assert activity_get(None, activity.pk).state == ActivityState.CANCELLED
    assert participation(territory_get("31084"), 2015)["activities"] == 0


def test_members_only_activities_stay_with_their_organizers(tenant_rep, association):
    activity = planned(tenant_rep, association, is_public="")
    assert not activities_visible_to(None).filter(pk=activity.pk).exists()
    assert activities_visible_to(tenant_rep).filter(pk=activity.pk).exists()


def test_the_coordinator_of_the_region_sees_and_manages_drafts(tenant_rep, association, coordinator,
                                                                coordinator_elsewhere):
    activity = planned(tenant_rep, association, publish=False)
    with pytest.raises(NotFound):
        activity_publish(actor=coordinator_elsewhere, activity_id=activity.pk)
    activity_publish(actor=coordinator, activity_id=activity.pk)
    with pytest.raises(PermissionRefused):
        activity_cancel(actor=coordinator_elsewhere, activity_id=activity.pk)
    assert Activity.objects.get(pk=activity.pk).state == ActivityState.PUBLISHED


def test_kept_tallies_equal_a_recount_after_every_kind_of_change(tenant_rep, association, levis):
    a = planned(tenant_rep, association, counted=(10, 2, 1))
    b = planned(tenant_rep, association, counted=(3, 0, 0), organized_by_tenants="")
    c = planned(tenant_rep, association, publish=False)
    d = planned(tenant_rep, association, counted=(7, 0, 0), starts_at="2016-01-05T10:00", ends_at="")
    activity_cancel(actor=tenant_rep, activity_id=b.pk)
    activity_attendance_count(actor=tenant_rep, activity_id=a.pk,
                              data={"counted_tenants": 12, "counted_children": 0, "counted_others": 0})
    d = Activity.objects.get(pk=d.pk)
    activity_update(actor=tenant_rep, activity_id=d.pk, version=d.version,
                    data=activity_data(association, municipality="25213", starts_at="2015-12-31T20:00",
                                       ends_at="", organized_by_tenants=""))
    activity_publish(actor=tenant_rep, activity_id=c.pk)
    assert participation_kept() == participation_recount()
    assert participation(territory_get("12"), 2015) == {
        "activities": 3, "tenant_organized_activities": 2, "attendance_total": 19,
        "distinct_tenants": 0, "meetings_held": 0,
    }
    assert participation(territory_get("12"), 2016)["activities"] == 0
    assert municipality("25213").pk in {key[0] for key in participation_kept()}
