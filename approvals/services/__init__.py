"""Writes of the approvals app, one module per topic; import the actions from here."""

from .queues import (
    DEFAULT,
    BulkOutcome,
    queue_task_claim,
    queue_task_close,
    queue_task_for_action,
    queue_task_open,
    queue_task_reassign,
    queue_task_release,
    queue_tasks_bulk_approve,
    queue_tasks_cancel,
)
from .steps import SYSTEM_ACTOR_NAME, step_record

__all__ = [
    "DEFAULT",
    "SYSTEM_ACTOR_NAME",
    "BulkOutcome",
    "queue_task_claim",
    "queue_task_close",
    "queue_task_for_action",
    "queue_task_open",
    "queue_task_reassign",
    "queue_task_release",
    "queue_tasks_bulk_approve",
    "queue_tasks_cancel",
    "step_record",
]
