"""Photos of an activity: only pictures, only small ones, only with consent; served to who sees the activity."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.collective.activity_factories import planned
from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import Role
from toitcommun.collective.activity_services import activity_photo_add
from toitcommun.collective.models import ActivityPhoto
from toitcommun.errors import PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def association(thetford):
    return OrganizationFactory(name="Association des locataires (test)", kind="tenant_association",
                               municipality=thetford)


@pytest.fixture
def tenant_rep(association):
    return RoleFactory(user=UserFactory(username="rep-tm"), role=Role.TENANT_REPRESENTATIVE,
                       organization=association).user


def photo(content: bytes = PNG, name: str = "fete.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_an_organizer_adds_a_photo_that_visitors_see_with_the_activity(client, tenant_rep, association):
    activity = planned(tenant_rep, association)
    added = activity_photo_add(actor=tenant_rep, activity_id=activity.pk, upload=photo(), caption="La fête",
                               consent=True)
    response = client.get(reverse("collective:activity_photo", args=[activity.pk, added.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == PNG and response["X-Content-Type-Options"] == "nosniff"
    assert "La fête" in client.get(reverse("collective:activity", args=[activity.pk])).content.decode()


def test_a_draft_activity_photo_answers_404_to_others(client, tenant_rep, association, other_staff):
    draft = planned(tenant_rep, association, publish=False)
    added = activity_photo_add(actor=tenant_rep, activity_id=draft.pk, upload=photo(), consent=True)
    url = reverse("collective:activity_photo", args=[draft.pk, added.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_staff)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("content, consent, field", [
    (b"GIF89a" + b"\x00" * 10, True, "photo"),
    (b"<script>alert(1)</script>", True, "photo"),
    (PNG, False, "consent"),
])
def test_what_is_not_a_photo_or_lacks_consent_is_refused(tenant_rep, association, content, consent, field):
    activity = planned(tenant_rep, association)
    with pytest.raises(ValidationFailed) as refused:
        activity_photo_add(actor=tenant_rep, activity_id=activity.pk, upload=photo(content), consent=consent)
    assert field in refused.value.errors
    assert not ActivityPhoto.objects.exists()


def test_someone_else_may_not_add_a_photo(tenant_rep, association, other_staff):
    activity = planned(tenant_rep, association)
    with pytest.raises(PermissionRefused):
        activity_photo_add(actor=other_staff, activity_id=activity.pk, upload=photo(), consent=True)
    assert not ActivityPhoto.objects.exists()


def test_the_page_adds_and_removes_a_photo_and_refuses_a_large_one_unread(client, tenant_rep, association):
    activity = planned(tenant_rep, association)
    client.force_login(tenant_rep)
    assert client.get(reverse("collective:activity_photo_add", args=[activity.pk])).status_code == 200
    response = client.post(reverse("collective:activity_photo_add", args=[activity.pk]),
                           {"photo": photo(), "caption": "Épluchette", "consent": "on"})
    assert response.status_code == 302
    added = ActivityPhoto.objects.get()
    refused = client.post(reverse("collective:activity_photo_add", args=[activity.pk]),
                          {"photo": photo(PNG + b"\x00" * (3 * 1024 * 1024)), "consent": "on"})
    assert refused.status_code == 413
    client.post(reverse("collective:activity_photo_remove", args=[activity.pk, added.pk]))
    assert not ActivityPhoto.objects.exists()
