"""A voided document is reissued in one step: a new number for the same subject and content, linked to it."""

import pytest
from django.urls import reverse

from documents.exceptions import DocumentError
from documents.models import Document, DocumentStatus
from documents.selectors import document_reissue_of, document_reissued_as
from documents.services import document_reissue, document_void
from steplog.models import Step

from .conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def voided(cast, issue):
    document = issue(enterprise=cast.own, subject=cast.own, render=False)
    return fresh(document_void(document=document, by=cast.city, reason="文号有误"))


def test_a_voided_document_is_reissued_with_a_new_number_the_same_content_and_a_link(cast, voided, django_capture_on_commit_callbacks):
    steps_before = Step.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        reissue = document_reissue(document=voided, by=cast.city)
    assert len(callbacks) == 1  # the new PDF renders after commit
    assert reissue.number != voided.number and reissue.serial == voided.serial + 1
    assert (reissue.kind, reissue.enterprise, reissue.subject, reissue.title) == (voided.kind, voided.enterprise, voided.subject, voided.title)
    assert reissue.context["body"] == voided.context["body"]
    assert reissue.context["note"].endswith(f"本件替代已作废的{voided.number}。")
    assert Step.objects.count() == steps_before + 1
    step = Step.objects.latest("seq")
    assert (step.action, step.data["reissue_of"]) == ("document.issue", voided.number)
    assert document_reissued_as(voided) == reissue and document_reissue_of(reissue) == voided
    assert fresh(voided).status == DocumentStatus.VOIDED


@pytest.mark.parametrize("who, code", [("owner", "forbidden"), ("auditor", "forbidden"), ("district", "forbidden")])
def test_only_those_who_may_void_may_reissue(cast, voided, who, code):
    with pytest.raises(DocumentError) as refused:
        document_reissue(document=voided, by=getattr(cast, who))
    assert refused.value.code == code


def test_a_document_is_reissued_once_and_only_when_voided(cast, issue, voided):
    document_reissue(document=voided, by=cast.city)
    with pytest.raises(DocumentError) as again:
        document_reissue(document=voided, by=cast.admin)
    assert again.value.code == "already_reissued"
    issued = issue(enterprise=cast.own, render=False)
    with pytest.raises(DocumentError) as live:
        document_reissue(document=issued, by=cast.city)
    assert live.value.code == "not_voided"
    assert Document.objects.count() == 3


def test_the_document_page_offers_reissue_to_the_city_and_links_both_ways(client, cast, voided):
    client.force_login(cast.owner)
    assert 'data-testid="reissue"' not in client.get(reverse("archive:detail", args=[voided.pk])).content.decode()
    client.force_login(cast.city)
    page = client.get(reverse("archive:detail", args=[voided.pk])).content.decode()
    assert 'data-testid="reissue"' in page and "data-confirm" in page
    response = client.post(reverse("archive:reissue", args=[voided.pk]), follow=True)
    reissue = Document.objects.latest("pk")
    assert response.redirect_chain[-1][0] == reverse("archive:detail", args=[reissue.pk])
    assert 'data-testid="reissue-of"' in response.content.decode()
    page = client.get(reverse("archive:detail", args=[voided.pk])).content.decode()
    assert 'data-testid="reissued-as"' in page and 'data-testid="reissue"' not in page
