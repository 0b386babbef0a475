"""Issuing, numbering, voiding: what the archive and the step log show afterwards."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from steplog.models import Step
from documents.exceptions import DocumentContentInvalid, DocumentError
from documents.models import Document, DocumentKind, DocumentStatus, Issuer, RenderState
from documents.samples import SAMPLE_CONTEXTS
from documents.selectors import documents_for
from documents.services import document_issue, document_void, issuer_default
from tests.factories import AnnualMetricsFactory

from .conftest import fresh

pytestmark = pytest.mark.django_db


def test_the_city_bureau_is_the_seeded_default_issuer():
    issuer = issuer_default()
    assert (issuer.name, issuer.mark_text, issuer.number_prefix) == (
        "镇江市工业和信息化局",
        "镇江市工业和信息化局文件",
        "镇工信",
    )


def test_numbers_run_gapless_per_issuer_and_year(cast, issue):
    year = timezone.localdate().year
    first, second = issue(enterprise=cast.own, render=False), issue(enterprise=cast.own, render=False)
    other = Issuer.objects.create(
        name="京口区工业和信息化局", mark_text="京口区工业和信息化局文件", number_prefix="京工信"
    )
    third = issue(enterprise=cast.own, issuer=other, render=False)
    assert [first.number, second.number] == [f"镇工信〔{year}〕1号", f"镇工信〔{year}〕2号"]
    assert third.number == f"京工信〔{year}〕1号"


def test_a_new_year_starts_again_at_one(cast, issue, monkeypatch):
    issue(enterprise=cast.own, render=False)
    next_year = timezone.now().replace(year=timezone.now().year + 1, month=1, day=2)
    monkeypatch.setattr(timezone, "now", lambda: next_year)
    assert issue(enterprise=cast.own, render=False).number == f"镇工信〔{next_year.year}〕1号"


def test_a_rolled_back_issue_gives_its_number_back(cast, issue):
    with pytest.raises(RuntimeError), transaction.atomic():
        document_issue(
            kind=DocumentKind.POOL_ENTRY_NOTICE,
            by=cast.city,
            enterprise=cast.own,
            subject=None,
            context=SAMPLE_CONTEXTS["pool_entry_notice"],
        )
        raise RuntimeError("the caller's decision failed after issuing")
    assert not Document.objects.exists()
    assert issue(enterprise=cast.own, render=False).serial == 1


def test_issuing_writes_one_step_and_renders_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_issue(
            kind=DocumentKind.POOL_ENTRY_NOTICE,
            by=cast.city,
            enterprise=cast.own,
            subject=None,
            context=SAMPLE_CONTEXTS["pool_entry_notice"],
        )
        assert document.render_state == RenderState.PENDING
    assert len(callbacks) == 1, "the render is queued on commit, not before"
    step = Step.objects.get(action="document.issue")
    assert (step.actor, step.enterprise, step.object_id) == (cast.city, cast.own, str(document.pk))
    assert step.data["number"] == document.number
    callbacks[0]()
    document = fresh(document)
    assert document.render_state == RenderState.READY
    assert document.pdf.read()[:5] == b"%PDF-"
    assert document.page_count == 3 and len(document.sha256) == 64
    assert Step.objects.filter(action="document.render", object_id=str(document.pk)).count() == 1


def test_the_subject_lists_its_documents_and_lends_its_enterprise(cast, issue):
    subject = AnnualMetricsFactory(enterprise=cast.neighbour)  # any model with an enterprise stands in for a case
    document = issue(DocumentKind.DIAGNOSIS_REPORT, subject=subject, render=False)
    issue(enterprise=cast.own, render=False)
    assert document.enterprise == cast.neighbour
    assert list(documents_for(user=cast.city, subject=subject)) == [document]
    assert document.subject == subject


def test_bad_content_is_refused_with_every_problem_named(cast):
    context = {
        "title": "",
        "body": [
            {"type": "heading", "level": 4, "text": "x"},
            {"type": "table", "columns": ["a", "b"], "rows": [["1"]]},
        ],
        "colour": "red",
    }
    with pytest.raises(DocumentContentInvalid) as refused:
        document_issue(kind=DocumentKind.PUBLIC_NOTICE, by=cast.city, enterprise=None, subject=None, context=context)
    message = str(refused.value)
    assert "“title” is required" in message or "“title”" in message
    for problem in ("colour", "body[0].level", "body[1].rows[0]"):
        assert problem in message
    assert not Document.objects.exists()


def test_content_errors_read_in_chinese(cast, settings):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(DocumentContentInvalid) as refused:
        document_issue(
            kind=DocumentKind.PUBLIC_NOTICE, by=cast.city, enterprise=None, subject=None, context={"title": "公示"}
        )
    assert "公文内容" in str(refused.value)


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(DocumentError):
        document_issue(
            kind="memo", by=cast.city, enterprise=None, subject=None, context=SAMPLE_CONTEXTS["public_notice"]
        )


def test_a_voided_document_keeps_its_number_and_says_so(cast, issue):
    document = issue(enterprise=cast.own)
    voided = document_void(document=document, by=cast.city, reason="内容有误，另行发文")
    assert voided.status == DocumentStatus.VOIDED and voided.number == document.number
    assert voided.is_ready, "the PDF stays, for the record"
    step = Step.objects.get(action="document.void")
    assert step.comment == "内容有误，另行发文"
    assert issue(enterprise=cast.own, render=False).serial == document.serial + 1


@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [("owner", "x", "forbidden"), ("auditor", "x", "forbidden"), ("city", " ", "reason_required")],
)
def test_voiding_needs_the_permission_and_a_reason(cast, issue, who, reason, code):
    document = issue(enterprise=cast.own, render=False)
    with pytest.raises(DocumentError) as refused:
        document_void(document=document, by=getattr(cast, who), reason=reason)
    assert refused.value.code == code
    document = fresh(document)
    assert document.status == DocumentStatus.ISSUED


def test_a_document_is_voided_once(cast, issue):
    document = issue(enterprise=cast.own, render=False)
    document_void(document=document, by=cast.city, reason="重复发文")
    with pytest.raises(DocumentError) as refused:
        document_void(document=document, by=cast.admin, reason="again")
    assert refused.value.code == "already_voided"


def test_the_issue_date_is_the_local_date(cast, issue, monkeypatch):
    # 23:30 UTC on 31 December is already 1 January in Zhenjiang.
    late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)
    document = issue(enterprise=cast.own, render=False)
    assert (document.issued_on, document.number) == (datetime.date(2027, 1, 1), "镇工信〔2027〕1号")
