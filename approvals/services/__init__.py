"""Writes of the approvals app, one module per topic; import the actions from here.

Steps are written with ``steplog.services.step_record``; it is re-exported here for callers
not yet moved.
"""

from steplog.services import step_record

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

__all__ = [
    "DEFAULT",
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
