"""The case types of this app, one module of declarations each (read by approvals' case kernel)."""

from django.utils.translation import gettext_lazy as _

from .application import APPLICATION, EXPERT_REVIEW
from .coaching import COACHING_PLAN
from .pool import POOL_ENTRY

CASE_TYPES = [POOL_ENTRY, COACHING_PLAN, APPLICATION, EXPERT_REVIEW]

# Steps of this app that belong to no case type's decisions.
OTHER_STEP_LABELS = {
    "pool_refresh.open": _("Annual refresh opened"),
    "pool_refresh.evaluate": _("Annual refresh evaluated"),
    "ruleset.revise": _("Criteria corrected (new rule-set version)"),
    "application_batch.open": _("Application batch opened"),
    "application_batch.draw_experts": _("Experts drawn at random for the batch"),
    "application_batch.recommend": _("Batch recommended upward (推荐函 issued)"),
    "application_batch.close_results": _("Batch results recorded"),
}


def register_case_types() -> None:
    """From ``WorkflowsConfig.ready``: the kernel, the queue and the timeline learn these cases."""
    from approvals.actions import register_action, register_states
    from approvals.cases import case_type_register

    from ..models import PoolRefresh, PoolRefreshState
    from ..services import application, coaching, expert_review, pool  # noqa: F401  (binds each decision's service)

    for case_type in CASE_TYPES:
        case_type_register(case_type)
    register_states(PoolRefresh._meta.label_lower, PoolRefreshState.choices)
    for action, label in OTHER_STEP_LABELS.items():
        register_action(action, label)


__all__ = ["APPLICATION", "CASE_TYPES", "COACHING_PLAN", "EXPERT_REVIEW", "POOL_ENTRY", "register_case_types"]
