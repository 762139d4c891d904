"""Errors reported by the public: anyone, no account, from a service's page; those who keep the service close them."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests.directory.factories import DirectoryOrganizationFactory, ServiceFactory, serve
from toitcommun.access.models import AuditEvent
from toitcommun.directory.models import Correction, CorrectionState, ServiceStatus
from toitcommun.directory.public_reports import TooManyReports, error_report, error_report_close
from toitcommun.directory.selectors import correction_get
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed

CONTACT = "personne.fictive@exemple.org"


@pytest.fixture
def service(housing_office):
    provider = DirectoryOrganizationFactory(name="OMH de Thetford Mines (répertoire)", organization=housing_office)
    s = ServiceFactory(directory_organization=provider, name="Soutien aux locataires", description="Accueil.")
    serve(s, "31084", "Thetford Mines")
    return s


def report_url(service):
    return f"/repertoire/services/{service.pk}/signaler/"


def send(client, service, text="Le numéro de téléphone a changé.", contact="", **extra):
    return client.post(report_url(service), {"text": text, "contact": contact, "website": "", **extra})


# ---- sending -----------------------------------------------------------------------------

def test_the_service_page_offers_to_report_an_error(client, service):
    page = client.get(f"/repertoire/services/{service.pk}/").content.decode()
    assert f'href="{report_url(service)}"' in page

    form = client.get(report_url(service))
    assert form.status_code == 200
    assert 'name="website"' in form.content.decode() and 'class="trap" aria-hidden="true"' in form.content.decode()


def test_anyone_reports_an_error_without_an_account(client, service, caplog):
    caplog.set_level(logging.DEBUG)

    response = send(client, service, contact=f"  {CONTACT} ")

    assert response.status_code == 302 and response["Location"] == f"/repertoire/services/{service.pk}/"
    report = Correction.objects.get()
    assert (report.proposed_by, report.note, report.reporter_contact, report.state, report.values) == (
        None, "Le numéro de téléphone a changé.", CONTACT, CorrectionState.PENDING, {})
    assert report.from_public and len(report.reporter_key) == 64 and "127.0.0.1" not in report.reporter_key
    event = AuditEvent.objects.get(action="correction.report")
    assert event.actor is None and event.after["reporter_contact_given"] is True
    assert CONTACT not in json.dumps([event.before, event.after]) and "reporter_key" not in event.after
    assert CONTACT not in caplog.text
    assert "Merci" in client.get(response["Location"]).content.decode()


def test_a_phone_number_as_contact_is_kept_in_the_usual_form(client, service):
    send(client, service, contact="(418) 555-0142 poste 3")

    assert Correction.objects.get().reporter_contact == "418 555-0142 poste 3"


def test_the_spam_trap_thanks_and_keeps_nothing(client, service):
    events = AuditEvent.objects.count()

    response = send(client, service, website="https://spam.example.com/")

    assert response.status_code == 302
    assert not Correction.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("text", "contact", "field"), [
    ("", "", "text"),
    ("   ", "", "text"),
    ("x" * 1001, "", "text"),
    ("x" * 200_000, "", "text"),
    ("Le numéro a changé", "pas un contact", "contact"),
    ("Le numéro a changé", "nom@", "contact"),
    ("Le numéro a changé", "x" * 201, "contact"),
])
def test_bad_input_is_refused_kindly_and_nothing_is_kept(client, service, text, contact, field):
    response = send(client, service, text=text, contact=contact)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Correction.objects.exists()
    if len(text) < 2000:
        assert text.strip() in response.content.decode()  # what was typed is kept


@pytest.mark.parametrize(("text", "contact"), [("Le numéro\x00 a changé", ""), ("Le numéro a changé", "418\x00555")])
def test_null_characters_are_refused_before_the_page(client, service, text, contact):
    response = send(client, service, text=text, contact=contact)

    assert response.status_code == 400  # the site's request guard refuses them everywhere
    assert not Correction.objects.exists()


def test_each_address_sends_only_a_few_reports_an_hour(client, service, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 2
    assert send(client, service).status_code == 302
    assert send(client, service).status_code == 302

    refused = send(client, service)

    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert Correction.objects.count() == 2
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert send(elsewhere, service).status_code == 302


def test_a_report_needs_the_csrf_token(service):
    strict = Client(enforce_csrf_checks=True)

    assert send(strict, service).status_code == 403
    assert not Correction.objects.exists()


def test_a_retired_or_unknown_service_takes_no_report(client, service):
    service.status = ServiceStatus.DEFUNCT
    service.save()

    assert send(client, service).status_code == 410
    assert client.post("/repertoire/services/not-a-uuid/signaler/", {"text": "x"}).status_code == 404
    assert not Correction.objects.exists()
    with pytest.raises(NotFound):
        error_report(service_id=service.pk, text="Fermé ?", sender="192.0.2.1")


def test_the_service_refuses_too_many_and_null_characters(service, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 1
    with pytest.raises(ValidationFailed):
        error_report(service_id=service.pk, text="a\x00b", sender="192.0.2.1")
    error_report(service_id=service.pk, text="Le local a déménagé.", sender="192.0.2.1")

    with pytest.raises(TooManyReports):
        error_report(service_id=service.pk, text="Encore.", sender="192.0.2.1")


# ---- handling ----------------------------------------------------------------------------

@pytest.fixture
def report(service):
    return error_report(service_id=service.pk, text="Les heures ont changé.", contact=CONTACT, sender="192.0.2.1")


def test_a_report_waits_in_the_to_verify_view_with_its_service_for_those_who_keep_it(client, coordinator, report):
    client.force_login(coordinator)

    page = client.get("/repertoire/gestion/", {"to_verify": "1"}).content.decode()

    assert f'id="service-{report.service_id}"' in page
    assert f'id="report-{report.pk}"' in page and "Les heures ont changé." in page and CONTACT in page
    assert "Les heures ont changé." in client.get("/repertoire/gestion/corrections/").content.decode()


def test_others_see_neither_the_text_nor_the_contact(client, coordinator_elsewhere, report):
    client.force_login(coordinator_elsewhere)

    page = client.get("/repertoire/gestion/", {"to_verify": "1"}).content.decode()

    assert CONTACT not in page and "Les heures ont changé." not in page
    assert CONTACT not in client.get("/repertoire/gestion/corrections/").content.decode()


def test_the_public_cannot_read_a_report(client, report):
    assert client.get(f"/api/v1/directory/corrections/{report.pk}").status_code in (401, 404)
    with pytest.raises(NotFound):
        correction_get(report.pk, AnonymousUser())


@pytest.mark.parametrize(("outcome", "state", "action"), [
    ("fixed", CorrectionState.ACCEPTED, "correction.report_fixed"),
    ("not_an_error", CorrectionState.REFUSED, "correction.report_not_an_error"),
])
def test_closing_a_report_is_audited_without_the_contact(client, coordinator, report, outcome, state, action):
    client.force_login(coordinator)

    response = client.post(f"/repertoire/gestion/corrections/{report.pk}/fermer/",
                           {"outcome": outcome, "next": "to_verify"})

    assert response.status_code == 302 and response["Location"] == "/repertoire/gestion/?to_verify=1"
    report.refresh_from_db()
    assert (report.state, report.decided_by) == (state, coordinator)
    event = AuditEvent.objects.get(action=action)
    assert event.actor == coordinator and event.before["state"] == "pending" and event.after["state"] == state
    assert CONTACT not in json.dumps([event.before, event.after])
    assert f'id="report-{report.pk}"' not in client.get("/repertoire/gestion/", {"to_verify": "1"}).content.decode()


def test_somebody_who_may_not_change_the_service_cannot_close_it(client, coordinator_elsewhere, report):
    client.force_login(coordinator_elsewhere)

    response = client.post(f"/repertoire/gestion/corrections/{report.pk}/fermer/", {"outcome": "fixed"})

    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == CorrectionState.PENDING
    assert not AuditEvent.objects.filter(action__startswith="correction.report_").exists()
    with pytest.raises((PermissionRefused, NotFound)):
        error_report_close(actor=coordinator_elsewhere, correction_id=report.pk, fixed=True)


def test_a_closed_report_cannot_be_closed_again_and_a_bad_outcome_changes_nothing(coordinator, report, client):
    error_report_close(actor=coordinator, correction_id=report.pk, fixed=True)
    with pytest.raises(ValidationFailed):
        error_report_close(actor=coordinator, correction_id=report.pk, fixed=False)

    client.force_login(coordinator)
    client.post(f"/repertoire/gestion/corrections/{report.pk}/fermer/", {"outcome": "maybe"})
    report.refresh_from_db()
    assert report.state == CorrectionState.ACCEPTED
    assert AuditEvent.objects.filter(action__startswith="correction.report_").count() == 1
