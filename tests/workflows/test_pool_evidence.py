"""A returned pool entry answered with evidence: stored, hashed in the step, read by those in scope only."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Step
from tests.workflows.applications import PDF, PNG
from workflows.models import PoolEntryAttachment, PoolEntryState
from workflows.services import pool as services

pytestmark = pytest.mark.django_db
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def returned(cast):
    entry = services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")
    return services.pool_entry_return(entry=entry, by=cast.district, reason="请提供高新技术企业证书")


def answer(client, entry, *files, statement="已补充高新技术企业证书", language="en"):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    data = {"statement": statement, "files": [SimpleUploadedFile(name, content) for name, content in files]}
    return client.post(reverse("pool:act", args=[entry.pk, "resubmit"]), data)


def test_the_banner_leads_to_the_answer_form_with_the_reason_and_a_file_input(client, cast, returned):
    client.force_login(cast.owner)
    home = client.get(reverse("pool:index")).content.decode()
    assert reverse("pool:detail", args=[returned.pk]) + "#answer" in home
    page = client.get(reverse("pool:detail", args=[returned.pk])).content.decode()
    assert "请提供高新技术企业证书" in page
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="files"' in page and "multiple" in page


def test_the_enterprise_answers_with_a_pdf_and_the_reviewer_reads_and_downloads_it(client, cast, returned):
    client.force_login(cast.owner)
    response = answer(client, returned, ("高新证书.pdf", PDF), ("现场照片.png", PNG))
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.DISTRICT_REVIEW
    files = list(returned.attachments.order_by("name"))
    assert [(f.name, f.revision, f.content_type) for f in files] == [
        ("现场照片.png", 1, "image/png"), ("高新证书.pdf", 1, "application/pdf"),
    ]
    step = Step.objects.filter(action="pool_entry.resubmit").get()
    assert {"name": "高新证书.pdf", "sha256": hashlib.sha256(PDF).hexdigest()} in step.data["evidence"]
    client.force_login(cast.district)
    page = client.get(reverse("pool:detail", args=[returned.pk])).content.decode()
    pdf = returned.attachments.get(name="高新证书.pdf")
    url = reverse("pool:evidence", args=[returned.pk, pdf.pk])
    assert url in page and 'data-testid="action-district_approve"' in page
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who, allowed", [
    ("owner", True), ("district", True), ("city", True), ("auditor", True),
    ("other_owner", False), ("other_district", False), ("finance", False),
])
def test_only_those_in_scope_download_the_evidence(client, cast, returned, who, allowed):
    client.force_login(cast.owner)
    answer(client, returned, ("高新证书.pdf", PDF))
    evidence = PoolEntryAttachment.objects.get()
    client.force_login(getattr(cast, who))
    response = client.get(reverse("pool:evidence", args=[returned.pk, evidence.pk]))
    assert (response.status_code == 200) is allowed
    assert allowed or response.status_code in (403, 404)


def test_a_file_of_another_entry_is_not_reached_through_this_one(client, cast, returned):
    client.force_login(cast.owner)
    answer(client, returned, ("高新证书.pdf", PDF))
    other = services.pool_entry_propose(enterprise=cast.neighbour, by=cast.district, statement="邻居")
    client.force_login(cast.district)
    url = reverse("pool:evidence", args=[other.pk, PoolEntryAttachment.objects.get().pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("language, message", [
    ("en", "is not a PDF, JPG, PNG or XLSX file"),
    ("zh-hans", "不是 PDF、JPG、PNG 或 XLSX 文件"),
])
def test_an_exe_renamed_pdf_is_refused_in_both_languages_and_the_typed_answer_stays(client, cast, returned, language, message):
    client.force_login(cast.owner)
    response = answer(client, returned, ("证书.pdf", EXE), statement="我们的回答写了很久", language=language)
    body = response.content.decode()
    assert response.status_code == 400
    assert "证书.pdf" in body and message in body
    assert "我们的回答写了很久" in body
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.RETURNED and returned.statement == "申请入库"
    assert not PoolEntryAttachment.objects.exists()
    assert not Step.objects.filter(action="pool_entry.resubmit").exists()


def test_one_bad_file_among_good_ones_stores_none(client, cast, returned):
    client.force_login(cast.owner)
    response = answer(client, returned, ("a.pdf", PDF), ("空的.pdf", b""))
    assert response.status_code == 400 and "空的.pdf" in response.content.decode()
    assert not PoolEntryAttachment.objects.exists()


def test_an_oversized_file_is_refused(client, cast, returned, settings):
    settings.TIDU_MAX_ATTACHMENT_BYTES = 1024
    client.force_login(cast.owner)
    response = answer(client, returned, ("大.pdf", PDF + b"0" * 2048))
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not PoolEntryAttachment.objects.exists()


def test_an_answer_without_files_still_resubmits(client, cast, returned):
    client.force_login(cast.owner)
    assert answer(client, returned).status_code == 302
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.DISTRICT_REVIEW and not returned.attachments.exists()
    assert "evidence" not in Step.objects.get(action="pool_entry.resubmit").data


def test_nobody_else_answers_for_the_enterprise(client, cast, returned):
    client.force_login(cast.district)
    answer(client, returned, ("a.pdf", PDF))
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.RETURNED and not PoolEntryAttachment.objects.exists()



def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_answer(client, entry, *files, statement="已补充高新技术企业证书"):
    data = {"statement": statement, "files": [SimpleUploadedFile(name, content) for name, content in files]}
    return client.post(f"/api/pool-entries/{entry.pk}/resubmit/", data, format="multipart")


def test_the_api_answers_a_return_with_evidence_as_the_page_does(cast, returned):
    client = api_client(cast.owner)
    response = api_answer(client, returned, ("高新证书.pdf", PDF), ("现场照片.png", PNG))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == PoolEntryState.DISTRICT_REVIEW and body["statement"] == "已补充高新技术企业证书"
    assert {(f["name"], f["revision"], f["sha256"]) for f in body["evidence"]} == {
        ("高新证书.pdf", 1, hashlib.sha256(PDF).hexdigest()), ("现场照片.png", 1, hashlib.sha256(PNG).hexdigest()),
    }
    step = Step.objects.filter(action="pool_entry.resubmit").get()
    assert {"name": "高新证书.pdf", "sha256": hashlib.sha256(PDF).hexdigest()} in step.data["evidence"]
    assert len(api_client(cast.district).get(f"/api/pool-entries/{returned.pk}/").json()["evidence"]) == 2


def test_the_api_refuses_a_disguised_file_and_keeps_nothing(cast, returned):
    client = api_client(cast.owner)
    response = api_answer(client, returned, ("证书.pdf", EXE))
    assert response.status_code == 400 and response.json()["message"]
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.RETURNED and not PoolEntryAttachment.objects.exists()
    assert not Step.objects.filter(action="pool_entry.resubmit").exists()
    assert api_answer(client, returned, statement="").status_code == 400  # the answer itself is required


@pytest.mark.parametrize("who, status", [("other_owner", 404), ("other_district", 404), ("district", 403)])
def test_only_the_enterprise_answers_its_return_through_the_api(cast, returned, who, status):
    client = api_client(getattr(cast, who))
    assert api_answer(client, returned, ("高新证书.pdf", PDF)).status_code == status
    returned.refresh_from_db()
    assert returned.state == PoolEntryState.RETURNED and not PoolEntryAttachment.objects.exists()
