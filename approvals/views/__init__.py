"""Approval pages: the reviewers' queues and the auditor's view of the step log."""

from .audit import AuditApplication
from .queue import QueueApplication

__all__ = ["AuditApplication", "QueueApplication"]
