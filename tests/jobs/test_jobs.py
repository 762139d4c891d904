"""Long imports and exports run as background jobs whose page shows a progress bar, then the outcome."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from tests.housing.import_files import housing_csv
from toitcommun.errors import PermissionRefused
from toitcommun.housing.jobs import housing_import_start
from toitcommun.housing.models import Building, UnitGroup
from toitcommun.jobs import progress
from toitcommun.jobs.models import Job, JobStatus
from toitcommun.jobs.selectors import job_percent
from toitcommun.jobs.services import HANDLERS

CODES = ["31084", "25213"]


def upload(content: bytes, name: str = "parc.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_large_import_is_a_job_whose_page_shows_it_done(client, admin_user):
    client.force_login(admin_user)
    content = housing_csv(120, CODES)
    assert len(content) > 2000  # past the background threshold set for the tests

    response = client.post("/logement/importer/", {"file": upload(content)})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/travaux/{job.pk}/"
    assert (job.status, job.percent, job.input_data) == (JobStatus.DONE, 100, None)
    assert UnitGroup.objects.count() == 120 and Building.objects.count() == 30
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page and "100 %" in page
    assert "Import terminé : parc.csv." in page and "Groupes de logements : 120 créés, 0 mis à jour" in page
    assert "hx-trigger" not in page  # finished: the page stops asking


def test_htmx_upload_is_sent_to_the_job_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/logement/importer/", {"file": upload(housing_csv(60, CODES))}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/travaux/{Job.objects.get().pk}/"


def test_a_small_import_stays_on_the_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/logement/importer/", {"file": upload(housing_csv(4, CODES))})
    assert response.status_code == 200 and "Import terminé" in response.content.decode()
    assert not Job.objects.exists()


def test_a_refused_file_fails_the_job_listing_its_errors_and_imports_nothing(client, admin_user):
    client.force_login(admin_user)
    content = housing_csv(60, CODES).replace(b";31084;", b";99999;")
    response = client.post("/logement/importer/", {"file": upload(content)})

    job = Job.objects.get()
    count = job.outcome["error_count"]
    assert job.status == JobStatus.FAILED and count >= 30  # each unknown municipality, at least
    assert not Building.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Rien n&#x27;a été importé : {count} erreurs dans le fichier." in page
    assert 'role="alert"' in page and "<td class=\"num\">2</td>" in page


def test_someone_who_may_not_import_starts_no_job(client, office_worker):
    with pytest.raises(PermissionRefused):
        housing_import_start(actor=office_worker, file_name="parc.csv", content=housing_csv(60, CODES))
    client.force_login(office_worker)
    assert client.post("/logement/importer/", {"file": upload(housing_csv(60, CODES))}).status_code == 403
    assert not Job.objects.exists() and not Building.objects.exists()


def test_a_job_is_seen_by_whoever_started_it_only(client, admin_user, coordinator):
    job = housing_import_start(actor=admin_user, file_name="parc.csv", content=housing_csv(8, CODES))
    client.force_login(coordinator)
    assert client.get(f"/travaux/{job.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/travaux/{job.pk}/").status_code == 404
    assert client.get("/travaux/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/travaux/pas-un-uuid/").status_code == 404


def test_an_unexpected_error_fails_the_job_in_plain_french_and_changes_nothing(client, admin_user, monkeypatch):
    monkeypatch.setitem(HANDLERS, "housing_import", "tests.jobs.test_jobs.broken_handler")
    job = housing_import_start(actor=admin_user, file_name="parc.csv", content=housing_csv(8, CODES))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.failure.startswith("Le travail s'est arrêté sur une erreur imprévue ; rien n'a été modifié.")
    client.force_login(admin_user)
    assert "erreur imprévue" in client.get(f"/travaux/{job.pk}/").content.decode()
    assert not Building.objects.exists()


def broken_handler(job, report):
    report(0.5)
    raise RuntimeError("boom")


def test_a_running_job_shows_what_its_worker_published(client, admin_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, never run
    job = housing_import_start(actor=admin_user, file_name="parc.csv", content=housing_csv(8, CODES))
    assert job_percent(job) == 0
    report = progress.reporter(str(job.pk))
    report(0.42)
    assert job_percent(job) == 42
    client.force_login(admin_user)
    fragment = client.get(f"/travaux/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert 'aria-valuenow="42"' in fragment and "42 %" in fragment and 'hx-trigger="every 1s"' in fragment


def test_import_progress_goes_forward_to_the_end(admin_user):
    from toitcommun.housing.imports import housing_import

    seen: list[float] = []
    housing_import(actor=admin_user, file_name="parc.csv", content=housing_csv(200, CODES), progress=seen.append)
    assert seen == sorted(seen) and seen[0] < 0.1 and seen[-1] == pytest.approx(1.0, abs=0.01)


def test_a_region_export_is_a_job_with_a_file_to_download(client, demo):
    response = client.post("/logement/disponibles/12/export/?date=2016-01-01")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/travaux/{job.pk}/"
    assert job.owner is None and job.status == JobStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert "Le fichier est prêt : 19 lignes." in page
    download = client.get(f"/travaux/{job.pk}/fichier/")
    assert download["Content-Disposition"] == 'attachment; filename="logements-disponibles-12-2016-01-01.xlsx"'
    sheet = load_workbook(io.BytesIO(download.content))["Disponibles"]
    assert sheet.max_row == 1 + 19
    csv_lines = client.get("/logement/disponibles/12/", {"date": "2016-01-01", "format": "csv"})
    assert isinstance(csv_lines, StreamingHttpResponse)
    assert len(csv_lines.getvalue().decode("utf-8-sig").strip().splitlines()) == 1 + 19


def test_the_region_page_offers_the_export_as_a_job(client, demo):
    page = client.get("/logement/disponibles/12/").content.decode()
    assert 'action="/logement/disponibles/12/export/"' in page
    assert client.get("/logement/disponibles/12/export/").status_code == 405
    assert client.post("/logement/disponibles/00000/export/").status_code == 404
    assert not Job.objects.exists()


def test_an_unfinished_job_has_no_file(client, demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.post("/logement/disponibles/12/export/")
    assert client.get(f"/travaux/{Job.objects.get().pk}/fichier/").status_code == 404


def test_finished_jobs_are_forgotten_after_a_week(admin_user):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    old = housing_import_start(actor=admin_user, file_name="vieux.csv", content=housing_csv(8, CODES))
    recent = housing_import_start(actor=admin_user, file_name="recent.csv", content=housing_csv(8, CODES))
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    waiting = Job.objects.create(kind="housing_import", owner=admin_user)
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "Travaux supprimés : 1."
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
