"""An enterprise proposes entry, the district returns it, the enterprise resubmits, the district
and the city approve, and the auditor sees all five steps in the case's history."""

import pytest

from tests.browser.support import log_in

pytestmark = [pytest.mark.browser]


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
    page.goto(case_url)
    assert "请补充细分市场占有率证明" in page.get_by_test_id("case-reason").inner_text()
    page.fill("form textarea[name=statement]", "精密轴承，国内细分市场第三，附占有率证明")
    page.get_by_test_id("action-resubmit").click()
    page.wait_for_load_state("networkidle")
    log_out(page)

    log_in(page, cast.district.username)
    decide(page, case_url, "district_approve", "材料齐全")
    log_out(page)

    log_in(page, cast.city.username)
    decide(page, case_url, "city_approve", "同意入库")
    assert page.get_by_test_id("case-state").inner_text() == "已入库"
    log_out(page)

    log_in(page, cast.auditor.username)
    page.goto(case_url)
    assert page.get_by_test_id("timeline-step").count() == 5
