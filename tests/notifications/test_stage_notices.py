"""The stages' notices go through notify(): SLA reminders and escalations, coaching's "ready to apply"."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from approvals.models import QueueTask
from approvals.services.queues import queue_task_open
from approvals.services.sla import due_timers_run
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def late(cast):
    task = queue_task_open(kind="test.review", role="district_reviewer", enterprise=cast.own, case=cast.own,
                           title=f"Review of {cast.own.name}")
    QueueTask.objects.filter(pk=task.pk).update(due_on=D(2026, 10, 16))
    cast.district.email = "jingkou@example.cn"
    cast.district.save()
    return task


def test_an_overdue_reminder_is_a_notification(cast, late, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        due_timers_run(today=D(2026, 10, 19))
    notice = Notification.objects.get(kind="queue.remind")
    assert notice.recipient == cast.district and notice.enterprise == cast.own
    assert notice.subject.startswith("已逾期：")  # stored (and e-mailed) in the site's language
    english = notice.wording["en"]  # what an English reader's inbox shows
    assert english["subject"] == f"Overdue: Review of {cast.own.name}"
    assert "was due on 16 Oct 2026" in english["body"]
    assert Delivery.objects.get(channel="email").status == "sent"
    assert [m.to for m in mail.outbox] == [["jingkou@example.cn"]]


def test_a_failed_reminder_mail_is_kept_not_lost(cast, late, django_capture_on_commit_callbacks):
    from unittest import mock

    with mock.patch("notifications.services.sending.send_mail", side_effect=OSError("smtp down")):
        with django_capture_on_commit_callbacks(execute=True):
            due_timers_run(today=D(2026, 10, 19))
    assert Delivery.objects.get(channel="email").last_error == "OSError: smtp down"


def test_an_escalation_tells_the_city(cast, late):
    due_timers_run(today=D(2026, 10, 23))
    assert Notification.objects.get(kind="queue.escalate").recipient == cast.city


def test_the_enterprise_hears_that_it_is_ready_to_apply(cast, django_capture_on_commit_callbacks):
    from tests.workflows.test_coaching import close_the_gaps, short_of_innovative
    from workflows.services import coaching

    short_of_innovative(cast.own)
    plan = coaching.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district)
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the metrics hook re-diagnoses after commit
        close_the_gaps(cast.own, cast.owner)
    notice = Notification.objects.get(kind="coaching_plan.ready")
    assert notice.recipient == cast.owner and "可以申报" in notice.subject
    assert "is ready to apply" in notice.wording["en"]["subject"]
    assert notice.link == reverse("cultivation:plan", kwargs={"pk": plan.pk})
