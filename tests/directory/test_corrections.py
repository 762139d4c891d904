"""Corrections proposed by those who verify a service, decided by those who keep it."""

from __future__ import annotations

import pytest

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from toitcommun.access.models import AuditEvent, Role
from toitcommun.directory.models import Correction, CorrectionState, Phone, Service, ServiceStatus
from toitcommun.directory.selectors import (
    correction_get,
    corrections_proposed_by,
    corrections_to_decide,
)
from toitcommun.directory.services import (
    correction_accept,
    correction_propose,
    correction_refuse,
    correction_withdraw,
    service_update,
)
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict


@pytest.fixture
def provider(housing_office):
    return DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)


@pytest.fixture
def service(provider):
    """A service of the housing office, serving Thetford Mines (region 12), with a phone."""
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(s, "31084", "Thetford Mines")
    Phone.objects.create(service=s, number="418 555-0101", type="voice")
    return s


@pytest.fixture
def outside_worker(db):
    """A proximity worker of a community organization, not the provider."""
    org = OrganizationFactory(name="Réseaux d'entraide (test)", kind="community_organization")
    return RoleFactory(user=UserFactory(username="tp-entraide"), role=Role.WORKER, organization=org).user


def propose(actor, service, **data):
    note = data.pop("note", "")
    return correction_propose(actor=actor, service_id=service.pk, version=service.version, data=data, note=note)


# --- happy paths ---------------------------------------------------------------------------------

def test_a_worker_proposes_a_new_phone_and_only_the_changed_field_is_kept(office_worker, service):
    correction = propose(office_worker, service, phone="418 555-0199", name="Soutien aux locataires",
                         note="Le numéro a changé.")

    assert (correction.state, correction.values, correction.base) == (
        CorrectionState.PENDING, {"phone": "418 555-0199"}, {"phone": "418 555-0101"})
    assert (correction.base_version, correction.note, correction.proposed_by) == (1, "Le numéro a changé.",
                                                                                 office_worker)
    assert Service.objects.get(pk=service.pk).phones.get().number == "418 555-0101"  # nothing applied yet
    assert AuditEvent.objects.filter(action="correction.propose", object_id=str(correction.pk)).count() == 1


def test_staff_accept_a_proposal_through_the_service_update(office_worker, office_staff, service):
    correction = propose(office_worker, service, phone="418 555-0199", hours="LU-VE 09:00-16:00")

    accepted = correction_accept(actor=office_staff, correction_id=correction.pk, version=service.version)

    stored = Service.objects.get(pk=service.pk)
    assert (accepted.state, accepted.decided_by, accepted.applied_fields) == (
        CorrectionState.ACCEPTED, office_staff, ["phone", "hours"])
    assert accepted.decided_at is not None
    assert (stored.version, stored.phones.get().number, stored.schedules.count()) == (2, "418 555-0199", 1)
    assert list(AuditEvent.objects.filter(action__in=["service.update", "correction.accept"])
                .order_by("pk").values_list("action", flat=True)) == ["service.update", "correction.accept"]


def test_a_proposal_on_an_older_version_is_accepted_field_by_field(office_worker, coordinator, office_staff, service):
    correction = propose(office_worker, service, phone="418 555-0199", name="Soutien locatif")
    service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Soutien communautaire"})

    correction_accept(actor=coordinator, correction_id=correction.pk, version=2, fields=["phone"])

    stored = Service.objects.get(pk=service.pk)
    assert (stored.name, stored.phones.get().number, stored.version) == ("Soutien communautaire", "418 555-0199", 3)
    assert Correction.objects.get(pk=correction.pk).applied_fields == ["phone"]


def test_staff_refuse_with_a_reason_and_the_worker_reads_it(office_worker, office_staff, service):
    correction = propose(office_worker, service, name="Autre nom")

    correction_refuse(actor=office_staff, correction_id=correction.pk, reason="  Le nom officiel est  le bon. ")

    mine = list(corrections_proposed_by(office_worker))
    assert [(c.state, c.reason, c.decided_by) for c in mine] == [
        (CorrectionState.REFUSED, "Le nom officiel est le bon.", office_staff)]
    assert Service.objects.get(pk=service.pk).name == "Soutien aux locataires"
    assert AuditEvent.objects.filter(action="correction.refuse").count() == 1


def test_the_author_withdraws_a_waiting_proposal(office_worker, service):
    correction = propose(office_worker, service, note="Fermé l'été ?")

    correction_withdraw(actor=office_worker, correction_id=correction.pk)

    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.WITHDRAWN
    assert AuditEvent.objects.filter(action="correction.withdraw").count() == 1


def test_a_note_alone_is_a_proposal_and_accepting_it_changes_nothing(office_worker, office_staff, service):
    correction = propose(office_worker, service, note="Le service ferme en juillet.")
    assert correction.values == {}

    correction_accept(actor=office_staff, correction_id=correction.pk, version=1)

    assert Service.objects.get(pk=service.pk).version == 1
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.ACCEPTED


def test_those_who_decide_see_the_pending_proposals_of_their_services_only(
        office_worker, office_staff, other_staff, coordinator, coordinator_elsewhere, service):
    waiting = propose(office_worker, service, name="Nouveau nom")
    refused = propose(office_worker, service, name="Autre")
    correction_refuse(actor=office_staff, correction_id=refused.pk, reason="Non.")

    assert corrections_to_decide(office_staff) == [waiting]
    assert corrections_to_decide(coordinator) == [waiting]
    assert corrections_to_decide(other_staff) == []
    assert corrections_to_decide(coordinator_elsewhere) == []
    assert corrections_to_decide(office_worker) == []


# --- who may -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, may", [
    ("office_worker", True),       # verifies the service, does not change it
    ("outside_worker", True),      # a worker elsewhere who knows the number changed
    ("office_staff", False),       # changes it directly
    ("other_staff", False),
    ("coordinator", False),        # changes it directly
    ("coordinator_elsewhere", False),
    ("researcher", False),
    ("nobody", False),
])
def test_who_may_propose(request, service, who, may):
    actor = request.getfixturevalue(who)
    if may:
        assert propose(actor, service, name="Nouveau nom").values == {"name": "Nouveau nom"}
    else:
        with pytest.raises(PermissionRefused):
            propose(actor, service, name="Nouveau nom")
        assert Correction.objects.count() == 0


def test_anonymous_may_not_propose(service):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionRefused):
        propose(AnonymousUser(), service, name="x")
    assert Correction.objects.count() == 0


@pytest.mark.parametrize("who, may", [
    ("office_staff", True), ("coordinator", True), ("admin_user", True),
    ("other_staff", False), ("coordinator_elsewhere", False), ("outside_worker", False),
])
def test_who_may_accept_or_refuse(request, office_worker, service, who, may):
    correction = propose(office_worker, service, name="Nouveau nom")
    actor = request.getfixturevalue(who)
    if may:
        correction_accept(actor=actor, correction_id=correction.pk, version=1)
        assert Service.objects.get(pk=service.pk).name == "Nouveau nom"
        return
    # Somebody who may not decide it does not see it either.
    with pytest.raises(NotFound):
        correction_accept(actor=actor, correction_id=correction.pk, version=1)
    with pytest.raises(NotFound):
        correction_refuse(actor=actor, correction_id=correction.pk, reason="Non.")
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.PENDING
    assert Service.objects.get(pk=service.pk).name == "Soutien aux locataires"


def test_the_author_may_not_accept_their_own_proposal_and_others_may_not_withdraw_it(
        office_worker, outside_worker, office_staff, service):
    correction = propose(office_worker, service, name="Nouveau nom")
    with pytest.raises(PermissionRefused):
        correction_accept(actor=office_worker, correction_id=correction.pk, version=1)
    with pytest.raises(PermissionRefused):
        correction_withdraw(actor=office_staff, correction_id=correction.pk)
    with pytest.raises(NotFound):
        correction_get(correction.pk, outside_worker)
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.PENDING


# --- bad input -----------------------------------------------------------------------------------

def test_an_unknown_field_is_refused_by_name(office_worker, service):
    with pytest.raises(ValidationFailed) as refusal:
        propose(office_worker, service, colour="rouge")
    assert refusal.value.errors == {"colour": ["Champ inconnu : « colour » ne se corrige pas ici."]}
    assert Correction.objects.count() == 0


def test_a_change_of_provider_is_not_a_correction(office_worker, service):
    other = DirectoryOrganizationFactory(name="Autre", organization=OrganizationFactory())
    with pytest.raises(ValidationFailed) as refusal:
        propose(office_worker, service, directory_organization=str(other.pk))
    assert list(refusal.value.errors) == ["directory_organization"]


def test_a_bad_value_is_refused_as_on_the_edit_page(office_worker, service):
    with pytest.raises(ValidationFailed) as refusal:
        propose(office_worker, service, phone="12")
    assert list(refusal.value.errors) == ["phone"]
    assert Correction.objects.count() == 0


def test_a_proposal_made_on_a_stale_version_is_refused(office_worker, office_staff, service):
    service_update(actor=office_staff, service_id=service.pk, version=1, data={"name": "Soutien communautaire"})
    with pytest.raises(VersionConflict) as stale:
        correction_propose(actor=office_worker, service_id=service.pk, version=1, data={"phone": "418 555-0199"})
    assert stale.value.current_version == 2
    assert Correction.objects.count() == 0


def test_nothing_changed_and_no_note_is_refused(office_worker, service):
    with pytest.raises(ValidationFailed) as refusal:
        propose(office_worker, service, name="Soutien aux locataires", phone="(418) 555-0101")
    assert list(refusal.value.errors) == ["__all__"]


def test_a_retired_service_takes_no_proposal(office_worker, service):
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
    with pytest.raises(ValidationFailed) as refusal:
        propose(office_worker, service, name="x")
    assert refusal.value.errors == {"status": ["Ce service est retiré : on ne propose plus de correction."]}


def test_accepting_on_a_stale_version_or_twice_is_refused(office_worker, office_staff, service):
    correction = propose(office_worker, service, name="Nouveau nom")
    service_update(actor=office_staff, service_id=service.pk, version=1, data={"alert": "Fermé lundi"})
    with pytest.raises(VersionConflict):
        correction_accept(actor=office_staff, correction_id=correction.pk, version=1)
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.PENDING

    correction_accept(actor=office_staff, correction_id=correction.pk, version=2)
    with pytest.raises(ValidationFailed) as refusal:
        correction_refuse(actor=office_staff, correction_id=correction.pk, reason="Trop tard.")
    assert refusal.value.errors == {"state": ["Cette proposition n'est plus en attente : elle est « Acceptée »."]}


def test_accepting_a_field_the_proposal_does_not_hold_or_none_is_refused(office_worker, office_staff, service):
    correction = propose(office_worker, service, name="Nouveau nom")
    for fields in (["phone"], []):
        with pytest.raises(ValidationFailed) as refusal:
            correction_accept(actor=office_staff, correction_id=correction.pk, version=1, fields=fields)
        assert list(refusal.value.errors) == ["fields"]
    with pytest.raises(ValidationFailed) as refusal:
        correction_refuse(actor=office_staff, correction_id=correction.pk, reason="   ")
    assert list(refusal.value.errors) == ["reason"]
    assert Correction.objects.get(pk=correction.pk).state == CorrectionState.PENDING


def test_the_audit_log_reads_each_act_on_a_proposal_as_a_sentence(office_worker, office_staff, service):
    from toitcommun.access.reading import readable

    first = propose(office_worker, service, name="Nouveau nom")
    correction_accept(actor=office_staff, correction_id=first.pk, version=1)
    second = propose(office_worker, Service.objects.get(pk=service.pk), note="Fermé l'été ?")
    correction_withdraw(actor=office_worker, correction_id=second.pk)

    events = AuditEvent.objects.filter(action__startswith="correction.").order_by("pk")
    worker, staff = office_worker.get_full_name(), office_staff.get_full_name()
    assert [e.sentence for e in readable(list(events))] == [
        f"{worker} a proposé une correction au service « Soutien aux locataires »",
        f"{staff} a accepté une correction du service « Nouveau nom »",
        f"{worker} a proposé une correction au service « Nouveau nom »",
        f"{worker} a retiré sa correction du service « Nouveau nom »",
    ]
