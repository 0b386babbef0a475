"""After a criteria correction: re-diagnose the open coaching plans the replaced figures measured.

A correction (``ruleset_revise``) stores a new rule-set version; every open plan whose latest
diagnosis used the replaced one lists its gaps and remedies by figures that no longer hold.
Those plans are themselves the record of what is owed (``coaching_plans_stale``): the
correction queues the worker's run once it commits, the due sweep takes whatever a lost
broker or worker left, and each plan is re-diagnosed once, by whichever gets there first
(the check is made again on the locked plan).
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from approvals.cases import case_locked
from steplog.dispatch import task_queue

from ..exceptions import CaseError
from ..models import CoachingPlan
from ..selectors.coaching import REDIAGNOSIS_PROGRESS_KEY, REDIAGNOSIS_PROGRESS_SECONDS, coaching_plans_stale
from .coaching import coaching_plan_rediagnose

log = logging.getLogger(__name__)

SWEEP_BATCH = 200


def coaching_rediagnosis_queue() -> None:
    """Call inside the correction's transaction: once it commits, the worker re-diagnoses the stale plans."""
    transaction.on_commit(_start)


def _start() -> None:
    total = coaching_plans_stale().count()
    if not total:
        return
    from ..tasks import coaching_rediagnosis_task  # the tasks module imports the services

    cache.set(REDIAGNOSIS_PROGRESS_KEY, total, REDIAGNOSIS_PROGRESS_SECONDS)
    if not task_queue(coaching_rediagnosis_task):
        cache.delete(REDIAGNOSIS_PROGRESS_KEY)  # nothing runs: the page says what is owed, the sweep does it


def coaching_rediagnosis_run() -> int:
    """The worker's run: every stale plan; the progress entry goes when it ends, however it ends."""
    try:
        return coaching_plans_stale_rediagnose()
    finally:
        cache.delete(REDIAGNOSIS_PROGRESS_KEY)


def coaching_rediagnosis_owed() -> dict[str, int]:
    """The sweep (``TIDU_DUE_SWEEP_HOOKS``): plans whose version was replaced over
    ``TIDU_SWEEP_STALLED_SECONDS`` ago and are still measured by it, a batch at a time."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.TIDU_SWEEP_STALLED_SECONDS)
    return {"coaching_plans_rediagnosed": coaching_plans_stale_rediagnose(replaced_before=cutoff, limit=SWEEP_BATCH)}


def coaching_plans_stale_rediagnose(*, replaced_before: datetime.datetime | None = None, limit: int | None = None) -> int:
    """Re-diagnose each stale plan in its own transaction, as the system, in the site's language
    (the items' wording is stored); returns how many were re-diagnosed."""
    plans = list(coaching_plans_stale(replaced_before=replaced_before)[:limit])
    with translation.override(settings.LANGUAGE_CODE):
        return sum(_rediagnose_if_stale(plan) for plan in plans)


def _rediagnose_if_stale(plan: CoachingPlan) -> bool:
    try:
        with transaction.atomic():
            plan = case_locked(plan)
            if not plan.is_open or plan.diagnosis.ruleset.is_current:
                return False  # the worker or the sweep got there first
            coaching_plan_rediagnose(plan=plan, by=None)
    except CaseError as error:  # e.g. a correction left no criteria in force today: the plan stays owed
        log.warning("coaching plan %s not re-diagnosed after a criteria correction: %s", plan.pk, error)
        return False
    return True
