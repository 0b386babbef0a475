"""Overdue tasks: one reminder, escalation to the city after N overdue working days, the beat sweep."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from approvals.models import QueueTask
from approvals.selectors import queue_for_user
from approvals.services.sla import due_timers_run
from approvals.services import queue_task_claim
from steplog.models import Step

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def late(cast, open_task):
    """A district task of 京口区 that was due on Friday 16 October 2026."""
    task = open_task(cast.own)
    QueueTask.objects.filter(pk=task.pk).update(due_on=D(2026, 10, 16))
    cast.district.email = "jingkou@example.cn"
    cast.district.save()
    cast.city.email = "city@example.cn"
    cast.city.save()
    return QueueTask.objects.get(pk=task.pk)


def test_an_overdue_task_is_reminded_once(cast, late, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        counts = due_timers_run(today=D(2026, 10, 19))
        again = due_timers_run(today=D(2026, 10, 20))
    assert counts["reminded"] == 1 and again["reminded"] == 0
    step = Step.objects.get(action="queue.remind")
    assert step.actor is None and step.data["notified"] == ["jingkou_reviewer"]
    assert [m.to for m in mail.outbox] == [["jingkou@example.cn"]]


def test_the_claimer_alone_is_reminded(cast, late):
    queue_task_claim(queue_task=late, by=cast.district)
    due_timers_run(today=D(2026, 10, 19))
    assert Step.objects.get(action="queue.remind").data["notified"] == ["jingkou_reviewer"]


def test_make_up_workdays_count_as_overdue_days(cast, late):
    QueueTask.objects.filter(pk=late.pk).update(due_on=D(2026, 10, 9))
    # Sat 10 Oct 2026 is worked (National Day make-up), so Tue 13 is the third overdue working day
    assert due_timers_run(today=D(2026, 10, 13))["escalated"] == 1


@pytest.mark.parametrize(
    "today,escalated",
    [
        (D(2026, 10, 20), False),  # 2 working days overdue
        (D(2026, 10, 21), True),  # 3 working days overdue (default setting)
    ],
)
def test_escalation_after_the_configured_overdue_working_days(cast, late, today, escalated):
    counts = due_timers_run(today=today)
    assert counts["escalated"] == int(escalated)
    assert (late in queue_for_user(user=cast.city)) is escalated
    assert Step.objects.filter(action="queue.escalate").count() == int(escalated)


def test_the_escalation_threshold_is_a_setting(cast, late, settings):
    settings.TIDU_ESCALATE_AFTER_OVERDUE_DAYS = 1
    assert due_timers_run(today=D(2026, 10, 19))["escalated"] == 1
    assert due_timers_run(today=D(2026, 10, 30))["escalated"] == 0  # once only


def test_escalated_work_can_be_taken_by_the_city(cast, late):
    due_timers_run(today=D(2026, 10, 23))
    assert queue_task_claim(queue_task=late, by=cast.city).claimed_by == cast.city


def test_decided_tasks_are_never_chased(cast, late):
    from approvals.services import queue_tasks_cancel

    queue_tasks_cancel(case=cast.own)
    assert due_timers_run(today=D(2026, 10, 30)) | {"timers": 0} == {
        "reminded": 0, "escalated": 0, "timers": 0, "conditions": 0, "starts": 0
    }


def test_run_due_timers_command(cast, late, capsys):
    call_command("run_due_timers")
    out = capsys.readouterr().out
    assert "reminded: 1" in out and "timers: 0" in out


def test_the_beat_schedule_runs_the_sweep(settings):
    from project.celery import app

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "approvals.run_due_timers" in entries
    import approvals.tasks  # noqa: F401  registers the task

    assert "approvals.run_due_timers" in app.tasks
    assert app.tasks["approvals.run_due_timers"].apply().get()["reminded"] >= 0


def test_overdue_due_dates_depend_on_the_local_date(cast, open_task):
    task = open_task(cast.own, sla_working_days=10)
    assert task.due_on >= timezone.localdate() + datetime.timedelta(days=10)
