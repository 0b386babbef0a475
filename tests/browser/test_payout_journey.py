"""免申即享 to the bank: a recognition is recorded, the enterprise confirms its account, the city
approves the round (奖励决定) and runs the notice (an objection raised and dismissed), finance
confirms and pays, the enterprise sees its money and the 资金拨付通知, the auditor every step."""

import datetime

import pytest

from rewards.models import FundBudget, Payout
from rewards.services import reward_round_close_notice
from tests.browser.support import log_in
from tests.browser.test_pool_entry_journey import log_out
from tests.rewards.conftest import recognize, zj2023  # noqa: F401  (the seeded policy fixture)

pytestmark = pytest.mark.browser


def act(page, url, action, **fields):
    page.goto(url)
    for name, value in fields.items():
        page.fill(f"[name={action}-{name}]", value)
    with page.expect_navigation(timeout=90_000):
        page.get_by_test_id(f"action-{action}").click()


def test_a_reward_from_recognition_to_the_bank(page, cast, zj2023):
    FundBudget.objects.create(fund=zj2023.fund, year=datetime.date.today().year, amount="1000000.00")
    recognize(cast.own)  # the payout opens when the entitlement commits
    payout = Payout.objects.get()
    url = f"/payouts/{payout.pk}/"

    log_in(page, cast.owner.username)
    act(page, url, "confirm", bank="中国银行镇江分行", account_number="6222020200112233445")
    assert page.get_by_test_id("case-state").inner_text() == "账户已确认"
    log_out(page)

    log_in(page, cast.city.username)
    page.goto("/payouts/rounds/")
    page.select_option("select[name=fund]", str(zj2023.fund.pk))
    with page.expect_navigation(timeout=90_000):
        page.get_by_test_id("round-create").click()
    with page.expect_navigation(timeout=90_000):
        page.get_by_test_id("round-approve").click()
    assert page.get_by_test_id("decision-document").is_visible()
    with page.expect_navigation(timeout=90_000):
        page.get_by_test_id("round-open_notice").click()
    log_out(page)

    log_in(page, cast.auditor.username)
    act(page, url, "hold", text="该企业研发投入数据存疑")
    assert page.get_by_test_id("case-state").inner_text() == "因异议暂缓"
    log_out(page)

    log_in(page, cast.city.username)
    act(page, url, "release", reason="经核查，研发投入属实")
    assert page.get_by_test_id("case-state").inner_text() == "公示中"
    log_out(page)

    round = Payout.objects.get().round
    reward_round_close_notice(round=round, by=cast.city, today=round.notice_ends_on + datetime.timedelta(days=1))

    log_in(page, cast.finance.username)
    act(page, url, "confirm_budget")
    assert page.get_by_test_id("case-state").inner_text() == "预算已核对"
    act(page, url, "pay", bank_reference="BR20260105001")
    assert page.get_by_test_id("case-state").inner_text() == "已拨付"
    log_out(page)

    log_in(page, cast.owner.username)
    page.goto(url)
    assert page.get_by_test_id("paid-amount").inner_text().startswith("30万元")
    assert "资金" in page.get_by_test_id("payment-notice").inner_text()
    log_out(page)

    log_in(page, cast.auditor.username)
    page.goto(url)
    # open, confirm, add to round, approve, open notice, hold, release, end notice, budget, pay
    assert page.get_by_test_id("timeline-step").count() == 10
