"""Reads of coaching plans, scoped to the user, and who may do what on them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from approvals.models import Step
from enterprises.models import Enterprise, Role, User
from enterprises.selectors import has_role, scope_to_user

from ..models import CoachingItem, CoachingPlan, DiagnosisRecord
from ..models.coaching import OPEN_PLAN_STATES
from .diagnosis import diagnose

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


def coaching_plan_items(plan: CoachingPlan) -> list[CoachingItem]:
    """The plan's items, each with its gap and remedy in the reader's language (``shown_label``,
    ``shown_remedy``). An item keeps them as text in the language of the request that diagnosed,
    so they are worded again from the rules and the enterprise's data: one diagnosis, as of the
    plan's latest; an item whose rule no longer has a remedy keeps its stored text."""
    items = list(plan.items.all())
    results = {}
    if items and plan.diagnosis is not None:
        diagnosis = diagnose(plan.enterprise, plan.tier, plan.diagnosis.as_of, kind=plan.kind)
        results = {result.rule.id: result for result in diagnosis.rules}
    for item in items:
        result = results.get(item.rule_id)
        item.shown_label = result.rule.label if result is not None else item.label
        item.shown_remedy = result.remedy.text if result is not None and result.remedy is not None else item.remedy
    return items


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
