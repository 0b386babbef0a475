"""The forecast: next year's expected outlay per fund, priced by the policies in force.

Rewards sits below workflows, so it never reads applications itself: the candidates
(enterprise, tier) come from the caller, or from the callables named in the setting
``TIDU_FORECAST_CANDIDATES`` (dotted paths; workflows supplies the recommended
applications and the pooled enterprises ranked ready to apply).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.module_loading import import_string

from enterprises.models import Enterprise, Tier

from ..models import Entitlement, EntitlementStatus, Fund, PastAward
from .entitlements import policies_in_force

ZERO = Decimal("0.00")


@dataclass
class FundForecast:
    fund: Fund
    amount: Decimal = ZERO
    lines: list[tuple[Enterprise, str, Decimal]] = field(default_factory=list)


def forecast_candidates() -> list[tuple[Enterprise, str]]:
    """(enterprise, tier) pairs from every configured source, each pair once."""
    seen, pairs = set(), []
    for path in getattr(settings, "TIDU_FORECAST_CANDIDATES", []):
        for enterprise, tier in import_string(path)():
            if (enterprise.pk, tier) not in seen:
                seen.add((enterprise.pk, tier))
                pairs.append((enterprise, tier))
    return pairs


def payouts_forecast(*, candidates: list[tuple[Enterprise, str]], year: int) -> list[FundForecast]:
    """What each fund would pay if every candidate were recognized, first time, on 1 January of ``year``.

    Each is priced as the entitlement engine would: the tier's amount minus what the
    ladder already received under the fund (entitlements and past awards), never below zero.
    """
    day = datetime.date(year, 1, 1)
    funds: dict[int, FundForecast] = {}
    for enterprise, tier in candidates:
        for policy in policies_in_force(jurisdiction=enterprise.jurisdiction_on(day), day=day):
            full = policy.first_time_amount(tier)
            if full is None:
                continue
            amount = max(ZERO, full - _received(enterprise, policy, tier))
            forecast = funds.setdefault(policy.fund_id, FundForecast(fund=policy.fund))
            forecast.amount += amount
            forecast.lines.append((enterprise, tier, amount))
    return sorted(funds.values(), key=lambda f: f.fund.code)


def _received(enterprise: Enterprise, policy, tier: str) -> Decimal:
    ladder = Tier.ladder()
    lower_or_same = ladder[: ladder.index(tier) + 1] if policy.top_up else [tier]
    entitled = Entitlement.objects.filter(
        enterprise=enterprise, status=EntitlementStatus.COMPUTED, policy__fund_id=policy.fund_id, tier__in=lower_or_same,
    ).aggregate(total=Sum("amount"))["total"] or ZERO
    awarded = PastAward.objects.filter(enterprise=enterprise, level=policy.level, tier__in=lower_or_same).aggregate(
        total=Sum("amount"))["total"] or ZERO
    return entitled + awarded
