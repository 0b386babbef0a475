"""Reads of coaching plans, scoped to the user, and who may do what on them."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from approvals.models import Step
from enterprises.models import Enterprise, Role, User
from enterprises.selectors import has_role, scope_to_user

from ..criteria import Diagnosis
from ..criteria.report import diagnosis_data
from ..models import CoachingItem, CoachingPlan, DiagnosisRecord, RuleSet
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


def coaching_plan_diagnosis(plan: CoachingPlan) -> Diagnosis | None:
    """The plan's latest diagnosis made again, so that its words are in the reader's language (the
    record keeps them as text in the language of the request that diagnosed). None when there is
    none, or when running it again would not give the record's verdict (the rule set was revised,
    or the data changed without a re-diagnosis): then the record is what the plan stands on."""
    record = plan.diagnosis
    if record is None:
        return None
    diagnosis = diagnose(plan.enterprise, plan.tier, record.as_of, kind=plan.kind)
    if (diagnosis.ruleset.id, diagnosis.passed, diagnosis.score) != (record.ruleset_id, record.passed, record.score):
        return None
    return diagnosis


def coaching_plan_result(plan: CoachingPlan, diagnosis: Diagnosis | None) -> dict | None:
    """The plan's latest diagnosis as its report reads it: from ``diagnosis`` when it was made
    again (``coaching_plan_diagnosis``), else the record's stored text."""
    if diagnosis is not None:
        return diagnosis_data(diagnosis)
    return plan.diagnosis.result if plan.diagnosis is not None else None


def coaching_plan_items(plan: CoachingPlan, diagnosis: Diagnosis | None) -> list[CoachingItem]:
    """The plan's items, each with its gap and remedy in the reader's language (``shown_label``,
    ``shown_remedy``) worded from ``diagnosis`` (``coaching_plan_diagnosis``); an item it has no
    remedy for keeps its stored text."""
    results = {result.rule.id: result for result in diagnosis.rules} if diagnosis is not None else {}
    items = list(plan.items.all())
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


# The worker's re-diagnosis after a criteria correction keeps its starting count here while it runs;
# a lost worker's entry is forgotten after an hour (what it left is still owed, and swept).
REDIAGNOSIS_PROGRESS_KEY = "workflows:coaching:rediagnosis"
REDIAGNOSIS_PROGRESS_SECONDS = 3600


def coaching_plans_stale(*, replaced_before=None) -> QuerySet:
    """Open plans whose latest diagnosis used a rule-set version that a correction has since replaced.

    The plans themselves are the record of what is owed (their gaps were listed by the old
    figures); ``replaced_before`` keeps to versions replaced before that moment (the sweep's
    grace, so it does not race the worker queued by the correction).
    """
    stale = CoachingPlan.objects.filter(state__in=OPEN_PLAN_STATES, diagnosis__ruleset__is_current=False)
    if replaced_before is not None:
        successors = RuleSet.objects.filter(previous=OuterRef("diagnosis__ruleset"), created_at__lt=replaced_before)
        stale = stale.filter(Exists(successors))
    return stale.order_by("pk")


def coaching_plans_open_on(ruleset) -> QuerySet:
    """Open plans whose latest diagnosis used ``ruleset``: what correcting it will re-diagnose."""
    return CoachingPlan.objects.filter(state__in=OPEN_PLAN_STATES, diagnosis__ruleset=ruleset)


def coaching_rediagnosis_progress() -> dict | None:
    """``{"done", "total", "running"}`` of the re-diagnosis owed after a correction, or None when
    no open plan is measured by a replaced version and no run is going on."""
    remaining = coaching_plans_stale().count()
    total = cache.get(REDIAGNOSIS_PROGRESS_KEY)
    if total is None:
        return {"done": 0, "total": remaining, "running": False} if remaining else None
    total = max(total, remaining)
    return {"done": total - remaining, "total": total, "running": True}
