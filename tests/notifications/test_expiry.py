"""Title-expiry reminders: to the enterprise and its district, 180, 90 and 30 days ahead, each once."""

import datetime

import pytest
from django.core.management import call_command

from notifications.models import Notification, TitleReminder
from notifications.services import title_expiry_reminders_send
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db
D = datetime.date
EXPIRY = D(2027, 6, 1)


@pytest.fixture
def title(cast):
    return TitleFactory(enterprise=cast.own, tier="srdi", recognized_on=D(2024, 6, 1), valid_until=EXPIRY)


def sweep(days_before: int) -> int:
    return title_expiry_reminders_send(today=EXPIRY - datetime.timedelta(days=days_before))["title_reminders"]


def test_reminders_at_180_90_and_30_days_each_once(cast, title):
    sent = [(days, sweep(days)) for days in (200, 181, 180, 179, 120, 91, 90, 90, 45, 31, 30, 30, 10, 0, -1)]
    assert [days for days, count in sent if count] == [180, 90, 30]
    assert sorted(TitleReminder.objects.values_list("days", flat=True)) == [30, 90, 180]
    # the enterprise's user and the district of 京口区, not the neighbour or another district
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"jingkou_reviewer", "owner"}
    assert Notification.objects.count() == 6
    notice = Notification.objects.filter(recipient=cast.owner).order_by("created_at", "pk").last()
    assert notice.kind == "title.expiry" and notice.enterprise == cast.own
    assert "30 天后到期" in notice.subject and "2027年6月1日" in notice.body  # e-mail and SMS: the site's language
    english = notice.wording["en"]  # the inbox of an English reader
    assert "expires in 30 days" in english["subject"] and "1 Jun 2027" in english["body"]
    assert notice.link == f"/registry/enterprise/{cast.own.pk}/detail/"


def test_a_title_found_late_gets_only_the_closest_reminder(title):
    assert sweep(20) == 1
    assert list(TitleReminder.objects.values_list("days", flat=True)) == [30]
    assert sweep(19) == 0


def test_a_renewed_title_is_not_chased(cast, title):
    TitleFactory(enterprise=cast.own, tier="srdi", basis="renewal", recognized_on=D(2027, 5, 1),
                 valid_until=D(2030, 6, 1))
    assert sweep(90) == 0


def test_expired_titles_and_titles_without_an_end_are_left_alone(cast):
    TitleFactory(enterprise=cast.own, valid_until=None)
    TitleFactory(enterprise=cast.own, tier="srdi", valid_until=EXPIRY - datetime.timedelta(days=1))
    assert sweep(0) == 0


def test_run_due_timers_runs_the_expiry_and_sending_sweeps(cast):
    from django.utils import timezone

    TitleFactory(enterprise=cast.own, valid_until=timezone.localdate() + datetime.timedelta(days=90))
    call_command("run_due_timers")
    assert TitleReminder.objects.get().days == 90


def test_the_beat_schedule_runs_both_sweeps(settings):
    from project.celery import app
    import notifications.tasks  # noqa: F401  registers the tasks

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.send_due", "notifications.remind_expiring_titles"} <= entries
    assert app.tasks["notifications.remind_expiring_titles"].apply().get() == {"title_reminders": 0}
    assert app.tasks["notifications.send_due"].apply().get()["notifications_sent"] == 0
