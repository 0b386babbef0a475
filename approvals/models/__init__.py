"""Approvals data, one module per topic: the queues, the working-day calendar.

The step log lives in ``steplog``; ``Step`` is re-exported for callers not yet moved.
"""

from steplog.models import Step

from .calendar import CalendarDay, CalendarYear
from .queues import QueueTask, QueueTaskStatus

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "QueueTask",
    "QueueTaskStatus",
    "Step",
]
