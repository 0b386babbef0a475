"""The payout path: each transition allowed from its states and refused from the others, account rules, budget."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import QueueTask, Step
from enterprises.exceptions import DomainError
from rewards import services
from rewards.models import Payout, PayoutState
from tests.rewards.conftest import ACCOUNT, confirm, drive, due_payout

pytestmark = pytest.mark.django_db

ALL_STATES = ["awaiting_confirmation", "confirmed", "in_round", "approved", "in_notice", "held", "notice_done",
              "budget_confirmed", "paid", "reconciled"]


def _actions(cast):
    today = datetime.date.today()
    return {
        "confirm": lambda p: confirm(p, cast.owner, account_number="6222020200199998888"),
        "add_to_round": lambda p: services.reward_round_create(fund=p.fund, by=cast.city, payouts=[p]),
        "hold": lambda p: services.payout_object(payout=p, by=cast.auditor, text="异议"),
        "release": lambda p: services.payout_release(payout=p, by=cast.city, reason="经核查无误"),
        "confirm_budget": lambda p: services.payout_confirm_budget(payout=p, by=cast.finance),
        "pay": lambda p: services.payout_pay(payout=p, by=cast.finance, bank_reference="X1", value_date=today),
        "reject_by_finance": lambda p: services.payout_reject(payout=p, by=cast.finance, reason="账户冻结"),
        "cancel": lambda p: services.payout_cancel(payout=p, by=cast.city, reason="政策调整"),
    }


# (action, the states it is allowed from). ``confirm`` from a later state is an account change.
ALLOWED = {
    "confirm": {"awaiting_confirmation", "confirmed", "in_round", "approved", "in_notice", "notice_done"},
    "add_to_round": {"confirmed"},
    "hold": {"in_notice"},
    "release": {"held"},
    "confirm_budget": {"notice_done"},
    "pay": {"budget_confirmed"},
    "reject_by_finance": {"budget_confirmed", "notice_done"},
    "cancel": {"awaiting_confirmation", "confirmed", "in_round", "approved", "in_notice", "held", "notice_done",
               "budget_confirmed"},
}


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_transition_table(cast, zj2023, budget, state, action):
    payout = drive(due_payout(cast.own), state, cast)
    steps = Step.objects.count()
    act = _actions(cast)[action]
    if state in ALLOWED[action]:
        act(payout)
        assert Payout.objects.get(pk=payout.pk).state != state or action == "confirm"
        assert Step.objects.count() > steps
    else:
        with pytest.raises(DomainError):
            act(payout)
        assert Payout.objects.get(pk=payout.pk).state == state
        assert Step.objects.count() == steps


def test_a_due_entitlement_opens_one_payout_and_asks_the_enterprise(cast, zj2023, django_capture_on_commit_callbacks):
    from tests.rewards.conftest import recognize

    with django_capture_on_commit_callbacks(execute=True):
        _title, entitlements = recognize(cast.own)
    payout = Payout.objects.get()
    assert payout.entitlement == entitlements[0] and payout.amount == Decimal("300000.00")
    assert payout.state == PayoutState.AWAITING_CONFIRMATION
    assert QueueTask.objects.get(case_id=str(payout.pk)).kind == "payout.confirmation"
    assert cast.owner.notifications.get().kind == "payout.due"
    assert services.payout_open(entitlement=entitlements[0]) == payout  # idempotent


def test_only_the_enterprise_itself_confirms(cast, zj2023):
    payout = due_payout(cast.own)
    for stranger in (cast.other_owner, cast.city, cast.finance):
        with pytest.raises(DomainError) as refused:
            confirm(payout, stranger)
        assert refused.value.http_status == 403


def test_account_name_must_be_the_enterprise_name(cast, zj2023):
    payout = due_payout(cast.own)
    with pytest.raises(DomainError) as refused:
        services.payout_confirm(payout=payout, by=cast.owner, account_name="镇江精工轴承公司", **ACCOUNT)
    assert str(refused.value) == (
        "账户名“镇江精工轴承公司”与企业名称“镇江精工轴承有限公司”不一致：奖励只拨付到以企业自身名义开立的账户。"
    )
    assert Payout.objects.get(pk=payout.pk).state == PayoutState.AWAITING_CONFIRMATION


def test_confirming_twice_with_the_same_account_is_refused(cast, zj2023):
    payout = confirm(due_payout(cast.own), cast.owner)
    with pytest.raises(DomainError) as refused:
        confirm(payout, cast.owner)
    assert refused.value.code == "already_decided"
    assert Step.objects.filter(action="payout.confirm").count() == 1


def test_a_change_after_approval_sends_the_payout_back_to_be_approved_again(cast, zj2023, budget):
    payout = drive(due_payout(cast.own), "in_notice", cast)
    old_round = payout.round

    payout = confirm(payout, cast.owner, account_number="6222020200199998888")

    assert payout.state == PayoutState.CONFIRMED and payout.round is None
    assert payout.account_number == "6222020200199998888"
    assert Step.objects.filter(action="payout.change_account").count() == 1
    open_tasks = QueueTask.objects.filter(case_id=str(payout.pk), status="open")
    assert [t.kind for t in open_tasks] == ["payout.round_approval"]
    # The next round takes it; the old round's notice no longer includes it.
    assert not old_round.payouts.filter(pk=payout.pk).exists()
    assert drive(payout, "notice_done", cast).state == PayoutState.NOTICE_DONE


def test_budget_overrun_is_refused_naming_fund_remaining_and_shortfall(cast, zj2023, budget):
    budget.amount = Decimal("250000.00")
    budget.save()
    payout = drive(due_payout(cast.own), "notice_done", cast)
    with pytest.raises(DomainError) as refused:
        services.payout_confirm_budget(payout=payout, by=cast.finance)
    assert str(refused.value) == (
        f"资金“{zj2023.fund.name}”{datetime.date.today().year}年剩余25万元；本笔奖励30万元，缺口5万元。"
    )
    assert Payout.objects.get(pk=payout.pk).state == PayoutState.NOTICE_DONE


def test_budget_figures_count_committed_and_paid(cast, zj2023, budget):
    paid = drive(due_payout(cast.own), "paid", cast)
    committed = drive(due_payout(cast.neighbour), "budget_confirmed", cast)
    figures = services.fund_budget_figures(fund=zj2023.fund, year=datetime.date.today().year)
    assert figures["paid"] == paid.paid_amount == Decimal("300000.00")
    assert figures["committed"] == committed.amount
    assert figures["remaining"] == Decimal("300000.00")


def test_payment_issues_the_payment_notice_and_tells_the_enterprise(cast, zj2023, budget):
    payout = drive(due_payout(cast.own), "paid", cast)
    assert payout.payment_notice.kind == "payment_notice"
    assert payout.paid_amount == Decimal("300000.00") and payout.bank_reference == f"BR{payout.pk:06d}"
    assert cast.owner.notifications.filter(kind="payout.paid").count() == 1
    assert not QueueTask.objects.filter(case_id=str(payout.pk), status__in=["open", "claimed"]).exists()


def test_a_failure_midway_leaves_nothing_half_written(cast, zj2023, budget, monkeypatch):
    payout = drive(due_payout(cast.own), "budget_confirmed", cast)
    steps = Step.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("document store down")

    monkeypatch.setattr("rewards.services.payouts.document_issue", broken)
    with pytest.raises(RuntimeError):
        services.payout_pay(payout=payout, by=cast.finance, bank_reference="BR1", value_date=datetime.date.today())
    payout.refresh_from_db()
    assert payout.state == PayoutState.BUDGET_CONFIRMED and payout.bank_reference == ""
    assert Step.objects.count() == steps
    assert QueueTask.objects.get(case_id=str(payout.pk), kind="payout.payment").status == "open"
