"""Queue tasks on the cast's enterprises; the enterprise itself stands in for a case."""

import pytest

from approvals.services import queue_task_open


@pytest.fixture
def open_task():
    """``open_task(enterprise, role="district_reviewer", kind=..., **kwargs)`` → a new QueueTask."""

    def make(enterprise, role="district_reviewer", kind="test.review", **kwargs):
        kwargs.setdefault("title", f"Review of {enterprise.name}")
        return queue_task_open(kind=kind, role=role, enterprise=enterprise, case=enterprise, **kwargs)

    return make
