"""The confidentiality-incident register: the privacy officer's own, edited with an audit, never deleted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import RoleFactory, UserFactory, api_token_for
from toitcommun.access.models import AuditEvent, Role
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
from toitcommun.people.incidents import incident_get, incident_record, incident_update, incidents_of
from toitcommun.people.models import ConfidentialityIncident
from toitcommun.people.models_duties import RecordIsKept

pytestmark = pytest.mark.django_db


def officer_of(organization: Any, username: str = "rprp-incidents") -> Any:
    return RoleFactory(user=UserFactory(username=username), role=Role.PRIVACY_OFFICER,
                       organization=organization).user


def fields(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"occurred_on": today - datetime.timedelta(days=10), "learned_on": today - datetime.timedelta(days=8),
            "categories": ["identity", "notes"], "information_description": "Noms et notes de suivi",
            "circumstances": "Courriel envoyé au mauvais destinataire", "persons_affected": 3,
            "injury_risk": "serious", "risk_assessment": "Notes sensibles", "measures": "Rappel du courriel",
            **changes}


def test_the_officer_enters_an_incident_and_edits_it_with_an_audit_that_keeps_no_text(world):
    officer = officer_of(world.office)
    incident = incident_record(actor=officer, **fields())
    assert (incident.organization_id, incident.categories, incident.version) == (world.office.pk,
                                                                                ["identity", "notes"], 1)
    notified = timezone.localdate() - datetime.timedelta(days=5)
    edited = incident_update(actor=officer, incident_id=incident.pk, version=1,
                             **fields(commission_notified_on=notified, persons_notified_on=notified,
                                      measures="Rappel du courriel; atelier donné"))
    assert (edited.version, edited.commission_notified_on) == (2, notified)
    event = AuditEvent.objects.get(action="incident.update")
    assert event.before["commission_notified_on"] is None and event.after["commission_notified_on"] == str(notified)
    assert event.after["texts_changed"] == ["measures"]
    assert "atelier" not in str(event.before) + str(event.after) + event.object_label
    assert AuditEvent.objects.filter(action="incident.record").count() == 1


def test_a_stale_edit_is_a_conflict_and_bad_input_is_refused(world):
    officer = officer_of(world.office)
    incident = incident_record(actor=officer, **fields())
    incident_update(actor=officer, incident_id=incident.pk, version=1, **fields(persons_affected=4))
    with pytest.raises(VersionConflict):
        incident_update(actor=officer, incident_id=incident.pk, version=1, **fields(persons_affected=5))
    assert ConfidentialityIncident.objects.get(pk=incident.pk).persons_affected == 4
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        incident_record(actor=officer, **fields(learned_on=today - datetime.timedelta(days=20), categories=[],
                                                persons_affected=-1, injury_risk="maybe"))
    assert set(refused.value.errors) >= {"learned_on", "categories", "persons_affected", "injury_risk"}
    with pytest.raises(ValidationFailed):
        incident_record(actor=officer, **fields(occurred_on=today + datetime.timedelta(days=3)))
    assert ConfidentialityIncident.objects.count() == 1


def test_an_incident_is_never_deleted(world):
    incident = incident_record(actor=officer_of(world.office), **fields())
    with pytest.raises(RecordIsKept):
        incident.delete()
    with pytest.raises(RecordIsKept):
        ConfidentialityIncident.objects.all().delete()
    assert ConfidentialityIncident.objects.count() == 1


@pytest.mark.parametrize("who", ["office_worker", "office_staff", "admin_of_office", "admin_without_org",
                                 "researcher", "entraide_worker", "nobody"])
def test_nobody_but_the_officer_keeps_the_register(world, who):
    incident = incident_record(actor=officer_of(world.office), **fields())
    user = getattr(world, who)
    with pytest.raises(PermissionRefused):
        incident_record(actor=user, **fields())
    with pytest.raises(PermissionRefused):
        incidents_of(user)
    with pytest.raises(NotFound):
        incident_get(user, incident.pk)


def test_another_organizations_officer_never_sees_it(world):
    incident = incident_record(actor=officer_of(world.office), **fields())
    other = officer_of(world.outsider, "rprp-ailleurs")
    assert list(incidents_of(other)) == []
    with pytest.raises(NotFound):
        incident_get(other, incident.pk)
    with pytest.raises((NotFound, PermissionRefused)):
        incident_update(actor=other, incident_id=incident.pk, version=1, **fields(persons_affected=99))
    assert ConfidentialityIncident.objects.get(pk=incident.pk).persons_affected == 3


def test_the_pages_list_create_and_edit_and_keep_what_was_typed(world, client, django_assert_max_num_queries):
    officer = officer_of(world.office)
    for _ in range(3):
        incident_record(actor=officer, **fields())
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        listing = client.get("/personnes/incidents/")
    assert listing.status_code == 200 and "Registre des incidents" in listing.content.decode()
    today = timezone.localdate()
    form = {"occurred_on": str(today - datetime.timedelta(days=2)), "learned_on": str(today),
            "categories": ["housing"], "information_description": "Adresses", "circumstances": "Dossier égaré",
            "persons_affected": "2", "injury_risk": "not_serious"}
    created = client.post("/personnes/incidents/nouveau/", form)
    assert created.status_code == 302
    incident = ConfidentialityIncident.objects.order_by("-id").first()
    assert incident.housing and incident.persons_affected == 2
    bad = client.post("/personnes/incidents/nouveau/", form | {"persons_affected": "beaucoup",
                                                                "learned_on": "2026-13-45"})
    assert bad.status_code == 200 and "Dossier égaré" in bad.content.decode()
    assert ConfidentialityIncident.objects.count() == 4
    edited = client.post(f"/personnes/incidents/{incident.pk}/", form | {"version": "1", "persons_affected": "7"})
    assert edited.status_code == 302
    assert ConfidentialityIncident.objects.get(pk=incident.pk).persons_affected == 7
    stale = client.post(f"/personnes/incidents/{incident.pk}/", form | {"version": "1", "persons_affected": "9"})
    assert stale.status_code == 200 and "Quelqu" in stale.content.decode()
    client.force_login(officer_of(world.outsider, "rprp-ailleurs"))
    assert client.get(f"/personnes/incidents/{incident.pk}/").status_code == 404
    client.force_login(world.office_worker)
    assert client.get("/personnes/incidents/").status_code == 403


def test_the_api_lists_creates_and_edits_for_the_officer_only(world, client):
    officer = officer_of(world.office)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(officer)}"}
    today = timezone.localdate()
    body = {"occurred_on": str(today - datetime.timedelta(days=3)), "learned_on": str(today),
            "categories": ["identity"], "information_description": "Noms", "circumstances": "Perte d'une clé USB",
            "persons_affected": 10, "persons_affected_estimated": True, "injury_risk": "assessing"}
    created = client.post("/api/v1/incidents", body, content_type="application/json", **auth)
    assert created.status_code == 201
    incident_id = created.json()["id"]
    assert client.get("/api/v1/incidents", **auth).json()["count"] == 1
    edited = client.put(f"/api/v1/incidents/{incident_id}", body | {"version": 1, "injury_risk": "serious"},
                        content_type="application/json", **auth)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.put(f"/api/v1/incidents/{incident_id}", body | {"version": 1}, content_type="application/json",
                       **auth)
    assert stale.status_code == 409
    assert client.post("/api/v1/incidents", body | {"persons_affected": -2}, content_type="application/json",
                       **auth).status_code == 422
    other = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(officer_of(world.outsider, 'rprp-ailleurs'))}"}
    assert client.get(f"/api/v1/incidents/{incident_id}", **other).status_code == 404
    worker = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(world.office_worker)}"}
    assert client.get("/api/v1/incidents", **worker).status_code == 404
    assert client.get(f"/api/v1/incidents/{incident_id}", **worker).status_code == 404
