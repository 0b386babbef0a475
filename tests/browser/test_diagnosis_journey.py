"""An enterprise sees its gaps and tries a what-if; a district reviewer opens a coaching plan from it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from enterprises.models import AnnualMetrics
from tests.browser.support import ARTIFACTS, log_in
from workflows.models import CoachingPlan

pytestmark = [pytest.mark.browser]
LAST = timezone.localdate().year - 1


def test_gaps_what_if_and_a_coaching_plan(page, cast):
    AnnualMetrics.objects.create(
        enterprise=cast.own, year=LAST, operating_revenue=Decimal("100000000"), main_business_revenue=Decimal("90000000"),
        rd_expense=Decimal("2400000"), total_assets=Decimal("90000000"), total_liabilities=Decimal("40000000"),
    )

    # The enterprise sees its gaps, each with the change that wins the points back.
    log_in(page, cast.owner.username)
    page.goto("/cultivation/")
    page.wait_for_selector('[data-testid="diagnosis-title"]')
    page.select_option('[data-testid="tier"]', "innovative")
    page.click("text=诊断")
    page.wait_for_load_state("networkidle")
    rd = page.locator('[data-testid="rule-rd_ratio"]')
    assert rd.get_attribute("data-status") == "not_met"
    assert "2.4% → 3%" in rd.locator('[data-testid="remedy"]').inner_text()

    # It tries a what-if: more R&D; the result changes at once and nothing is saved.
    field = page.locator(f'[data-testid="input-m-{LAST}-rd_expense"]')
    field.fill("5000000")
    page.wait_for_selector('[data-testid="what-if-banner"]')
    page.wait_for_function(
        "document.querySelector('[data-testid=\"rule-rd_ratio\"]').dataset.status === 'met'"
    )
    assert AnnualMetrics.objects.get(enterprise=cast.own).rd_expense == Decimal("2400000")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diagnosis_what_if.png"), full_page=True)

    # A district reviewer opens a coaching plan from the same diagnosis.
    page.context.clear_cookies()
    log_in(page, cast.district.username)
    page.goto(f"/cultivation/diagnosis/{cast.own.pk}/?tier=innovative")
    page.fill('input[name="owner"]', "财务部 王经理")
    page.click('[data-testid="open-plan"]')
    page.wait_for_selector('[data-testid="plan-title"]')
    plan = CoachingPlan.objects.get()
    assert page.url.endswith(f"/cultivation/plans/{plan.pk}/")
    items = page.locator('[data-testid="item"]')
    assert items.count() == plan.items.count() >= 1
    assert "财务部 王经理" in page.content()
    assert page.locator('[data-testid="plan-state"]').inner_text() == "培育中"
