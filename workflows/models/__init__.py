"""Case models, one module per case type."""

from .application import (  # noqa: F401
    Application,
    ApplicationAttachment,
    ApplicationBatch,
    ApplicationState,
    ExpertConflict,
    ExpertReview,
    ExpertReviewState,
)
from .coaching import (
    CoachingActivity,
    CoachingActivityKind,
    CoachingItem,
    CoachingItemStatus,
    CoachingPlan,
    CoachingPlanState,
)
from .criteria import ApplicationKind, DiagnosisRecord, Rule, RuleSet
from .pool import PoolEntry, PoolEntryAttachment, PoolEntrySource, PoolEntryState, PoolRefresh, PoolRefreshState
from .recognition import Recognition, RecognitionKind, RecognitionMatch, RecognitionMatchState, RecognitionStatus  # noqa: F401

__all__ = [
    "ApplicationKind",
    "CoachingActivity",
    "CoachingActivityKind",
    "CoachingItem",
    "CoachingItemStatus",
    "CoachingPlan",
    "CoachingPlanState",
    "DiagnosisRecord",
    "Rule",
    "RuleSet",
    "PoolEntry",
    "PoolEntryAttachment",
    "PoolEntrySource",
    "PoolEntryState",
    "PoolRefresh",
    "PoolRefreshState",
]
