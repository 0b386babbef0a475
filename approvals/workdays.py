"""Working-day arithmetic on the mainland calendar kept in ``CalendarYear`` / ``CalendarDay``."""

import datetime
import time

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear

# Enough room for the longest holiday run (Spring Festival + weekends) per working day asked.
_DAYS_PER_WORKDAY_BOUND = 3


# Due dates asked today, kept for a few minutes: every task a decision opens asks for one,
# and the calendar changes a few times a year (an edit here clears it at once; other
# processes see it within CACHE_SECONDS).
CACHE_SECONDS = 300
_due_dates: dict = {}


def working_days_after(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """The ``n``-th working day after ``start`` (``start`` itself not counted).

    Returns ``(date, provisional)``: ``provisional`` is True when a day counted lies in
    a year the calendar does not cover, where only weekends were assumed to be off.
    Two queries whatever ``n``, none when asked again within ``CACHE_SECONDS``.
    """
    if n <= 0:
        return start, False
    key, now = (start, n), time.monotonic()
    cached = _due_dates.get(key)
    if cached is None or now - cached[0] > CACHE_SECONDS:
        cached = _due_dates[key] = (now, _working_days_after(start, n))
    return cached[1]


def calendar_changed() -> None:
    """Forget the due dates worked out so far (the calendar was edited)."""
    _due_dates.clear()


def _working_days_after(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    horizon = start + datetime.timedelta(days=n * _DAYS_PER_WORKDAY_BOUND + 30)
    covered = set(CalendarYear.objects.filter(year__gte=start.year, year__lte=horizon.year).values_list("year", flat=True))
    exceptions = dict(
        CalendarDay.objects.filter(date__gt=start, date__lte=horizon).values_list("date", "is_workday")
    )
    day, counted, provisional = start, 0, False
    while counted < n:
        day += datetime.timedelta(days=1)
        if _is_workday(day, exceptions):
            counted += 1
        provisional = provisional or day.year not in covered
    return day, provisional


def working_days_between(spans: list[tuple[datetime.date, datetime.date]]) -> list[int]:
    """For each (start, end): the working days after ``start`` up to and including ``end``.

    One query for every span together, whatever their number.
    """
    if not spans:
        return []
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    exceptions = dict(CalendarDay.objects.filter(date__gt=first, date__lte=last).values_list("date", "is_workday"))
    return [
        sum(_is_workday(start + datetime.timedelta(days=n), exceptions) for n in range(1, (end - start).days + 1))
        for start, end in spans
    ]


def _is_workday(day: datetime.date, exceptions: dict) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    exception = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return exception if exception is not None else day.weekday() < 5


def missing_calendar_warning(today: datetime.date | None = None) -> str:
    """From November on, a message for administrators if next year's calendar is missing, else ""."""
    today = today or timezone.localdate()
    if today.month < 11 or CalendarYear.objects.filter(year=today.year + 1).exists():
        return ""
    return _(
        "The working-day calendar for %(year)s is missing: deadlines in %(year)s count weekends only and are "
        "marked provisional. Enter the State Council's holiday arrangement under Calendar years."
    ) % {"year": today.year + 1}
