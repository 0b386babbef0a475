"""Cases refuse actions with the case kernel's error, so every case type answers alike."""

from approvals.exceptions import CaseError

__all__ = ["CaseError"]
