"""Coaching plans (培育辅导): open from a diagnosis, work the items, record visits, re-diagnose.

Each action locks the plan, checks who may act, applies at most one FSM transition,
saves and writes exactly one approval step (on the plan, so its history is one list).
A plan whose diagnosis passes becomes "ready to apply"; that step is the notice the
enterprise is shown.
"""

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from approvals.cases import case_locked, case_step_record, case_transition
from enterprises.models import Enterprise, Tier, User
from notifications.selectors import enterprise_users
from notifications.services import notify

from ..criteria import Diagnosis, Kind
from ..cases.coaching import COACHING_PLAN
from ..criteria.ranking import gaps
from ..exceptions import CaseError
from ..models import CoachingActivity, CoachingItem, CoachingPlan, CoachingPlanState
from ..models.coaching import OPEN_PLAN_STATES
from ..selectors.coaching import user_can_coach, user_can_work_plan
from ..selectors.diagnosis import diagnose, next_tier
from .diagnosis import diagnosis_keep

log = logging.getLogger(__name__)


def _refuse(message: str, code: str = "forbidden", http_status: int = 403):
    raise CaseError(message, code=code, http_status=http_status)


def _check_coach(by: User | None, enterprise: Enterprise) -> None:
    if by is not None and not user_can_coach(by, enterprise):
        _refuse(_("Only the enterprise's district or city reviewers may do this."))


def _check_worker(by: User | None, plan: CoachingPlan) -> None:
    if by is not None and not user_can_work_plan(by, plan):
        _refuse(_("You may not work on this coaching plan."))


def _check_open(plan: CoachingPlan) -> None:
    if not plan.is_open:
        _refuse(_("This coaching plan is closed."), code="wrong_state", http_status=409)


def _record(plan: CoachingPlan, action: str, by, before: str = "", comment: str = "", **data) -> None:
    case_step_record(case=plan, action=COACHING_PLAN.action(action), by=by, before=before, comment=comment, **data)


def _sync_items(plan: CoachingPlan, diagnosis: Diagnosis, today: datetime.date, *, owner: str = "", due_on=None) -> dict:
    """One open item per gap: new gaps get items, met ones are closed, reappearing ones reopened."""
    current = {result.rule.id: result for result in gaps(diagnosis)}
    counts = {"opened": 0, "closed": 0, "reopened": 0}
    for item in plan.items.all():
        result = current.pop(item.rule_id, None)
        if result is None:
            if item.is_open:
                item.complete(today, by_data=True)
                counts["closed"] += 1
        else:
            item.label, item.points_lost, item.remedy = _item_text(result)
            if item.met_by_data:
                item.reopen()
                counts["reopened"] += 1
        item.save()
    for result in current.values():
        label, points_lost, remedy = _item_text(result)
        CoachingItem.objects.create(
            plan=plan, rule_id=result.rule.id, label=label, points_lost=points_lost, remedy=remedy, owner=owner, due_on=due_on
        )
        counts["opened"] += 1
    return counts


def _item_text(result) -> tuple[str, int | None, str]:
    remedy = result.remedy.text if result.remedy is not None else ""
    return result.rule.label[:255], result.lost or None, remedy


def _summary(diagnosis: Diagnosis) -> dict:
    return {
        "ruleset": diagnosis.ruleset.label,
        "as_of": diagnosis.as_of.isoformat(),
        "passed": diagnosis.passed,
        "score": diagnosis.score,
        "conditions_missing": diagnosis.conditions_missing,
        "points_short": diagnosis.points_short,
    }


def _ready_notice(plan: CoachingPlan) -> str:
    return _("The diagnosis for %(tier)s passes: %(enterprise)s is ready to apply.") % {
        "tier": plan.get_tier_display(),
        "enterprise": plan.enterprise.name,
    }


def _ready_notify(plan: CoachingPlan) -> None:
    """Tell the enterprise's users (inbox, and e-mail / SMS as each chose), in the step's transaction."""
    notify(
        recipients=enterprise_users(enterprise=plan.enterprise),
        kind="coaching_plan.ready",
        subject=lambda: _ready_notice(plan),
        body=lambda: _ready_notice(plan),
        link=reverse("cultivation:plan", kwargs={"pk": plan.pk}),
        enterprise=plan.enterprise,
    )


@transaction.atomic
def coaching_plan_open(
    *,
    enterprise: Enterprise,
    tier: str,
    by: User | None,
    as_of: datetime.date | None = None,
    kind: str = Kind.NEW,
    owner: str = "",
    due_on: datetime.date | None = None,
) -> CoachingPlan:
    """Open a plan for ``tier`` from a fresh diagnosis: one item per point lost or condition unmet.

    Locks the enterprise so that two clicks make one plan. ``by=None`` is the system
    (the demo). A plan whose diagnosis already passes opens "ready to apply".
    """
    _check_coach(by, enterprise)
    if tier not in Tier.values:
        _refuse(_("Unknown tier “%(tier)s”.") % {"tier": tier}, code="unknown_tier", http_status=400)
    enterprise = Enterprise.objects.select_for_update().select_related("jurisdiction").get(pk=enterprise.pk)
    if CoachingPlan.objects.filter(enterprise=enterprise, tier=tier, state__in=OPEN_PLAN_STATES).exists():
        _refuse(_("%(enterprise)s already has an open coaching plan for this tier.") % {"enterprise": enterprise.name},
                code="duplicate", http_status=409)
    today = timezone.localdate()
    diagnosis = diagnose(enterprise, tier, as_of or today, kind=kind)
    record = diagnosis_keep(diagnosis=diagnosis, enterprise=enterprise, by=by)
    plan = CoachingPlan.objects.create(enterprise=enterprise, tier=tier, kind=kind, diagnosis=record, opened_by=by)
    counts = _sync_items(plan, diagnosis, today, owner=owner, due_on=due_on)
    comment = ""
    if diagnosis.passed:
        case_transition(plan, CoachingPlan.ready, day=today)
        comment = _ready_notice(plan)
        _ready_notify(plan)
    _record(plan, "open", by, comment=comment, items=counts["opened"], **_summary(diagnosis))
    return plan


@transaction.atomic
def coaching_plan_rediagnose(*, plan: CoachingPlan, by: User | None, as_of: datetime.date | None = None) -> CoachingPlan:
    """Diagnose again with today's data; close met items, open new gaps, and move the plan.

    Passing moves the plan to "ready to apply" (the step is the enterprise's notice);
    failing again moves a ready plan back to coaching.
    """
    plan = case_locked(plan)
    _check_worker(by, plan)
    _check_open(plan)
    today = timezone.localdate()
    diagnosis = diagnose(plan.enterprise, plan.tier, as_of or today, kind=plan.kind)
    plan.diagnosis = diagnosis_keep(diagnosis=diagnosis, enterprise=plan.enterprise, by=by)
    counts = _sync_items(plan, diagnosis, today)
    before, action, comment = plan.state, "rediagnose", ""
    if diagnosis.passed and can_proceed(plan.ready):
        case_transition(plan, CoachingPlan.ready, day=today)
        action, comment = "ready", _ready_notice(plan)
        _ready_notify(plan)
    elif not diagnosis.passed and can_proceed(plan.reopen):
        case_transition(plan, CoachingPlan.reopen)
        action = "reopen"
    else:
        plan.save()
    _record(plan, action, by, before, comment, **counts, **_summary(diagnosis))
    return plan


def coaching_plans_rediagnose(*, enterprise: Enterprise, by: User | None) -> int:
    """After the enterprise's metrics change: re-diagnose each of its open plans (the metrics hook).

    Each plan in its own transaction, so one plan without criteria in force does not stop the others.
    """
    count = 0
    for plan in CoachingPlan.objects.filter(enterprise=enterprise, state__in=OPEN_PLAN_STATES):
        try:
            coaching_plan_rediagnose(plan=plan, by=by)
            count += 1
        except CaseError as error:
            log.warning("coaching plan %s not re-diagnosed: %s", plan.pk, error)
    return count


@COACHING_PLAN.serves(CoachingPlan.close)
@transaction.atomic
def coaching_plan_close(*, plan: CoachingPlan, by: User, reason: str) -> CoachingPlan:
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Please give a reason for closing the plan."), code="reason_required", http_status=400)
    plan = case_locked(plan)
    _check_coach(by, plan.enterprise)
    _check_open(plan)
    before = case_transition(plan, CoachingPlan.close, reason=reason)
    _record(plan, "close", by, before, reason)
    return plan


ITEM_MOVES = {"start", "complete", "drop", "reopen"}


@transaction.atomic
def coaching_item_move(*, item: CoachingItem, by: User | None, move: str, note: str = "") -> CoachingItem:
    """Move an item along (start, complete, drop, reopen); the enterprise and its coaches may."""
    plan = case_locked(item.plan)
    _check_worker(by, plan)
    _check_open(plan)
    item = CoachingItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    transition = getattr(item, move, None) if move in ITEM_MOVES else None
    if transition is None or not can_proceed(transition):
        _refuse(
            _("This item is “%(status)s”; that is not possible now.") % {"status": item.get_status_display()},
            code="wrong_state",
            http_status=409,
        )
    before = item.status
    transition(timezone.localdate()) if move in {"complete", "drop"} else transition()
    if note.strip():
        item.note = note.strip()
    item.save()
    _record(plan, f"item_{move}", by, comment=note.strip(), item=item.pk, rule=item.rule_id, status=[before, item.status])
    return item


@transaction.atomic
def coaching_item_update(*, item: CoachingItem, by: User, owner: str, due_on: datetime.date | None, note: str = "") -> CoachingItem:
    """Coaches set who owns an item and by when."""
    plan = case_locked(item.plan)
    _check_coach(by, plan.enterprise)
    _check_open(plan)
    item = CoachingItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    item.owner, item.due_on = owner.strip(), due_on
    if note.strip():
        item.note = note.strip()
    item.save()
    _record(plan, "item_update", by, comment=note.strip(), item=item.pk, rule=item.rule_id, owner=item.owner,
            due_on=due_on.isoformat() if due_on else None)
    return item


@transaction.atomic
def coaching_activity_record(
    *, plan: CoachingPlan, by: User | None, kind: str, held_on: datetime.date, participants: str, notes: str = ""
) -> CoachingActivity:
    """Record a training (专题培训) or an on-site visit (实地走访) on the plan."""
    plan = case_locked(plan)
    _check_coach(by, plan.enterprise)
    _check_open(plan)
    if not participants.strip():
        _refuse(_("Say who took part."), code="participants_required", http_status=400)
    activity = CoachingActivity(
        plan=plan, kind=kind, held_on=held_on, participants=participants.strip(), notes=notes.strip(), recorded_by=by
    )
    activity.full_clean(exclude=["plan", "recorded_by"])
    activity.save()
    _record(plan, "activity", by, comment=activity.notes, activity=activity.pk, kind=kind, held_on=held_on.isoformat())
    return activity


DEMO_PLANS = 6


def _demo_candidates(day: datetime.date):
    """Pooled enterprises with last year's data first, then any with data: the plans mean something."""
    from ..models import PoolEntry
    from ..models.pool import IN_POOL_STATES

    with_data = Enterprise.objects.filter(metrics__year=day.year - 1, coaching_plans__isnull=True).distinct()
    pooled = PoolEntry.objects.filter(state__in=IN_POOL_STATES).values("enterprise_id")
    return [*with_data.filter(pk__in=pooled).order_by("pk")[:50], *with_data.exclude(pk__in=pooled).order_by("pk")[:50]]


def demo_coaching_plans(*, stdout) -> None:
    """Demo step: open a few coaching plans, each with a training on record (idempotent, any data)."""
    from ..models import CoachingActivityKind

    today = timezone.localdate()
    opened = 0
    for enterprise in _demo_candidates(today):
        if CoachingPlan.objects.count() >= DEMO_PLANS:
            break
        try:
            plan = coaching_plan_open(enterprise=enterprise, tier=next_tier(enterprise, today), by=None)
            coaching_activity_record(
                plan=plan,
                by=None,
                kind=CoachingActivityKind.TRAINING,
                held_on=today - datetime.timedelta(days=14),
                participants=_("District bureau; the enterprise's finance and R&D managers"),
                notes=_("Went through the diagnosis and agreed who owns each gap."),
            )
        except CaseError as error:
            log.info("demo: no plan for %s: %s", enterprise, error)
            continue
        opened += 1
    stdout.write(f"   coaching plans: {opened} opened, {CoachingPlan.objects.count()} in all\n")


__all__ = [
    "CoachingPlanState",
    "coaching_activity_record",
    "coaching_item_move",
    "coaching_item_update",
    "coaching_plan_close",
    "coaching_plan_open",
    "coaching_plan_rediagnose",
    "coaching_plans_rediagnose",
    "demo_coaching_plans",
]
