"""Handing recorded work to the Celery worker without letting a broker outage fail the action.

Every side effect (a PDF, entitlements, a delivery, an import) is first a row in the
database: the action's own transaction records what is owed, and the task only does it.
So publishing the task is a hint, not the record: when the broker is unreachable the
action still succeeds, a warning is logged, and the owed work's sweep queues it again
once the broker is back (``documents.requeue_stalled``, ``rewards``/``workflows``
entitlement sweep, ``enterprises.import_jobs_requeue_stalled``, ``notifications.send_due``).
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task_queue(task, *args) -> bool:
    """Publish ``task`` with ``args`` now; False (and a warning) when the broker is unreachable.

    Publishing fails within about a second (CELERY_BROKER_CONNECTION_TIMEOUT and the
    publish retry policy in settings), so a page never hangs on a dead broker.
    """
    try:
        task.delay(*args)
    except OperationalError as error:
        logger.warning("Broker unreachable, %s%r stays owed for its sweep: %s", task.name, args, error)
        return False
    return True


def task_queue_on_commit(task, *args) -> None:
    """Publish ``task`` once the caller's transaction commits (never for a rolled-back one)."""
    transaction.on_commit(partial(task_queue, task, *args))


def tasks_queue(task, argument_lists) -> int:
    """Publish ``task`` once per argument tuple, stopping at the first broker failure (the
    rest would wait for the same timeout); returns how many were published."""
    queued = 0
    for args in argument_lists:
        if not task_queue(task, *args):
            break
        queued += 1
    return queued
