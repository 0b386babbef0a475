"""An enterprise proposes entry, the district returns it asking for evidence, the enterprise answers
from the return banner with a file (a disguised one is refused first, its answer kept), the district
downloads the evidence and approves, the city approves, and the auditor sees all five steps."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in
from tests.workflows.applications import PDF

pytestmark = [pytest.mark.browser]
EVIDENCE = {"name": "市场占有率证明.pdf", "mimeType": "application/pdf", "buffer": PDF}
FAKE_PDF = {"name": "证明.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a PDF at all"}


def log_out(page):
    page.goto("/notifications/")  # every role has an inbox, so every role has this menu
    page.locator(".vf-page__menu-toggle-button").click()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("networkidle")


def decide(page, case_url, action, comment=""):
    page.goto(case_url)
    if comment:
        page.fill("#decision-form textarea[name=comment]", comment)
    page.get_by_test_id(f"action-{action}").click()
    page.wait_for_load_state("networkidle")


def test_pool_entry_with_a_return_loop(page, cast):
    log_in(page, cast.owner.username)
    page.goto("/pool/propose/")
    page.fill("textarea[name=statement]", "精密轴承，国内细分市场第三")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    case_url = page.url
    assert page.get_by_test_id("case-state").inner_text() == "待区级审核"
    log_out(page)

    log_in(page, cast.district.username)
    decide(page, case_url, "return", "请补充细分市场占有率证明")
    assert page.get_by_test_id("case-state").inner_text() == "退回修改"
    log_out(page)

    log_in(page, cast.owner.username)
    page.goto("/notifications/")  # the return banner on any page leads to the answer card
    page.get_by_test_id("answer-return").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(case_url)
    assert "请补充细分市场占有率证明" in page.get_by_test_id("return-reason").inner_text()
    answer = "精密轴承，国内细分市场第三，附占有率证明"
    page.fill("[data-testid=answer-form] textarea[name=statement]", answer)
    page.set_input_files("[data-testid=answer-form] input[name=files]", files=[FAKE_PDF])
    page.get_by_test_id("action-resubmit").click()  # the site's forms submit through Turbo: no page load
    expect(page.get_by_test_id("answer-form")).to_contain_text("不是 PDF、JPG、PNG 或 XLSX 文件")
    assert page.input_value("[data-testid=answer-form] textarea[name=statement]") == answer  # nothing typed is lost
    page.set_input_files("[data-testid=answer-form] input[name=files]", files=[EVIDENCE])
    page.get_by_test_id("action-resubmit").click()
    expect(page.get_by_test_id("case-state")).to_have_text("待区级审核")
    log_out(page)

    log_in(page, cast.district.username)
    page.goto(case_url)
    assert page.get_by_test_id("evidence-file").count() == 1
    with page.expect_download() as download:
        page.get_by_test_id("evidence-file").get_by_role("link").click()
    assert download.value.suggested_filename == EVIDENCE["name"]
    assert open(download.value.path(), "rb").read() == EVIDENCE["buffer"]
    decide(page, case_url, "district_approve", "材料齐全")
    log_out(page)

    log_in(page, cast.city.username)
    decide(page, case_url, "city_approve", "同意入库")
    assert page.get_by_test_id("case-state").inner_text() == "已入库"
    log_out(page)

    log_in(page, cast.auditor.username)
    page.goto(case_url)
    assert page.get_by_test_id("timeline-step").count() == 5
