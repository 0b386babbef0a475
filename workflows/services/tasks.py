"""Completing and cancelling the human tasks of a case: the queue row and viewflow's task together.

Every case type (pool entry, coaching, applications) finishes its tasks through here, so
the queue and the flow never disagree.
"""

from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from approvals.services import queue_task_close, queue_tasks_cancel


def case_task_complete(*, queue_task, by, outcome: str) -> None:
    """Close ``queue_task`` and complete the viewflow task it mirrors, so the flow routes on.

    Runs inside the caller's transaction, after the case's FSM transition was saved: the
    flow's gates read the case's new state to choose the next task.
    """
    queue_task_close(queue_task=queue_task, outcome=outcome)
    if queue_task.task_id is None:
        return
    with queue_task.task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(by)
        activation.start(None)
        activation.execute()


def case_tasks_cancel(*, case) -> None:
    """Cancel the open queue tasks of ``case`` and end its viewflow process as cancelled."""
    queue_tasks_cancel(case=case)
    process = getattr(case, "process", None)
    if process is None:
        return
    for task in process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED]):
        with task.activation() as activation:
            activation.cancel()
    process.status = PROCESS.CANCELED
    process.finished = timezone.now()
    process.save(update_fields=["status", "finished"])
