"""The tenants' public pages: a place's groups, how to join the association, activities, services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from toitcommun.collective.models import Group
from toitcommun.housing.models import Building
from toitcommun.territory.models import Mrc, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(demo):
    mrc = Mrc.objects.select_related("region").get(code="310")
    found = Group.objects.filter(kind="tenant_association", municipality__code="31084").first()
    return found or Group.objects.create(
        name="Association des locataires (test)", kind="tenant_association", region=mrc.region, mrc=mrc,
        municipality=Municipality.objects.get(code="31084"), contact="418 555-0142")


def test_a_visitor_sees_how_to_join_the_association_and_what_happened_without_login(client, association):
    response = client.get(reverse("collective:tenants", args=["31084"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert association.name.replace("'", "&#x27;") in text
    assert "Rejoindre l'association des locataires" in text
    assert "Lancement du Carré famille Saint-Maurice" in text  # the demo's activities are past: the latest
    assert "/repertoire/services/" in text


def test_the_building_page_names_its_place_and_english_is_available(client, association):
    building = Building.objects.get(name="Habitations Saint-Maurice")
    text = client.get(reverse("collective:tenants_building", args=[building.pk])).content.decode()
    assert "Chez nous, à Habitations Saint-Maurice" in text
    english = client.get(reverse("collective:tenants_building", args=[building.pk]),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Join the tenant association" in english


def test_unknown_places_answer_404(client, db):
    assert client.get(reverse("collective:tenants", args=["00000"])).status_code == 404
    assert client.get(reverse("collective:tenants_building", args=[10**6])).status_code == 404


def test_published_minutes_for_the_public_show_and_members_only_ones_do_not(client, association):
    import datetime

    from django.utils import timezone

    from toitcommun.collective.models import Meeting, Minutes

    at = timezone.make_aware(datetime.datetime(2015, 11, 4, 19, 0))
    public = Meeting.objects.create(group=association, title="Assemblée de fondation (test)", state="held",
                                    audience="public", starts_at=at)
    members = Meeting.objects.create(group=association, title="Conseil à huis clos (test)", state="held",
                                     audience="members", starts_at=at)
    for meeting in (public, members):
        Minutes.objects.create(meeting=meeting, state="published", text="Procès-verbal (test).",
                               in_camera_text="Secret (test).")
    text = client.get(reverse("collective:tenants", args=["31084"])).content.decode()
    assert "Assemblée de fondation (test)" in text
    assert "Conseil à huis clos" not in text and "Secret (test)" not in text
