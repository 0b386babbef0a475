"""The longest path: an enterprise applies, the district returns it, the enterprise resubmits, the district
approves, the city sends it to a drawn expert, the expert scores blind, the city approves and recommends
(推荐函), the result is recorded, and the enterprise sees its new title and its 认定结果通知."""

import pytest
from django.utils import timezone

from documents.models import Document, DocumentKind
from tests.browser.support import log_in
from tests.workflows.applications import PDF, experts, open_batch, passing_innovative_data
from workflows.models import Application, ApplicationState

pytestmark = [pytest.mark.browser]
S = ApplicationState


def switch_to(page, user):
    page.context.clear_cookies()
    log_in(page, user.username)


def click(page, test_id):
    """Click and wait for the next page (a full load or Turbo's swap of the body alike)."""
    page.evaluate("document.body.dataset.stale = '1'")
    page.get_by_test_id(test_id).click()
    page.wait_for_function("!document.body.dataset.stale")
    page.wait_for_load_state("networkidle")


def decide(page, case_url, decision, field="", text=""):
    page.goto(case_url)
    if field:
        page.fill(f"textarea[name={decision}-{field}]", text)
    click(page, f"action-{decision}")


def state_of(application):
    application.refresh_from_db()
    return application.state


def test_application_from_draft_to_recognized_title(page, cast):
    passing_innovative_data(cast.own)
    batch = open_batch(cast, experts_per_application=1)
    (expert,) = experts(1)

    # The enterprise drafts, uploads a file and submits.
    log_in(page, cast.owner.username)
    page.goto("/applications/apply/")
    assert batch.name in page.get_by_test_id("open-batches").inner_text()
    page.fill("textarea[name=statement]", "主营精密轴承，细分市场国内第三")
    click(page, "start-draft")
    case_url = page.url
    application = Application.objects.get(enterprise=cast.own)
    assert page.get_by_test_id("ready").is_visible()
    page.set_input_files("input[name=file]", files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    click(page, "upload")
    assert "营业执照.pdf" in page.get_by_test_id("attachments").inner_text()
    click(page, "action-submit")
    assert state_of(application) == S.DISTRICT_REVIEW
    assert application.snapshot_sha256 in page.get_by_test_id("snapshot-sha256").inner_text()

    # The district returns it; the enterprise reads why and resubmits.
    switch_to(page, cast.district)
    decide(page, case_url, "return", "reason", "请补充专利证书")
    assert state_of(application) == S.RETURNED
    switch_to(page, cast.owner)
    page.goto(case_url)
    assert "请补充专利证书" in page.get_by_test_id("returned-banner").inner_text()
    page.fill("textarea[name=resubmit-statement]", "主营精密轴承，已补充专利证书")
    click(page, "action-resubmit")
    assert state_of(application) == S.DISTRICT_REVIEW

    # The district approves; the city draws the experts and sends the application to them.
    switch_to(page, cast.district)
    decide(page, case_url, "district_approve", "comment", "材料齐全")
    assert state_of(application) == S.CITY_REVIEW
    switch_to(page, cast.city)
    page.goto(f"/applications/batches/{batch.pk}/")
    page.fill("input[name=count]", "1")
    page.fill("input[name=seed]", "20261130")
    click(page, "draw")
    assert expert.username in page.get_by_test_id("experts-drawn").inner_text()
    decide(page, case_url, "send_to_experts")
    assert state_of(application) == S.EXPERT_REVIEW

    # The expert scores blind.
    switch_to(page, expert)
    page.goto("/applications/reviews/")
    click(page, "review-link")
    body = page.content()
    assert cast.own.name not in body and cast.own.credit_code not in body
    for item, points in {"specialised": "22", "refined": "20", "distinctive": "12", "innovative": "30"}.items():
        page.fill(f"input[name=score_{item}]", points)
    page.fill("textarea[name=opinion]", "技术领先，市场占有率可信")
    click(page, "submit-scores")
    assert application.expert_reviews.get().total == 84

    # The city reads the score, approves and recommends the batch (推荐函).
    switch_to(page, cast.city)
    page.goto(case_url)
    assert page.get_by_test_id("score-average").inner_text() == "84.00"
    decide(page, case_url, "city_approve", "comment", "同意推荐")
    assert state_of(application) == S.APPROVED
    page.goto(f"/applications/batches/{batch.pk}/")
    click(page, "recommend")
    assert state_of(application) == S.RECOMMENDED
    click(page, "recommendation-letter")
    assert Document.objects.filter(kind=DocumentKind.RECOMMENDATION_LETTER).exists()

    # The result is recorded on the recognition page, then the batch's results are closed.
    page.goto("/cases/recognitions/record/")
    page.select_option("select[name=enterprise]", str(cast.own.pk))
    page.select_option("select[name=tier]", "innovative")
    page.fill("input[name=recognized_on]", timezone.localdate().isoformat())
    page.select_option("select[name=kind]", "first")
    page.evaluate("document.body.dataset.stale = '1'")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_function("!document.body.dataset.stale")
    assert state_of(application) == S.RECOGNIZED
    page.goto(f"/applications/batches/{batch.pk}/")
    click(page, "close-results")
    assert page.get_by_test_id("results-closed").is_visible()

    # The enterprise sees its new title and its 认定结果通知.
    switch_to(page, cast.owner)
    page.goto(f"/registry/enterprise/{cast.own.pk}/detail/")
    assert "创新型中小企业" in page.content()
    page.goto("/archive/")
    assert "认定结果通知" in page.content()
    page.goto(case_url)
    assert page.get_by_test_id("case-state").inner_text() == str(S.RECOGNIZED.label) or state_of(application) == S.RECOGNIZED
