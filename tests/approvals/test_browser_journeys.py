"""Browser journeys through the queue and the audit trail (headless Chromium)."""

import pytest

from approvals.models import QueueTask
from steplog.models import Step
from tests.browser.support import log_in
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.browser


def test_a_district_reviewer_claims_and_bulk_approves(page, cast, open_task, approve_kind):
    first, second = open_task(cast.own), open_task(EnterpriseFactory(name="镇江第二测试有限公司"))
    open_task(cast.far)  # another district's: never shown
    log_in(page, "jingkou_reviewer")
    page.goto("/queue/")
    assert page.get_by_test_id("queue-row").count() == 2
    assert "2 项待办" in page.get_by_test_id("nav-queue-counts").inner_text()
    page.get_by_test_id("queue-row").first.get_by_role("button", name="认领").click()
    page.get_by_test_id("message").get_by_text("任务已认领").wait_for()
    page.locator("input[name=tasks]").first.check()
    page.locator("input[name=tasks]").nth(1).check()
    page.fill("#id_comment", "材料齐全，同意入库。")
    page.get_by_test_id("bulk-approve").click()
    page.get_by_test_id("message").get_by_text("2 个任务已批准").wait_for()
    assert {t.status for t in QueueTask.objects.filter(pk__in=[first.pk, second.pk])} == {"done"}


def test_an_auditor_filters_the_log_and_verifies_the_chain(page, cast):
    from steplog.services import step_record

    step_record(action="pool_entry.submit", actor=cast.owner, obj=cast.own, comment="请审核")
    log_in(page, "auditor")
    page.goto("/audit/?actor=owner")
    assert page.get_by_test_id("step-row").count() == 1
    page.goto("/audit/status/")
    page.get_by_test_id("verify-now").click()
    page.get_by_test_id("message").get_by_text("已开始校验").wait_for()
    assert f"校验至第 {Step.objects.count()} 步" in page.get_by_test_id("chain-status").inner_text()
