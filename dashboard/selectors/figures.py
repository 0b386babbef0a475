"""The dashboard's figures: progress against the plan, the funnel, money, overdue work, indicators.

A fixed number of queries whatever the number of enterprises, cases or jurisdictions
(each figure is one grouped query over its rows in ``sources``).
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from approvals.queues import kind_label
from approvals.workdays import working_days_between
from enterprises.models import DesignCentreLevel, Jurisdiction, Role, Tier, User
from enterprises.selectors import CITY_WIDE_READERS
from rewards.models import Fund, FundBudget

from ..models import PlanPeriod
from . import sources
from .scope import DashboardScope, dashboard_scope, user_may_view_dashboard

TIER_TARGETS = {
    Tier.CHAMPION: "champions",
    Tier.LITTLE_GIANT: "little_giants",
    Tier.SRDI: "srdi",
    Tier.INNOVATIVE: "innovative",
}
FUNNEL_LABELS = {
    "pool": _("Entered the pool"),
    "coached": _("Coached"),
    "applied": _("Applied"),
    "recommended": _("Recommended"),
    "recognized": _("Recognized"),
    "rewarded": _("Rewarded"),
}
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    """One of the plan's indicators over the SRDI-or-higher firms; ``key`` names its target on PlanPeriod."""

    key: str
    label: Promise
    kind: str  # "ratio" (Σ field / Σ denominator), "average" or "count" (firms meeting ``hit``)
    field: str
    strict: bool = False  # the plan says "above" (>), not "at least" (≥)
    percent: bool = False
    denominator: str = ""
    hit: Q | None = None

    @property
    def known(self) -> Q:
        """The rows the figure rests on: those whose inputs are known (unknown is not zero)."""
        if self.kind == "ratio":
            return Q(**{f"{self.field}__isnull": False, f"{self.denominator}__gt": 0})
        if self.field == "design_centre_level":
            return ~Q(design_centre_level="")
        return Q(**{f"{self.field}__isnull": False})


INDICATORS = [
    Indicator("rd_intensity", _("R&D intensity (R&D expense / revenue)"), "ratio", "rd_expense",
              percent=True, denominator="operating_revenue"),
    Indicator("invention_patents_per_firm", _("Invention patents per firm"), "average", "invention_patents"),
    Indicator("cnc_rate", _("Key-process CNC rate"), "average", "cnc_rate", strict=True, percent=True),
    Indicator("digital_management_rate", _("Digital management"), "average", "digital_management_rate",
              strict=True, percent=True),
    Indicator("digital_rd_tools_rate", _("Digital R&D tools"), "average", "digital_rd_tools_rate", percent=True),
    Indicator("smart_workshops", _("Smart workshops"), "count", "smart_workshop", hit=Q(smart_workshop=True)),
    Indicator("green_factories", _("Green factories"), "count", "green_factory", hit=Q(green_factory=True)),
    Indicator("listed_firms", _("Listed firms"), "count", "listed", hit=Q(listed=True)),
    Indicator("equity_board_firms", _("On the Jiangsu equity exchange SRDI board"), "count",
              "equity_exchange_board", hit=Q(equity_exchange_board=True)),
    Indicator("jiangsu_premium", _("Jiangsu Premium brand (江苏精品)"), "count", "jiangsu_premium", hit=Q(jiangsu_premium=True)),
    Indicator("design_centres", _("Provincial-or-higher industrial design centres"), "count", "design_centre_level",
              hit=Q(design_centre_level__in=[DesignCentreLevel.PROVINCIAL, DesignCentreLevel.NATIONAL])),
]
INDICATORS_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@dataclass
class Progress:
    """A count against its target, in total and by jurisdiction."""

    key: str
    label: str
    total: int
    target: int | None
    by_jurisdiction: dict[int, int] = field(default_factory=dict)

    @property
    def share(self) -> Decimal | None:
        if not self.target:
            return None
        return (Decimal(self.total) * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def count_in(self, jurisdiction: Jurisdiction) -> int:
        return self.by_jurisdiction.get(jurisdiction.pk, 0)


@dataclass
class FunnelStage:
    key: str
    label: str
    count: int


@dataclass
class FundLine:
    fund: Fund
    budget: Decimal | None
    committed: Decimal
    paid: Decimal | None  # None while payouts are not recorded

    @property
    def committed_share(self) -> Decimal | None:
        return _percent(self.committed, self.budget)

    @property
    def paid_share(self) -> Decimal | None:
        return None if self.paid is None else _percent(self.paid, self.budget)


@dataclass
class OverdueLine:
    kind: str
    label: str
    total: int
    by_jurisdiction: dict[int, int]

    def count_in(self, jurisdiction: Jurisdiction) -> int:
        return self.by_jurisdiction.get(jurisdiction.pk, 0)


@dataclass
class IndicatorFigure:
    indicator: Indicator
    value: Decimal | int | None
    firms: int
    target: Decimal | int | None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value > self.target if self.indicator.strict else self.value >= self.target


@dataclass
class Dashboard:
    scope: DashboardScope
    year: int
    metrics_year: int
    today: datetime.date
    plan: PlanPeriod | None
    jurisdictions: list[Jurisdiction]
    tiers: list[Progress]
    pool: Progress
    funnel: list[FunnelStage]
    funds: list[FundLine]
    payouts_recorded: bool
    days_to_paid: "DaysToPaid | None"
    overdue: list[OverdueLine]
    indicators: list[IndicatorFigure]

    @property
    def overdue_total(self) -> int:
        return sum(line.total for line in self.overdue)


def plan_for_year(year: int) -> PlanPeriod | None:
    """The plan covering ``year``; past the last plan, the latest one (its targets still stand)."""
    plans = list(PlanPeriod.objects.order_by("-from_year"))
    covering = [plan for plan in plans if plan.from_year <= year <= plan.to_year]
    earlier = [plan for plan in plans if plan.from_year <= year]
    return (covering or earlier or plans or [None])[0]


# The figures are a score of grouped counts over every enterprise, case and payout of the scope
# (~130 ms at 100,000 enterprises on PostgreSQL, 150-200 ms under load): readers of the same reach,
# year and language share them for a minute. A figure is at most that old; the lists behind the
# figures are live. The sweep (dashboard_figures_warm) computes this year's before they expire, so
# a reader of the plain dashboard does not wait for them.
FIGURES_CACHE_SECONDS = 60


def dashboard_figures(*, scope: DashboardScope, year: int, today: datetime.date) -> Dashboard:
    """The dashboard of ``scope``, computed at most once a minute per reach, year and language."""
    board = cache.get_or_set(
        _figures_key(scope, year, today), lambda: _figures(scope=scope, year=year, today=today), FIGURES_CACHE_SECONDS
    )
    return replace(board, scope=scope)


def dashboard_figures_warm(*, today: datetime.date | None = None) -> dict[str, int]:
    """Compute this year's unfiltered figures of every reach (the city, each district with a
    reviewer) in every language of the site, and keep them for two periods of the sweep.

    A hook of the due sweep (TIDU_DUE_SWEEP_HOOKS; beat and ``run_due_timers`` run it every
    minute or less), so the figures are replaced before they expire and are at most a sweep old.
    """
    today = today or timezone.localdate()
    scopes = [dashboard_scope(user=user) for user in _reach_representatives()]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for scope in scopes:
                board = _figures(scope=scope, year=today.year, today=today)
                cache.set(_figures_key(scope, today.year, today), board, 2 * FIGURES_CACHE_SECONDS)
    return {"dashboard_figures_warmed": len(scopes) * len(settings.LANGUAGES)}


def _figures_key(scope: DashboardScope, year: int, today: datetime.date) -> str:
    user = scope.user
    reach = "city" if scope.city_wide else f"{user.role}:{user.jurisdiction_id}:{user.enterprise_id}"
    return f"dashboard:figures:{reach}:{scope.jurisdiction_code}:{year}:{today}:{get_language()}"


def _reach_representatives() -> list[User]:
    """One active user of each reach: a city-wide reader, and a reviewer of each district."""
    city_wide = User.objects.filter(is_active=True, role__in=CITY_WIDE_READERS).order_by("pk").first()
    districts: dict[int, User] = {}
    for reviewer in User.objects.filter(is_active=True, role=Role.DISTRICT_REVIEWER, jurisdiction__isnull=False).order_by("pk"):
        districts.setdefault(reviewer.jurisdiction_id, reviewer)
    return [user for user in (city_wide, *districts.values()) if user is not None and user_may_view_dashboard(user)]


def _figures(*, scope: DashboardScope, year: int, today: datetime.date) -> Dashboard:
    plan = plan_for_year(year)
    jurisdictions = list(scope.choices) if scope.jurisdiction is None else [scope.jurisdiction]
    payouts = sources.paid_payouts(scope, year=year)
    return Dashboard(
        scope=scope,
        year=year,
        metrics_year=year - 1,
        today=today,
        plan=plan,
        jurisdictions=jurisdictions,
        tiers=[_tier_progress(scope, tier, plan, today) for tier in reversed(Tier.ladder())],
        pool=_by_jurisdiction(
            "pool", _("Cultivation pool"), sources.pool_entries(scope), "enterprise__jurisdiction_id",
            getattr(plan, "pool", None),
        ),
        funnel=[
            FunnelStage(stage, str(label), sources.funnel_enterprises(scope, stage=stage, year=year).count())
            for stage, label in FUNNEL_LABELS.items()
        ],
        funds=_fund_lines(scope, year, payouts),
        payouts_recorded=payouts is not None,
        days_to_paid=_days_to_paid(payouts),
        overdue=_overdue_lines(scope, today),
        indicators=_indicator_figures(scope, plan, year - 1, today),
    )


def _tier_progress(scope, tier: Tier, plan, today) -> Progress:
    rows = sources.titled_enterprises(scope, tiers=[tier], day=today)
    return _by_jurisdiction(tier.value, tier.label, rows, "jurisdiction_id", getattr(plan, TIER_TARGETS[tier], None))


def _by_jurisdiction(key, label, rows, jurisdiction_path: str, target) -> Progress:
    counts = {row[jurisdiction_path]: row["n"] for row in rows.order_by().values(jurisdiction_path).annotate(n=Count("pk"))}
    return Progress(key=key, label=str(label), total=sum(counts.values()), target=target, by_jurisdiction=counts)


def _fund_lines(scope, year: int, payouts) -> list[FundLine]:
    budgets = {b.fund_id: b.amount for b in FundBudget.objects.filter(year=year)}
    committed = _sums(sources.committed_entitlements(scope, year=year), "policy__fund_id", "amount")
    paid = _sums(payouts, "fund_id", "paid_amount") if payouts is not None else None
    return [
        FundLine(
            fund=fund,
            budget=budgets.get(fund.pk),
            committed=committed.get(fund.pk, Decimal("0.00")),
            paid=None if paid is None else paid.get(fund.pk, Decimal("0.00")),
        )
        for fund in Fund.objects.order_by("code")
    ]


@dataclass
class DaysToPaid:
    """免申即享's promise, measured: working days from the recognition to the money, the notice aside."""

    median: int
    slowest: int
    payouts: int


def _days_to_paid(payouts) -> DaysToPaid | None:
    rows = list(payouts.filter(value_date__isnull=False).values_list(
        "entitlement__title__recognized_on", "value_date", "round__notice_working_days")) if payouts is not None else []
    if not rows:
        return None
    elapsed = working_days_between([(recognized_on, paid_on) for recognized_on, paid_on, _notice in rows])
    days = sorted(max(0, total - (notice or 0)) for total, (_r, _p, notice) in zip(elapsed, rows, strict=True))
    return DaysToPaid(median=days[len(days) // 2], slowest=days[-1], payouts=len(days))


def _sums(rows, fund_path: str, amount: str) -> dict[int, Decimal]:
    grouped = rows.order_by().values(fund_path).annotate(total=Sum(amount))
    return {row[fund_path]: row["total"] for row in grouped}


def _overdue_lines(scope, today) -> list[OverdueLine]:
    grouped = (
        sources.overdue_tasks(scope, today=today).order_by()
        .values("kind", "enterprise__jurisdiction_id").annotate(n=Count("pk"))
    )
    lines: dict[str, OverdueLine] = {}
    for row in grouped:
        line = lines.setdefault(row["kind"], OverdueLine(row["kind"], str(kind_label(row["kind"])), 0, {}))
        line.by_jurisdiction[row["enterprise__jurisdiction_id"]] = row["n"]
        line.total += row["n"]
    return sorted(lines.values(), key=lambda line: (-line.total, line.label))


def _indicator_figures(scope, plan, metrics_year: int, today) -> list[IndicatorFigure]:
    rows = sources.srdi_metrics(scope, year=metrics_year, today=today)
    aggregates = {}
    for indicator in INDICATORS:
        aggregates[f"{indicator.key}__firms"] = Count("pk", filter=indicator.known)
        aggregates.update(_value_aggregates(indicator))
    values = rows.order_by().aggregate(**aggregates)
    return [
        IndicatorFigure(
            indicator=indicator,
            value=_indicator_value(indicator, values),
            firms=values[f"{indicator.key}__firms"],
            target=getattr(plan, indicator.key, None),
        )
        for indicator in INDICATORS
    ]


def _value_aggregates(indicator: Indicator) -> dict:
    key = indicator.key
    if indicator.kind == "ratio":
        return {
            f"{key}__num": Sum(indicator.field, filter=indicator.known),
            f"{key}__den": Sum(indicator.denominator, filter=indicator.known),
        }
    if indicator.kind == "average":
        return {f"{key}__avg": Avg(indicator.field, filter=indicator.known)}
    return {f"{key}__hits": Count("pk", filter=indicator.known & indicator.hit)}


def _indicator_value(indicator: Indicator, values: dict):
    key = indicator.key
    if indicator.kind == "ratio":
        return _percent(values[f"{key}__num"], values[f"{key}__den"])
    if indicator.kind == "average":
        average = values[f"{key}__avg"]
        return None if average is None else Decimal(str(average)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return values[f"{key}__hits"]


def _percent(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
