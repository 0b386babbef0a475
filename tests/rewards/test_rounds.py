"""Reward rounds: one 奖励决定 and one 公示 per round, the notice in working days, objections hold one payout."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import CalendarDay, CalendarYear, QueueTask, Step
from documents.models import Document
from enterprises.exceptions import DomainError
from rewards import services
from rewards.models import Objection, Payout, PayoutState, RewardRoundState
from rewards.services.rounds import notice_dates
from tests.rewards.conftest import drive, due_payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day_2031():
    """2031: 1–7 October off (Wednesday to Tuesday)."""
    year = CalendarYear.objects.create(year=2031)
    for day in range(1, 8):
        CalendarDay.objects.create(year=year, date=datetime.date(2031, 10, day), is_workday=False, note="国庆节")


def test_the_notice_ends_after_its_working_days_across_a_holiday(national_day_2031):
    # Monday 29 September: 29, 30 September, then 8, 9, 10 October.
    assert notice_dates(opens_on=datetime.date(2031, 9, 29), working_days=5)[:2] == (
        datetime.date(2031, 9, 29), datetime.date(2031, 10, 10))
    # Opened on a holiday, it starts on the next working day.
    assert notice_dates(opens_on=datetime.date(2031, 10, 3), working_days=5)[:2] == (
        datetime.date(2031, 10, 8), datetime.date(2031, 10, 14))


def test_the_round_closes_only_after_the_last_working_day(cast, zj2023, national_day_2031):
    payout = drive(due_payout(cast.own), "approved", cast)
    round = services.reward_round_open_notice(round=payout.round, by=cast.city, today=datetime.date(2031, 9, 29))
    assert round.notice_ends_on == datetime.date(2031, 10, 10)
    with pytest.raises(DomainError) as refused:
        services.reward_round_close_notice(round=round, by=cast.city, today=datetime.date(2031, 10, 10))
    assert str(refused.value) == "公示期至2031年10月10日。"
    round = services.reward_round_close_notice(round=round, by=cast.city, today=datetime.date(2031, 10, 11))
    assert round.state == RewardRoundState.CLOSED
    assert Payout.objects.get(pk=payout.pk).state == PayoutState.NOTICE_DONE
    assert QueueTask.objects.get(case_id=str(payout.pk), status="open").kind == "payout.budget_confirmation"


def test_one_decision_and_one_notice_document_list_every_enterprise(cast, zj2023):
    first, second = due_payout(cast.own), due_payout(cast.neighbour)
    drive(first, "confirmed", cast), drive(second, "confirmed", cast)
    round = services.reward_round_create(fund=zj2023.fund, by=cast.city)
    round = services.reward_round_approve(round=round, by=cast.city)
    rows = round.decision_document.context["body"][1]["rows"]
    assert [(row[1], row[4]) for row in rows] == [("镇江精工轴承有限公司", "30万元"), ("镇江邻居电气有限公司", "30万元")]
    services.reward_round_open_notice(round=round, by=cast.city)
    assert Document.objects.filter(kind="public_notice").count() == 1
    assert Document.objects.filter(kind="reward_decision").count() == 1
    assert set(Payout.objects.values_list("state", flat=True)) == {PayoutState.IN_NOTICE}
    assert Step.objects.filter(action="reward_round.approve").count() == 1
    assert Step.objects.filter(action="payout.approve").count() == 2


def test_an_objection_holds_only_its_payout_until_the_city_resolves_it(cast, zj2023):
    first, second = due_payout(cast.own), due_payout(cast.neighbour)
    drive(first, "confirmed", cast), drive(second, "confirmed", cast)
    round = services.reward_round_create(fund=zj2023.fund, by=cast.city)
    services.reward_round_approve(round=round, by=cast.city)
    round = services.reward_round_open_notice(round=round, by=cast.city)

    services.payout_object(payout=first, by=cast.other_owner, text="该企业研发投入数据存疑")
    assert Payout.objects.get(pk=first.pk).state == PayoutState.HELD
    assert QueueTask.objects.get(case_id=str(first.pk), status="open").kind == "payout.objection"

    after = round.notice_ends_on + datetime.timedelta(days=1)
    services.reward_round_close_notice(round=round, by=cast.city, today=after)
    assert Payout.objects.get(pk=first.pk).state == PayoutState.HELD
    assert Payout.objects.get(pk=second.pk).state == PayoutState.NOTICE_DONE

    with pytest.raises(DomainError):
        services.payout_release(payout=first, by=cast.city, reason="")
    released = services.payout_release(payout=first, by=cast.city, reason="经核查，研发投入属实", today=after)
    assert released.state == PayoutState.NOTICE_DONE
    objection = Objection.objects.get()
    assert objection.upheld is False and objection.resolution == "经核查，研发投入属实" and objection.resolved_by == cast.city
    assert QueueTask.objects.get(case_id=str(first.pk), status="open").kind == "payout.budget_confirmation"


def test_an_upheld_objection_rejects_the_payout_with_its_reason(cast, zj2023):
    payout = drive(due_payout(cast.own), "held", cast)
    payout = services.payout_reject(payout=payout, by=cast.city, reason="经核查，研发数据造假")
    assert payout.state == PayoutState.REJECTED and payout.last_reason == "经核查，研发数据造假"
    assert Objection.objects.get().upheld is True
    assert not QueueTask.objects.filter(case_id=str(payout.pk), status__in=["open", "claimed"]).exists()
    payout.process.refresh_from_db()
    assert payout.process.status == "DONE"


def test_objections_only_while_the_notice_runs(cast, zj2023):
    payout = drive(due_payout(cast.own), "approved", cast)
    with pytest.raises(DomainError) as refused:
        services.payout_object(payout=payout, by=cast.auditor, text="异议")
    assert str(refused.value) == "异议只在该笔奖励公示期间受理。"
    assert Decimal(payout.amount) == Decimal("300000.00")


def test_a_notice_running_into_an_uncovered_year_is_marked_provisional(cast, zj2023):
    payout = drive(due_payout(cast.own), "approved", cast)
    round = services.reward_round_open_notice(round=payout.round, by=cast.city, today=datetime.date(2026, 12, 30))
    assert round.notice_provisional is True  # 2027's holidays are not entered yet: weekends only were counted
