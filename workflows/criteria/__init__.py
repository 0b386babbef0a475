"""The criteria engine: versioned rule sets as data, and the gap diagnosis over plain values.

Pure Python (no database): ``diagnose(ruleset, record, as_of)`` judges an
``EnterpriseRecord`` against a ``RuleSet``. Loading rule sets and records from the
database is ``workflows.selectors.diagnosis``'s job.
"""

from . import metrics  # noqa: F401 — fills the metric catalogue
from .engine import Diagnosis, Kind, RuleKind, RuleResult, RuleSet, Status, diagnose
from .facts import EnterpriseRecord, Facts

__all__ = ["Diagnosis", "EnterpriseRecord", "Facts", "Kind", "RuleKind", "RuleResult", "RuleSet", "Status", "diagnose"]
