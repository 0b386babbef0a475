"""The case types of this app, one module of declarations each (read by approvals' case kernel)."""

from django.utils.translation import gettext_lazy as _

from .coaching import COACHING_PLAN
from .pool import POOL_ENTRY

CASE_TYPES = [POOL_ENTRY, COACHING_PLAN]

# Steps of this app that belong to no case type's decisions.
OTHER_STEP_LABELS = {
    "pool_refresh.open": _("Annual refresh opened"),
    "pool_refresh.evaluate": _("Annual refresh evaluated"),
    "ruleset.revise": _("Criteria corrected (new rule-set version)"),
}


def register_case_types() -> None:
    """From ``WorkflowsConfig.ready``: the kernel, the queue and the timeline learn these cases."""
    from approvals.actions import register_action, register_states
    from approvals.cases import case_type_register

    from ..models import PoolRefresh, PoolRefreshState
    from ..services import coaching, pool  # noqa: F401  (binds each decision's service)

    for case_type in CASE_TYPES:
        case_type_register(case_type)
    register_states(PoolRefresh._meta.label_lower, PoolRefreshState.choices)
    for action, label in OTHER_STEP_LABELS.items():
        register_action(action, label)


__all__ = ["CASE_TYPES", "COACHING_PLAN", "POOL_ENTRY", "register_case_types"]
