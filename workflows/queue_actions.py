"""What approvals shows for workflows' cases: queue kinds, bulk actions, step and state labels.

approvals never imports workflows; workflows registers these at start-up.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _pool_entry_url(queue_task) -> str:
    return reverse("pool:detail", args=[queue_task.case_id])


def _bulk(service):
    def run(*, case_type, case_id, by, comment):
        from .models import PoolEntry

        return service(entry=PoolEntry.objects.get(pk=case_id), by=by, comment=comment)

    return run


POOL_STEP_LABELS = {
    "pool_entry.submit": _("Pool entry proposed"),
    "pool_entry.district_approve": _("District review: approved"),
    "pool_entry.return": _("Returned for revision"),
    "pool_entry.reject": _("District review: rejected"),
    "pool_entry.resubmit": _("Resubmitted"),
    "pool_entry.city_approve": _("City review: approved, in the pool"),
    "pool_entry.withdraw": _("Withdrawn"),
    "pool_entry.propose_exit": _("Proposed for exit by the annual refresh"),
    "pool_entry.confirm_exit": _("Exit confirmed"),
    "pool_entry.keep": _("Kept in the pool"),
    "pool_refresh.open": _("Annual refresh opened"),
    "pool_refresh.evaluate": _("Annual refresh evaluated"),
}


COACHING_STEP_LABELS = {
    "coaching_plan.open": _("Coaching plan opened"),
    "coaching_plan.rediagnose": _("Coaching plan re-diagnosed"),
    "coaching_plan.ready": _("Ready to apply: the enterprise was told"),
    "coaching_plan.reopen": _("Coaching plan back to coaching"),
    "coaching_plan.close": _("Coaching plan closed"),
    "coaching_plan.item_start": _("Coaching item started"),
    "coaching_plan.item_complete": _("Coaching item completed"),
    "coaching_plan.item_drop": _("Coaching item dropped"),
    "coaching_plan.item_reopen": _("Coaching item reopened"),
    "coaching_plan.item_update": _("Coaching item updated"),
    "coaching_plan.activity": _("Training or visit recorded"),
    "ruleset.revise": _("Criteria corrected (new rule-set version)"),
}


def register_queue_actions() -> None:
    from approvals.actions import register_action, register_states
    from approvals.queues import register_bulk_action, register_kind

    from .models import CoachingPlan, PoolEntry, PoolEntryState, PoolRefresh, PoolRefreshState
    from .models.coaching import CoachingPlanState
    from .services import pool

    register_states(PoolEntry._meta.label_lower, PoolEntryState.choices)
    register_states(PoolRefresh._meta.label_lower, PoolRefreshState.choices)
    register_states(CoachingPlan._meta.label_lower, CoachingPlanState.choices)
    for action, label in {**POOL_STEP_LABELS, **COACHING_STEP_LABELS}.items():
        register_action(action, label)

    register_kind(pool.DISTRICT_REVIEW, _("Pool entry: district review"), _pool_entry_url)
    register_kind(pool.CITY_REVIEW, _("Pool entry: city review"), _pool_entry_url)
    register_kind(pool.REVISION, _("Pool entry: revise and resubmit"), _pool_entry_url)
    register_kind(pool.EXIT_REVIEW, _("Pool exit review"), _pool_entry_url)
    register_bulk_action(pool.DISTRICT_REVIEW, _("Approve"), _bulk(pool.pool_entry_district_approve))
    register_bulk_action(pool.CITY_REVIEW, _("Approve"), _bulk(pool.pool_entry_city_approve))
    register_bulk_action(pool.EXIT_REVIEW, _("Confirm exit"), _bulk(pool.pool_entry_confirm_exit))
