"""Queue tasks on the cast's enterprises; the enterprise itself stands in for a case."""

import pytest

from approvals import queues
from approvals.exceptions import QueueError
from approvals.services import queue_task_close, queue_task_for_action, queue_task_open
from steplog.services import step_record


@pytest.fixture
def open_task():
    """``open_task(enterprise, role="district_reviewer", kind=..., **kwargs)`` → a new QueueTask."""

    def make(enterprise, role="district_reviewer", kind="test.review", **kwargs):
        kwargs.setdefault("title", f"Review of {enterprise.name}")
        return queue_task_open(kind=kind, role=role, enterprise=enterprise, case=enterprise, **kwargs)

    return make


@pytest.fixture
def approve_kind():
    """A task kind with a bulk approve function, as workflows registers its own."""

    def approve(*, case_type, case_id, by, comment):
        from enterprises.models import Enterprise

        enterprise = Enterprise.objects.get(pk=case_id)
        if "refuse" in enterprise.name:
            raise QueueError("refused by the case")
        task = queue_task_for_action(case=enterprise, kind="test.review", by=by)
        queue_task_close(queue_task=task, outcome="approved")
        step_record(action="test.approve", actor=by, obj=enterprise, comment=comment)

    queues.register_kind("test.review", "Test review", lambda task: f"/cases/test/{task.case_id}/")
    queues.register_bulk_action("test.review", "Approve", approve)
    yield
    queues._kinds.pop("test.review", None)
    queues._bulk_actions.pop("test.review", None)
