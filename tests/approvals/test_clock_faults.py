"""The clock (issue 12, Faults): deadlines that fall across a holiday, across a year end, and
on days the calendar does not cover yet, each with its stated outcome.

The seeded calendar covers 2004–2026 (chinesecalendar 1.11). 2027 is not published yet:
there only weekends are off, and every deadline that counts a day of 2027 is flagged
provisional, until an administrator enters the State Council's arrangement.
"""

import datetime
from unittest import mock

import pytest

from approvals.models import CalendarDay, CalendarYear
from approvals.services.sla import due_timers_run
from approvals.workdays import calendar_changed, working_days_after
from rewards.services.rounds import notice_dates

pytestmark = pytest.mark.django_db
D = datetime.date


def open_on(day: datetime.date, open_task, enterprise, sla: int):
    """A queue task opened on ``day`` with an SLA of ``sla`` working days."""
    with mock.patch("approvals.services.queues.timezone.localdate", return_value=day):
        return open_task(enterprise, sla_working_days=sla)


def enter_2027_new_year():
    """What the administrators enter once the 2027 arrangement is published (here: 1 January off)."""
    year = CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    CalendarDay.objects.create(year=year, date=D(2027, 1, 1), is_workday=False, note="元旦")
    calendar_changed()


# SLA deadlines.


@pytest.mark.parametrize(
    "opened,sla,due,why",
    [
        (D(2026, 9, 30), 5, D(2026, 10, 13),
         "National Day 1–7 Oct is skipped, Saturday 10 Oct (make-up day) counts: 8, 9, 10, 12, 13"),
        (D(2026, 2, 13), 3, D(2026, 2, 25),
         "Spring Festival 15–23 Feb is skipped: Saturday 14 Feb (make-up), then 24, 25"),
        (D(2025, 12, 29), 5, D(2026, 1, 6),
         "across the year end: 30, 31 Dec, New Year 1–3 Jan skipped, Sunday 4 Jan (make-up), 5, 6"),
    ],
)
def test_an_sla_across_a_holiday_or_a_covered_year_end_is_exact_and_not_flagged(cast, open_task, opened, sla, due,
                                                                                  why):
    assert working_days_after(opened, sla) == (due, False), why
    task = open_on(opened, open_task, cast.own, sla)
    assert (task.due_on, task.due_provisional) == (due, False)


def test_an_sla_across_the_year_end_into_an_uncovered_year_is_flagged(cast, open_task):
    # 29, 30, 31 Dec 2026, then Friday 1 Jan 2027 counted as a working day (weekends only), Monday 4 Jan.
    assert working_days_after(D(2026, 12, 28), 5) == (D(2027, 1, 4), True)
    task = open_on(D(2026, 12, 28), open_task, cast.own, 5)
    assert (task.due_on, task.due_provisional) == (D(2027, 1, 4), True)


def test_an_sla_ending_before_the_uncovered_year_is_not_flagged():
    # Only days counted decide the flag: 29, 30, 31 Dec 2026 are all covered.
    assert working_days_after(D(2026, 12, 28), 3) == (D(2026, 12, 31), False)


def test_an_sla_wholly_in_an_uncovered_year_counts_weekends_only_and_is_flagged():
    # Spring Festival 2027 (6 Feb) is unknown to the calendar: the week of 8–12 Feb counts in full.
    assert working_days_after(D(2027, 2, 5), 5) == (D(2027, 2, 12), True)


def test_once_the_year_is_entered_the_deadline_moves_and_the_flag_goes(cast, open_task):
    enter_2027_new_year()
    # 1 January 2027 is now off: the fifth working day is Tuesday 5 January, and it is certain.
    assert working_days_after(D(2026, 12, 28), 5) == (D(2027, 1, 5), False)
    task = open_on(D(2026, 12, 28), open_task, cast.own, 5)
    assert (task.due_on, task.due_provisional) == (D(2027, 1, 5), False)


def test_escalation_waits_out_a_holiday(cast, open_task, settings):
    """Due Friday 13 Feb 2026; three overdue working days are Sat 14 (make-up), Tue 24, Wed 25 Feb."""
    task = open_task(cast.own)
    type(task).objects.filter(pk=task.pk).update(due_on=D(2026, 2, 13))
    settings.TIDU_ESCALATE_AFTER_OVERDUE_DAYS = 3
    assert due_timers_run(today=D(2026, 2, 24))["escalated"] == 0
    assert due_timers_run(today=D(2026, 2, 25))["escalated"] == 1


def test_escalation_into_an_uncovered_year_counts_weekends_only(cast, open_task):
    """Due Thu 31 Dec 2026; with 2027 unknown, Fri 1 Jan counts, so 3 overdue days end Tue 5 Jan."""
    task = open_task(cast.own)
    type(task).objects.filter(pk=task.pk).update(due_on=D(2026, 12, 31))
    assert due_timers_run(today=D(2027, 1, 4))["escalated"] == 0
    assert due_timers_run(today=D(2027, 1, 5))["escalated"] == 1


# Public notices (rewards counts them in working days through the same calendar).


def test_a_notice_across_a_holiday_ends_after_its_working_days():
    # Opened Wed 30 Sep 2026 for 5 working days: 30 Sep, 8, 9, 10 (Saturday, make-up), 12 Oct.
    assert notice_dates(opens_on=D(2026, 9, 30), working_days=5)[:2] == (D(2026, 9, 30), D(2026, 10, 12))
    # Opened on a holiday, it starts on the next working day: 8, 9, 10, 12, 13 Oct.
    assert notice_dates(opens_on=D(2026, 10, 2), working_days=5)[:2] == (D(2026, 10, 8), D(2026, 10, 13))


def test_a_notice_across_a_covered_year_end():
    # Opened Tue 30 Dec 2025: 30, 31 Dec, Sunday 4 Jan (make-up), 5, 6 Jan 2026.
    assert notice_dates(opens_on=D(2025, 12, 30), working_days=5)[:2] == (D(2025, 12, 30), D(2026, 1, 6))


def test_a_notice_into_an_uncovered_year_counts_weekends_only_and_the_calendar_flags_it():
    starts_on, ends_on, _provisional = notice_dates(opens_on=D(2026, 12, 30), working_days=5)
    # 30, 31 Dec 2026, Friday 1 Jan 2027 (unknown, so counted), Monday 4, Tuesday 5 Jan.
    assert (starts_on, ends_on) == (D(2026, 12, 30), D(2027, 1, 5))
    assert working_days_after(starts_on, 4) == (ends_on, True)
    enter_2027_new_year()
    assert notice_dates(opens_on=D(2026, 12, 30), working_days=5)[:2] == (D(2026, 12, 30), D(2027, 1, 6))


def test_a_notice_ending_in_an_uncovered_year_is_flagged():
    assert notice_dates(opens_on=D(2026, 12, 30), working_days=5).provisional is True
    assert notice_dates(opens_on=D(2026, 9, 30), working_days=5).provisional is False
