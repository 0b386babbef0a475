"""Fixtures for the documents tests: media in a temporary folder, issuing with the samples."""

import datetime
from pathlib import Path

import pytest

from documents.content import content_clean
from documents.layout import DocumentSource, IssuerFace
from documents.samples import SAMPLE_CONTEXTS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
CITY_BUREAU = IssuerFace(
    name="镇江市工业和信息化局", mark_text="镇江市工业和信息化局文件", printing_office="镇江市工业和信息化局办公室"
)


def fresh(document):
    """The row as stored now (protected FSM fields forbid ``refresh_from_db``)."""
    from documents.models import Document

    return Document.objects.get(pk=document.pk)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sample_source(kind: str, **changes) -> DocumentSource:
    """A render input for ``kind`` with its sample context; no database needed."""
    fields = {
        "kind": kind,
        "kind_label": kind,
        "number": "镇工信〔2026〕12号",
        "token": "AB23CD45EF",
        "issued_on": datetime.date(2026, 11, 26),
        "verify_url": "http://127.0.0.1:8000/verify/AB23CD45EF",
        "issuer": CITY_BUREAU,
        "content": content_clean(SAMPLE_CONTEXTS[kind]),
    }
    fields.update(changes)
    return DocumentSource(**fields)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a sample document of ``kind`` and run its render task as a commit would."""
    from documents.services import document_issue

    def issue(kind="pool_entry_notice", *, by=None, enterprise=None, subject=None, context=None, render=True, **extra):
        with django_capture_on_commit_callbacks(execute=render):
            document = document_issue(
                kind=kind,
                by=by,
                enterprise=enterprise,
                subject=subject,
                context=context or SAMPLE_CONTEXTS[kind],
                **extra,
            )
        return fresh(document)

    return issue
