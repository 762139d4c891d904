"""A signed consent form's scan: attached later, content-sniffed, size-limited, shown only to who sees the consent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people.world import consent
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.people.models import AccessLogEntry, ConsentScan
from toitcommun.people.selectors import consent_scan_get
from toitcommun.people.services import consent_scan_attach

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(data: bytes, name: str = "formulaire.pdf", kind: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def test_the_holder_attaches_the_scan_once_and_the_audit_keeps_no_content(world):
    given = consent(world)
    scan = consent_scan_attach(actor=world.office_worker, consent_id=given.pk, upload=upload(PNG, "scan.png"))
    assert (scan.content_type, scan.size, bytes(scan.data)) == ("image/png", len(PNG), PNG)
    event = AuditEvent.objects.get(action="consent.scan_attach")
    assert event.after == {"scan": scan.pk, "content_type": "image/png", "size": len(PNG)}
    with pytest.raises(ValidationFailed):
        consent_scan_attach(actor=world.office_worker, consent_id=given.pk, upload=upload(PDF))
    assert ConsentScan.objects.count() == 1


@pytest.mark.parametrize("data", [b"MZ\x90\x00 not a form", b"<html><script>alert(1)</script>", b""])
def test_a_file_that_is_not_a_pdf_jpeg_or_png_is_refused_whatever_its_name(world, data):
    given = consent(world)
    with pytest.raises(ValidationFailed) as refused:
        consent_scan_attach(actor=world.office_worker, consent_id=given.pk,
                            upload=upload(data, "formulaire.pdf", "application/pdf"))
    assert "PDF, JPEG ou PNG" in str(refused.value.errors["scan"])
    assert not ConsentScan.objects.exists()


def test_a_file_too_large_is_refused(world, settings):
    settings.CONSENT_SCAN_MAX_BYTES = 1024
    given = consent(world)
    with pytest.raises(ValidationFailed) as refused:
        consent_scan_attach(actor=world.office_worker, consent_id=given.pk, upload=upload(PDF + b"0" * 2048))
    assert "Mo" in str(refused.value.errors["scan"])


def test_a_partner_cannot_attach_and_sees_the_scan_only_while_the_consent_stands(world):
    given = consent(world)
    with pytest.raises(NotFound):
        consent_scan_attach(actor=world.outsider_worker, consent_id=given.pk, upload=upload(PDF))
    with pytest.raises(NotFound):
        consent_scan_attach(actor=world.entraide_worker, consent_id=given.pk, upload=upload(PDF))
    consent_scan_attach(actor=world.office_worker, consent_id=given.pk, upload=upload(PDF))
    before = AccessLogEntry.objects.count()
    _consent, scan = consent_scan_get(world.entraide_worker, given.pk)
    assert bytes(scan.data) == PDF
    assert AccessLogEntry.objects.filter(pk__gt=0).order_by("-id").first().record_type == "consent_scan"
    assert AccessLogEntry.objects.count() == before + 2  # the consent, and its scan
    for outsider in (world.outsider_worker, world.researcher, world.admin_without_org):
        with pytest.raises(NotFound):
            consent_scan_get(outsider, given.pk)


def test_the_pages_upload_serve_and_refuse(world, client):
    given = consent(world)
    client.force_login(world.office_worker)
    form = client.get(f"/personnes/consentements/{given.pk}/formulaire-signe/")
    assert form.status_code == 200
    bad = client.post(f"/personnes/consentements/{given.pk}/formulaire-signe/",
                      {"scan": upload(b"GIF89a not allowed", "scan.png", "image/png")})
    assert bad.status_code == 400 and "PDF, JPEG ou PNG" in bad.content.decode()
    done = client.post(f"/personnes/consentements/{given.pk}/formulaire-signe/", {"scan": upload(PDF)})
    assert done.status_code == 302
    printed = client.get(f"/personnes/consentements/{given.pk}/")
    assert f"/personnes/consentements/{given.pk}/formulaire-signe/fichier/" in printed.content.decode()
    served = client.get(f"/personnes/consentements/{given.pk}/formulaire-signe/fichier/")
    assert served.status_code == 200 and served.content == PDF
    assert served["Content-Type"] == "application/pdf" and served["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(served["Cache-Control"].replace(" ", "").split(","))
    client.force_login(world.outsider_worker)
    assert client.get(f"/personnes/consentements/{given.pk}/formulaire-signe/fichier/").status_code == 404
    assert client.post(f"/personnes/consentements/{given.pk}/formulaire-signe/",
                       {"scan": upload(PDF)}).status_code == 404
