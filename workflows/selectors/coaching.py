"""Reads of coaching plans, scoped to the user, and who may do what on them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from approvals.models import Step
from enterprises.models import Enterprise, Role, User
from enterprises.selectors import has_role, scope_to_user

from ..models import CoachingPlan, DiagnosisRecord
from ..models.coaching import OPEN_PLAN_STATES

COACH_ROLES = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)


def user_can_coach(user: User, enterprise: Enterprise) -> bool:
    """Reviewers (and administrators) coach the enterprises in their scope."""
    if not has_role(user, *COACH_ROLES):
        return False
    return scope_to_user(Enterprise.objects.filter(pk=enterprise.pk), user, enterprise_path="").exists()


def user_can_work_plan(user: User, plan: CoachingPlan) -> bool:
    """The enterprise itself and its coaches move items along; auditors and finance only read."""
    if user.is_authenticated and user.role == Role.ENTERPRISE:
        return user.enterprise_id == plan.enterprise_id
    return user_can_coach(user, plan.enterprise)


def coaching_plan_list(*, user: User, state: str | None = None, tier: str | None = None, enterprise=None) -> QuerySet:
    queryset = scope_to_user(
        CoachingPlan.objects.select_related("enterprise__jurisdiction", "diagnosis__ruleset"), user
    )
    if state == "open":
        queryset = queryset.filter(state__in=OPEN_PLAN_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    if tier:
        queryset = queryset.filter(tier=tier)
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    return queryset


def coaching_plan_get(*, user: User, pk) -> CoachingPlan:
    """One plan in the user's scope, or 404."""
    return get_object_or_404(coaching_plan_list(user=user), pk=pk)


def open_plan_for(enterprise: Enterprise, tier: str) -> CoachingPlan | None:
    return CoachingPlan.objects.filter(enterprise=enterprise, tier=tier, state__in=OPEN_PLAN_STATES).first()


def coaching_plan_history(plan: CoachingPlan) -> QuerySet:
    """The plan's approval steps, oldest first: opening, re-diagnoses, items, visits, notices."""
    return Step.objects.filter(object_type=plan._meta.label_lower, object_id=str(plan.pk)).order_by("seq")


def ready_notices(*, user: User, enterprise: Enterprise) -> QuerySet:
    """Plans of ``enterprise`` now ready to apply: the notice the enterprise is shown."""
    return coaching_plan_list(user=user, state="ready", enterprise=enterprise)


def diagnosis_records(*, user: User, enterprise: Enterprise) -> QuerySet:
    return scope_to_user(DiagnosisRecord.objects.select_related("ruleset"), user).filter(enterprise=enterprise)
