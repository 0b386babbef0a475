"""Bounded imports: streaming reads, a row limit, long lists in the worker with a progress bar."""

import datetime
import json
import os
import re
import time
import tracemalloc
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from enterprises.models import Enterprise, ImportJob, ImportJobState
from enterprises.services import enterprises_import
from enterprises.services.import_jobs import import_job_run, import_jobs_stalled_sweep
from enterprises.services.sheets import SpreadsheetError
from steplog.models import Step
from tests.enterprises.import_files import code, csv_bytes, sample_rows, wrong_check, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.TIDU_IMPORT_ASYNC_ROWS = 3
    settings.TIDU_IMPORT_MAX_ROWS = 8


def upload(client, content: bytes, name: str = "名单.csv", **fields):
    return client.post("/registry/import/", {"file": SimpleUploadedFile(name, content), **fields})


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# ------------------------------------------------------------------ the row limit


@pytest.mark.parametrize("to_bytes, name", [(csv_bytes, "list.csv"), (xlsx_bytes, "list.xlsx")])
def test_above_the_row_limit_the_import_is_refused_naming_the_limit(cast, to_bytes, name):
    with translation.override("en"), pytest.raises(SpreadsheetError) as refused:
        enterprises_import(rows_source=to_bytes(sample_rows(9)), file_name=name, by=None)
    assert "more than 8 rows" in str(refused.value) and "at most 8 rows" in str(refused.value)
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert enterprises_import(rows_source=to_bytes(sample_rows(8)), file_name=name, by=None).written


def test_the_page_and_the_api_refuse_above_the_limit_before_any_job(client, cast):
    client.force_login(cast.district)
    page = upload(client, csv_bytes(sample_rows(9))).content.decode()
    assert "一次最多导入 8 行" in page
    response = api(cast.district).post(
        "/api/enterprises/import/", {"file": SimpleUploadedFile("名单.csv", csv_bytes(sample_rows(9)))}
    )
    assert response.status_code == 400 and "一次最多导入 8 行" in response.json()["message"]
    assert not ImportJob.objects.exists() and not Enterprise.objects.filter(credit_code=code(1)).exists()


# ------------------------------------------------------------------ streaming


def _peak_bytes(content: bytes, name: str) -> int:
    tracemalloc.start()
    try:
        report = enterprises_import(rows_source=content, file_name=name, by=None, dry_run=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert report.ok


@pytest.mark.parametrize("to_bytes, name", [(csv_bytes, "list.csv"), (xlsx_bytes, "list.xlsx")])
def test_memory_stays_flat_with_the_number_of_rows(cast, settings, to_bytes, name):
    """Five times the rows, well under twice the memory: rows are read and checked a batch at a time.

    What does grow is the few hundred bytes kept per credit code to find duplicates (and
    the file's bytes themselves, here held by the test).
    """
    settings.TIDU_IMPORT_MAX_ROWS = 100_000
    small, large = to_bytes(sample_rows(2_000)), to_bytes(sample_rows(10_000))
    small_peak, large_peak = _peak_bytes(small, name), _peak_bytes(large, name)
    per_row = (large_peak - small_peak) / 8_000
    print(f"{name}: peak {small_peak / 1e6:.1f} MB at 2,000 rows, {large_peak / 1e6:.1f} MB at 10,000 ({per_row:.0f} B/row)")
    assert per_row < 1_000


# ------------------------------------------------------------------ long lists go to the worker


def test_a_short_list_is_still_imported_in_the_request(client, cast):
    client.force_login(cast.district)
    response = upload(client, csv_bytes(sample_rows(3)))
    assert response.status_code == 200 and "已导入 3 行" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_long_list_becomes_a_job_the_worker_runs_after_commit(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.district)
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, csv_bytes(sample_rows(6)))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/import/jobs/{job.pk}/"
    assert (job.state, job.created_by, job.rows_total, job.file_name) == (ImportJobState.QUEUED, cast.district, 6, "名单.csv")
    assert len(callbacks) == 1 and not Enterprise.objects.filter(credit_code=code(1)).exists()

    page = client.get(f"/registry/import/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-job-progress"' in page and "tidu/progress.js" in page
    assert json.loads(client.get(f"/registry/import/jobs/{job.pk}/progress.json").content) == {
        "state": "queued", "finished": False, "rows_done": 0, "rows_total": 6, "done": 0, "total": 6
    }

    callbacks[0]()  # the eager task: what the worker does
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE and job.rows_done == 6
    assert Enterprise.objects.filter(credit_code__in=[code(n) for n in range(1, 7)]).count() == 6
    page = client.get(f"/registry/import/jobs/{job.pk}/").content.decode()
    assert "已导入 6 行：新增企业 6 家" in page and "tidu/progress.js" not in page
    assert json.loads(client.get(f"/registry/import/jobs/{job.pk}/progress.json").content)["finished"] is True


def test_the_api_answers_202_with_the_job_and_then_its_report(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(cast.city).post(
            "/api/enterprises/import/", {"file": SimpleUploadedFile("list.xlsx", xlsx_bytes(sample_rows(5)))}
        )
    assert response.status_code == 202 and response.json()["state"] == "queued"
    job = api(cast.city).get(f"/api/enterprises/import/jobs/{response.json()['id']}/").json()
    assert job["state"] == "done" and job["rows_done"] == 5
    assert job["report"]["written"] and job["report"]["enterprises_created"] == 5


def test_a_bad_row_in_a_job_writes_nothing_and_the_report_says_why(client, cast, django_capture_on_commit_callbacks):
    rows = sample_rows(6)
    rows[5][0] = wrong_check(rows[5][0])
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(rows))
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.DONE and not job.report["written"]
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    page = client.get(f"/registry/import/jobs/{job.pk}/").content.decode()
    assert "未写入任何数据" in page and "校验位错误" in page and 'data-testid="import-rejects"' in page


def test_a_job_failing_midway_is_failed_with_nothing_half_written(client, cast, django_capture_on_commit_callbacks):
    from enterprises.services import bulk, imports

    real = bulk.metrics_upsert
    calls = []

    def fail_on_the_third_batch(wanted):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(wanted)

    client.force_login(cast.city)
    with (
        mock.patch.object(imports, "BATCH_SIZE", 2),
        mock.patch.object(imports, "metrics_upsert", fail_on_the_third_batch),
        django_capture_on_commit_callbacks(execute=True),
    ):
        upload(client, csv_bytes(sample_rows(6)))
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.FAILED and job.error == "发生意外错误，未写入任何数据。请重试或联系管理员。"
    assert len(calls) == 3
    assert not Enterprise.objects.filter(credit_code__in=[code(n) for n in range(1, 7)]).exists()
    assert not Step.objects.filter(action="enterprise.import").exists()
    page = client.get(f"/registry/import/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-job-error"' in page


def test_a_second_delivery_of_a_done_job_changes_nothing(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(sample_rows(5)))
    job = ImportJob.objects.get()
    assert import_job_run(job_id=job.pk).state == ImportJobState.DONE
    assert Step.objects.filter(action="enterprise.import").count() == 1


def test_a_job_left_running_by_a_lost_worker_runs_again(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks():
        upload(client, csv_bytes(sample_rows(5)))
    job = ImportJob.objects.get()
    job.start(at=job.created_at)  # the lost worker got this far; its import rolled back
    job.save()
    assert import_job_run(job_id=job.pk).state == ImportJobState.DONE
    assert Enterprise.objects.filter(credit_code__in=[code(n) for n in range(1, 6)]).count() == 5


def test_a_job_is_only_its_owners(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks():
        upload(client, csv_bytes(sample_rows(5)))
    job = ImportJob.objects.get()
    client.force_login(cast.admin)
    assert client.get(f"/registry/import/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/registry/import/jobs/{job.pk}/progress.json").status_code == 404
    assert api(cast.district).get(f"/api/enterprises/import/jobs/{job.pk}/").status_code == 404


def test_the_command_prints_a_progress_line(cast, tmp_path, settings, capsys):
    settings.TIDU_IMPORT_MAX_ROWS = 100_000
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(sample_rows(1_200)))
    with translation.override("en"):
        call_command("import_enterprises", str(path))
    err = capsys.readouterr().err
    assert re.search(r"Read 500 of about 1,200 rows \(40%\)", err) and "(100%)" in err


# ------------------------------------------------------------------ a real worker


@pytest.fixture
def worker(monkeypatch):
    """An embedded worker consuming a queue of its own, so parallel runs never steal its tasks."""
    import uuid

    from celery.contrib.testing.worker import start_worker

    from enterprises.tasks import import_job_run_task
    from project.celery import app

    queue = f"imports-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(import_job_run_task, "delay", lambda *args: import_job_run_task.apply_async(args, queue=queue))
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        yield


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a Redis broker)")
def test_a_long_list_is_imported_by_a_real_worker(step_log_flushable, cast, client, worker):
    client.force_login(cast.city)
    response = upload(client, xlsx_bytes(sample_rows(6)), "名单.xlsx")
    job = ImportJob.objects.get()
    assert response["Location"] == f"/registry/import/jobs/{job.pk}/"
    deadline = time.monotonic() + 60
    while not ImportJob.objects.get(pk=job.pk).is_finished and time.monotonic() < deadline:
        time.sleep(0.1)  # polling a real worker: no way around waiting
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE, job.error
    assert Enterprise.objects.filter(credit_code__in=[code(n) for n in range(1, 7)]).count() == 6
    assert "已导入 6 行" in client.get(f"/registry/import/jobs/{job.pk}/").content.decode()


# ------------------------------------------------------------------ the sweep (broker down, worker lost)


def test_the_sweep_queues_again_a_job_the_broker_never_took(cast, client, settings, django_capture_on_commit_callbacks):
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks(execute=False):  # the publish never happened
        upload(client, csv_bytes(sample_rows(5)))
    assert import_jobs_stalled_sweep() == {"imports_requeued": 0, "imports_failed": 0}  # not stalled yet
    settings.TIDU_SWEEP_STALLED_SECONDS = 0
    assert import_jobs_stalled_sweep() == {"imports_requeued": 1, "imports_failed": 0}
    assert ImportJob.objects.get().state == ImportJobState.DONE
    assert import_jobs_stalled_sweep() == {"imports_requeued": 0, "imports_failed": 0}


def test_the_sweep_reports_failed_a_job_whose_worker_died_with_nothing_written(cast, client, settings):
    client.force_login(cast.city)
    with mock.patch("enterprises.tasks.import_job_run_task.delay"):
        upload(client, csv_bytes(sample_rows(5)))
    job = ImportJob.objects.get()
    job.start(at=job.created_at - datetime.timedelta(hours=1))  # its worker died long ago, its import rolled back
    job.save()
    settings.TIDU_SWEEP_STALLED_SECONDS = 0
    assert import_jobs_stalled_sweep() == {"imports_requeued": 0, "imports_failed": 1}
    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED and "未写入任何数据" in job.error  # in the language it was submitted in
    assert not (settings.VAR_DIR / job.source).exists()
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert import_job_run(job_id=job.pk).state == ImportJobState.FAILED  # a late redelivery changes nothing
