"""Deadlines: reminders for overdue tasks, escalation to the city, and the due-timer sweep.

``due_timers_run`` is what the Celery beat schedule calls; ``due_sweeps_run`` (what
``manage.py run_due_timers`` calls) adds the sweeps of other apps named in
``TIDU_DUE_SWEEP_HOOKS``. It also fires viewflow's own timers, so nothing depends on a cron
entry. Reminders go out through ``notifications.notify``: one notification per person,
written with the step, sent after commit, failures recorded and retried.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from viewflow.workflow import timers as workflow_timers

from enterprises.models import Role
from notifications.selectors import city_reviewers
from notifications.services import notify
from steplog.services import step_record

from ..models import QueueTask
from ..models.queues import ACTIVE
from ..queues import case_url, kind_label, task_title
from ..selectors import workers_for
from ..workdays import missing_calendar_warning, working_days_after

logger = logging.getLogger(__name__)


def due_timers_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """One sweep: remind, escalate, then fire viewflow's due timers. Idempotent; safe to repeat."""
    today = today or timezone.localdate()
    counts = {
        "reminded": queue_tasks_remind_overdue(today=today),
        "escalated": queue_tasks_escalate_overdue(today=today),
        "timers": workflow_timers.fire_due_timers(),
        "conditions": workflow_timers.fire_due_conditions(),
        "starts": workflow_timers.fire_due_start_timers(),
    }
    warning = missing_calendar_warning(today)
    if warning:
        logger.warning(warning)
    return counts


def due_sweeps_run() -> dict[str, int]:
    """``due_timers_run``, then each sweep of ``TIDU_DUE_SWEEP_HOOKS`` (no argument, returns counts)."""
    counts = due_timers_run()
    for hook in settings.TIDU_DUE_SWEEP_HOOKS:
        counts.update(import_string(hook)())
    return counts


def queue_tasks_remind_overdue(*, today: datetime.date) -> int:
    """Remind whoever holds (or could take) each task that became overdue; once per task."""
    candidates = QueueTask.objects.filter(ACTIVE, due_on__lt=today, reminded_at__isnull=True)
    return sum(_remind(pk) for pk in candidates.values_list("pk", flat=True))


def queue_tasks_escalate_overdue(*, today: datetime.date) -> int:
    """Escalate tasks overdue for ``TIDU_ESCALATE_AFTER_OVERDUE_DAYS`` working days to the city queue."""
    after = settings.TIDU_ESCALATE_AFTER_OVERDUE_DAYS
    candidates = QueueTask.objects.filter(ACTIVE, due_on__lt=today, escalated_at__isnull=True).exclude(
        role=Role.CITY_REVIEWER
    )
    late_dates = [
        due_on
        for due_on in candidates.order_by().values_list("due_on", flat=True).distinct()
        if working_days_after(due_on, after)[0] <= today
    ]
    pks = candidates.filter(due_on__in=late_dates).values_list("pk", flat=True)
    return sum(_escalate(pk, after) for pk in list(pks))


def _remind(pk: int) -> bool:
    with transaction.atomic():
        task = QueueTask.objects.select_for_update().filter(ACTIVE, pk=pk, reminded_at__isnull=True).first()
        if task is None:
            return False  # decided or reminded meanwhile
        task.reminded_at = timezone.now()
        task.save(update_fields=["reminded_at"])
        recipients = [task.claimed_by] if task.claimed_by else list(workers_for(task))
        _record(task, "queue.remind", recipients)
        _notify(task, "queue.remind", recipients, lambda: _("Overdue: %(title)s") % {"title": task_title(task)})
    return True


def _escalate(pk: int, after: int) -> bool:
    with transaction.atomic():
        task = QueueTask.objects.select_for_update().filter(ACTIVE, pk=pk, escalated_at__isnull=True).first()
        if task is None:
            return False
        task.escalate(at=timezone.now())
        task.save(update_fields=["escalated_at"])
        recipients = list(city_reviewers())
        _record(task, "queue.escalate", recipients, overdue_working_days=after)
        _notify(task, "queue.escalate", recipients, lambda: _("Escalated: %(title)s") % {"title": task_title(task)})
    return True


def _record(task: QueueTask, action: str, recipients: list, **extra) -> None:
    step_record(
        action=action,
        obj=task.case or task,
        enterprise=task.enterprise,
        state_before=task.status,
        state_after=task.status,
        data={
            "queue_task": task.pk,
            "kind": task.kind,
            "due_on": task.due_on.isoformat(),
            "notified": sorted(user.get_username() for user in recipients),
            **extra,
        },
    )


def _reminder_body(task: QueueTask) -> str:
    return _("%(kind)s for %(enterprise)s was due on %(due)s and is still open.") % {
        "kind": kind_label(task.kind),
        "enterprise": task.enterprise.name,
        "due": date_format(task.due_on),
    }


def _notify(task: QueueTask, kind: str, recipients: list, subject: Callable[[], str]) -> None:
    # In the step's transaction: e-mail and SMS leave only once it is committed.
    notify(
        recipients=recipients,
        kind=kind,
        subject=subject,
        body=lambda: _reminder_body(task),
        link=case_url(task) or reverse("queue:index"),
        enterprise=task.enterprise,
    )
