"""The rows each figure rests on, one queryset per figure, already scoped.

The figures count these rows and the lists show them, so a figure and the list behind it
cannot disagree.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from approvals.models import QueueTask
from approvals.models.queues import ACTIVE
from enterprises.models import AnnualMetrics, Enterprise, Tier, Title
from rewards import models as reward_models
from rewards.models import Entitlement, EntitlementStatus
from workflows.models import Application, ApplicationState, CoachingPlan, PoolEntry
from workflows.models.pool import IN_POOL_STATES

from .scope import DashboardScope

# The white list and the plan's indicators read these tiers: provincial SRDI or higher.
SRDI_OR_HIGHER = [Tier.SRDI, Tier.LITTLE_GIANT, Tier.CHAMPION]
# An application counts as recommended once the city sent it upward, whatever came of it.
RECOMMENDED_STATES = [ApplicationState.RECOMMENDED, ApplicationState.RECOGNIZED, ApplicationState.NOT_RECOGNIZED]


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """``Title.is_valid_on(day)`` as a filter: recognized by ``day``, valid through its last day."""
    return Q(**{f"{prefix}recognized_on__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


def titled_enterprises(scope: DashboardScope, *, tiers, day: datetime.date) -> QuerySet[Enterprise]:
    """Enterprises holding a title of one of ``tiers`` valid on ``day``."""
    held = Title.objects.filter(valid_on_q(day), enterprise=OuterRef("pk"), tier__in=list(tiers))
    return scope.apply(Enterprise.objects.filter(Exists(held)), enterprise_path="").select_related("jurisdiction")


def pool_entries(scope: DashboardScope) -> QuerySet[PoolEntry]:
    """Entries in the pool now (at most one per enterprise, by the pool's own constraint)."""
    return scope.apply(PoolEntry.objects.filter(state__in=IN_POOL_STATES)).select_related("enterprise__jurisdiction")


def _enterprises_of(scope: DashboardScope, rows: QuerySet) -> QuerySet[Enterprise]:
    related = rows.filter(enterprise=OuterRef("pk"))
    return scope.apply(Enterprise.objects.filter(Exists(related)), enterprise_path="").select_related("jurisdiction")


def _rewarded(year: int) -> QuerySet:
    return Entitlement.objects.filter(
        amount__gt=0, status=EntitlementStatus.COMPUTED, title__recognized_on__year=year
    )


# The funnel, top to bottom: each stage's rows in one year (distinct enterprises are counted).
FUNNEL_ROWS = {
    "pool": lambda year: PoolEntry.objects.filter(year=year, pooled_on__isnull=False),
    "coached": lambda year: CoachingPlan.objects.filter(opened_at__year=year),
    "applied": lambda year: Application.objects.filter(submitted_at__year=year),
    "recommended": lambda year: Application.objects.filter(submitted_at__year=year, state__in=RECOMMENDED_STATES),
    "recognized": lambda year: Title.objects.filter(recognized_on__year=year, basis="first_time"),
    "rewarded": _rewarded,
}


def funnel_enterprises(scope: DashboardScope, *, stage: str, year: int) -> QuerySet[Enterprise]:
    return _enterprises_of(scope, FUNNEL_ROWS[stage](year))


def committed_entitlements(scope: DashboardScope, *, year: int, fund_id: int | None = None) -> QuerySet[Entitlement]:
    """Money owed: entitlements above zero, not cancelled, computed in ``year``."""
    rows = Entitlement.objects.filter(amount__gt=0, status=EntitlementStatus.COMPUTED, created_at__year=year)
    if fund_id is not None:
        rows = rows.filter(policy__fund_id=fund_id)
    return scope.apply(rows).select_related("enterprise__jurisdiction", "policy__fund", "title")


def payout_model():
    """rewards' payouts, once that app has them (paid money is then shown); ``None`` until then."""
    return getattr(reward_models, "Payout", None)


def paid_payouts(scope: DashboardScope, *, year: int, fund_id: int | None = None) -> QuerySet | None:
    """Payouts paid (or reconciled) against ``year``'s budget; ``None`` while payouts are not recorded."""
    model = payout_model()
    if model is None:
        return None
    from rewards.models.payouts import PAID_STATES

    rows = model.objects.filter(state__in=PAID_STATES, budget_year=year)
    if fund_id is not None:
        rows = rows.filter(fund_id=fund_id)
    return scope.apply(rows).select_related("enterprise__jurisdiction", "fund")


def overdue_tasks(scope: DashboardScope, *, today: datetime.date, kind: str = "") -> QuerySet[QueueTask]:
    """Active queue tasks past their due date, soonest due first."""
    rows = QueueTask.objects.filter(ACTIVE, due_on__lt=today)
    if kind:
        rows = rows.filter(kind=kind)
    return scope.apply(rows).select_related("enterprise__jurisdiction", "jurisdiction").order_by("due_on", "id")


def srdi_metrics(scope: DashboardScope, *, year: int, today: datetime.date) -> QuerySet[AnnualMetrics]:
    """``year``'s metric rows of the enterprises holding an SRDI-or-higher title today."""
    held = Title.objects.filter(valid_on_q(today), enterprise=OuterRef("enterprise"), tier__in=SRDI_OR_HIGHER)
    rows = AnnualMetrics.objects.filter(Exists(held), year=year)
    return scope.apply(rows).select_related("enterprise__jurisdiction")
