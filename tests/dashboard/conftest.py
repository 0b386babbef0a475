"""A small city whose every dashboard figure is known (see ``city``'s docstring)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from approvals.models import QueueTask
from enterprises.models import AnnualMetrics, Role, Tier, TitleBasis
from rewards.models import Entitlement, Fund, FundBudget, RewardPolicy
from tests.factories import EnterpriseFactory, TitleFactory, UserFactory
from workflows.models import Application, ApplicationBatch, CoachingPlan, PoolEntry, RuleSet

D = Decimal
DAY = datetime.timedelta(days=1)


def title(enterprise, tier, *, recognized_on, valid_until, basis=TitleBasis.FIRST_TIME):
    return TitleFactory(enterprise=enterprise, tier=tier, recognized_on=recognized_on, valid_until=valid_until, basis=basis)


def overdue_task(enterprise, *, kind="pool_entry.district_review", due_on, case_id):
    return QueueTask.objects.create(
        kind=kind, role=Role.DISTRICT_REVIEWER, jurisdiction=enterprise.jurisdiction, enterprise=enterprise,
        case_type="workflows.poolentry", case_id=str(case_id), title=f"入库申请 {enterprise.name}", due_on=due_on,
    )


@pytest.fixture
def city(cast):
    """京口区: own (SRDI), neighbour (little giant, recognized today, rewarded ¥300,000), champion (champion);
    丹阳市: far (innovative; its SRDI title lapsed yesterday).

    Pool: own and far (neighbour's entry is still under district review). Coaching: own.
    Applications submitted this year: own (recommended) and far (district review).
    Overdue tasks: own (京口) and far (丹阳); one more task due tomorrow is not overdue.
    Last year's metrics: own and neighbour (the SRDI firms) and far (not SRDI: never counted).
    """
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    champion = EnterpriseFactory(name="镇江冠军装备股份有限公司")
    title(cast.own, Tier.SRDI, recognized_on=long_ago, valid_until=today + 100 * DAY)
    lg = title(cast.neighbour, Tier.LITTLE_GIANT, recognized_on=today, valid_until=today.replace(year=today.year + 3))
    title(champion, Tier.CHAMPION, recognized_on=long_ago, valid_until=today + 300 * DAY)
    title(cast.far, Tier.INNOVATIVE, recognized_on=long_ago, valid_until=today + 300 * DAY)
    title(cast.far, Tier.SRDI, recognized_on=today - 3 * 365 * DAY, valid_until=today - DAY)

    PoolEntry.objects.create(enterprise=cast.own, year=today.year, source="self", statement="s", state="pooled",
                             pooled_on=today)
    PoolEntry.objects.create(enterprise=cast.far, year=today.year, source="self", statement="s", state="pooled",
                             pooled_on=today)
    PoolEntry.objects.create(enterprise=cast.neighbour, year=today.year, source="self", statement="s",
                             state="district_review")
    CoachingPlan.objects.create(enterprise=cast.own, tier=Tier.LITTLE_GIANT)

    batch = ApplicationBatch.objects.create(
        tier=Tier.LITTLE_GIANT, year=today.year, name="小巨人推荐", opens_on=today - 30 * DAY, closes_on=today,
        ruleset=RuleSet.objects.first(),
    )
    now = timezone.now()
    Application.objects.create(enterprise=cast.own, batch=batch, tier=Tier.LITTLE_GIANT, state="recommended",
                               submitted_at=now)
    Application.objects.create(enterprise=cast.far, batch=batch, tier=Tier.LITTLE_GIANT, state="district_review",
                               submitted_at=now)

    fund = Fund.objects.create(code="DASH-TEST", name="测试奖励资金")
    FundBudget.objects.update_or_create(fund=fund, year=today.year, defaults={"amount": D("1000000.00")})
    policy = RewardPolicy.objects.create(code="DASH-TEST", name="测试政策", recognized_from=today.replace(month=1, day=1),
                                         fund=fund, first_time={"little_giant": "300000"})
    Entitlement.objects.create(
        enterprise=cast.neighbour, title=lg, policy=policy, tier=Tier.LITTLE_GIANT, basis=TitleBasis.FIRST_TIME,
        step="little_giant", amount=D("300000.00"), explanation_zh="首次认定", explanation_en="first time",
    )

    overdue_task(cast.own, due_on=today - 3 * DAY, case_id=1)
    overdue_task(cast.far, due_on=today - DAY, case_id=2)
    overdue_task(cast.neighbour, due_on=today + DAY, case_id=3)

    last = today.year - 1
    AnnualMetrics.objects.create(enterprise=cast.own, year=last, operating_revenue=D("80000000"), rd_expense=D("4000000"),
                                 invention_patents=6, cnc_rate=D("70"), smart_workshop=True)
    AnnualMetrics.objects.create(enterprise=cast.neighbour, year=last, operating_revenue=D("100000000"),
                                 rd_expense=D("2000000"), invention_patents=2, smart_workshop=False)
    AnnualMetrics.objects.create(enterprise=cast.far, year=last, operating_revenue=D("1000000"), rd_expense=D("900000"),
                                 invention_patents=50, cnc_rate=D("10"), smart_workshop=True)
    expert = UserFactory(username="expert_a", role=Role.EXPERT)
    return SimpleNamespace(cast=cast, today=today, champion=champion, fund=fund, lg=lg, expert=expert)
