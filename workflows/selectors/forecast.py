"""The candidates rewards prices in its forecast (``TIDU_FORECAST_CANDIDATES``): rewards sits below
workflows and never reads cases itself."""

from enterprises.models import Enterprise

from ..models import Application, ApplicationState, CoachingPlan, CoachingPlanState


def recommended_applications() -> list[tuple[Enterprise, str]]:
    """(enterprise, tier) of every application recommended upward and waiting for its result."""
    applications = Application.objects.filter(state=ApplicationState.RECOMMENDED).select_related("enterprise")
    return [(application.enterprise, application.tier) for application in applications]


def ready_to_apply() -> list[tuple[Enterprise, str]]:
    """(enterprise, tier) of every coaching plan whose diagnosis passes: the next applicants."""
    plans = CoachingPlan.objects.filter(state=CoachingPlanState.READY).select_related("enterprise")
    return [(plan.enterprise, plan.tier) for plan in plans]
