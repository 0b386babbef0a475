"""Deadlines: reminders for overdue tasks, escalation to the city, and the due-timer sweep.

``due_timers_run`` is what the Celery beat schedule and ``manage.py run_due_timers`` call;
it also fires viewflow's own timers, so nothing depends on a cron entry.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import timers as workflow_timers

from enterprises.models import Role, User

from ..models import QueueTask
from ..models.queues import ACTIVE
from ..queues import kind_label
from ..selectors import workers_for
from ..workdays import missing_calendar_warning, working_days_after
from .steps import step_record

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
        _mail_on_commit(recipients, _("Overdue: %(title)s") % {"title": task.title}, _reminder_body(task))
    return True


def _escalate(pk: int, after: int) -> bool:
    with transaction.atomic():
        task = QueueTask.objects.select_for_update().filter(ACTIVE, pk=pk, escalated_at__isnull=True).first()
        if task is None:
            return False
        task.escalate(at=timezone.now())
        task.save(update_fields=["escalated_at"])
        recipients = list(User.objects.filter(role=Role.CITY_REVIEWER, is_active=True))
        _record(task, "queue.escalate", recipients, overdue_working_days=after)
        _mail_on_commit(recipients, _("Escalated: %(title)s") % {"title": task.title}, _reminder_body(task))
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
        "due": task.due_on.isoformat(),
    }


def _mail_on_commit(recipients: list, subject: str, body: str) -> None:
    addresses = sorted({user.email for user in recipients if user.email})
    if addresses:
        # Mail leaves only once the step that records it is committed.
        transaction.on_commit(lambda: send_mail(subject, body, None, addresses, fail_silently=True))
