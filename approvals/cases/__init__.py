"""The case kernel: one declaration per case type, one shape for every decision.

A case type (pool entry, coaching plan, application, payout…) declares, once, its model,
the human tasks its flow opens (kind, role, working-day SLA, label) and the decisions
people take (the FSM transition, the tasks it completes, its labels). Flows open tasks
from these declarations, services decide through :func:`case_decide`, and the queue,
the timeline, bulk actions and the API read their labels from the same place. A decision
has one name everywhere: its transition's (the step action, the queue outcome, the
page and API key).
"""

from .declarations import CaseType, Decision, HumanTask, case_type_for, case_type_register, case_types
from .flows import CaseFlowMixin, case_of
from .kernel import (
    case_cancel,
    case_decide,
    case_locked,
    case_reason_required,
    case_start,
    case_step_record,
    case_task_complete,
    case_transition,
)

__all__ = [
    "CaseFlowMixin",
    "CaseType",
    "Decision",
    "HumanTask",
    "case_cancel",
    "case_decide",
    "case_locked",
    "case_of",
    "case_reason_required",
    "case_start",
    "case_step_record",
    "case_task_complete",
    "case_transition",
    "case_type_for",
    "case_type_register",
    "case_types",
]
