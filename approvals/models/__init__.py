"""Approvals data, one module per topic: the step log, the queues, the working-day calendar."""

from .calendar import CalendarDay, CalendarYear
from .queues import QueueTask, QueueTaskStatus
from .steps import GENESIS_HASH, ChainHead, ChainVerification, Checkpoint, Step

__all__ = [
    "GENESIS_HASH",
    "CalendarDay",
    "CalendarYear",
    "ChainHead",
    "ChainVerification",
    "Checkpoint",
    "QueueTask",
    "QueueTaskStatus",
    "Step",
]
