"""Revocation: unpaid rewards cancelled, paid ones clawed back (refund or offset), re-recognition banned."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import Step
from enterprises.exceptions import DomainError
from enterprises.models import Tier
from rewards import services
from rewards.models import Clawback, ClawbackState, EntitlementStatus, FundBudget, PayoutState
from tests.rewards.conftest import drive, due_payout

pytestmark = pytest.mark.django_db


def test_revoking_cancels_unpaid_and_claws_back_paid(cast, zj2023, budget):
    paid = drive(due_payout(cast.own), "paid", cast)
    unpaid = drive(due_payout(cast.neighbour), "in_notice", cast)

    revocation = services.title_revoke(title=paid.entitlement.title, by=cast.city, reason="复核发现数据造假",
                                       day=datetime.date(2026, 3, 2))
    clawback = paid.clawback
    assert clawback.amount_due == Decimal("300000.00") and clawback.state == ClawbackState.OPEN
    assert clawback.due_on > datetime.date(2026, 3, 2)
    assert revocation.banned_until == datetime.date(2029, 3, 2)
    assert revocation.document.kind == "reward_decision"

    services.title_revoke(title=unpaid.entitlement.title, by=cast.city, reason="举报属实")
    unpaid.refresh_from_db(), unpaid.entitlement.refresh_from_db()
    assert unpaid.state == PayoutState.CANCELLED and unpaid.entitlement.status == EntitlementStatus.CANCELLED
    assert Step.objects.filter(action="payout.cancel").count() == 1
    assert Step.objects.filter(action="reward_revocation.record").count() == 2
    with pytest.raises(DomainError):
        services.title_revoke(title=unpaid.entitlement.title, by=cast.city, reason="again")


def test_a_clawback_is_offset_against_a_later_payout_or_refunded(cast, zj2023, budget):
    FundBudget.objects.filter(pk=budget.pk).update(amount=10**8 * 100)
    paid = drive(due_payout(cast.own), "paid", cast)
    services.title_revoke(title=paid.entitlement.title, by=cast.city, reason="复核发现数据造假")
    later = due_payout(cast.own, tier=Tier.CHAMPION)  # the top-up, 200,000: smaller than the 300,000 due
    with pytest.raises(DomainError) as refused:
        services.clawback_offset(clawback=paid.clawback, payout=later, by=cast.finance)
    assert str(refused.value) == "该笔奖励（20万元）小于应退金额（30万元）。"
    Clawback.objects.filter(pk=paid.clawback.pk).update(amount_due=Decimal("150000.00"))

    clawback = services.clawback_offset(clawback=paid.clawback, payout=later, by=cast.finance)

    later.refresh_from_db()
    assert clawback.state == ClawbackState.OFFSET and later.offset_amount == Decimal("150000.00")
    later = drive(later, "paid", cast)
    assert later.paid_amount == Decimal("50000.00")
    assert Step.objects.filter(action__in=["clawback.offset", "payout.offset"]).count() == 2
    with pytest.raises(DomainError):
        services.clawback_refund(clawback=clawback, by=cast.finance, reference="R1")


def test_a_clawback_refund_is_recorded_by_finance(cast, zj2023, budget):
    paid = drive(due_payout(cast.own), "paid", cast)
    services.title_revoke(title=paid.entitlement.title, by=cast.city, reason="复核发现数据造假")
    with pytest.raises(DomainError):
        services.clawback_refund(clawback=paid.clawback, by=cast.city, reference="R1")
    clawback = services.clawback_refund(clawback=paid.clawback, by=cast.finance, reference="R1")
    assert clawback.state == ClawbackState.REFUNDED and clawback.refund_reference == "R1"


def test_a_revoked_enterprise_is_banned_for_the_policy_period(cast, zj2023, budget):
    paid = drive(due_payout(cast.own), "paid", cast)
    day = datetime.date(2026, 3, 2)
    services.title_revoke(title=paid.entitlement.title, by=cast.city, reason="复核发现数据造假", day=day)
    reason = services.enterprise_recognition_banned(enterprise=cast.own, day=datetime.date(2027, 1, 1))
    assert reason == ("镇江精工轴承有限公司的称号已于2026年3月2日撤销（复核发现数据造假），2029年3月2日前不得再次认定。")
    assert services.enterprise_recognition_banned(enterprise=cast.own, day=datetime.date(2029, 3, 2)) is None
    assert services.enterprise_recognition_banned(enterprise=cast.neighbour, day=day) is None
