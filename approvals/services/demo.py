"""The demo city's working-day calendar for the year after the packaged ones (``manage.py demo``).

The seeded calendar (migration 0005) stops where the State Council's notices stop; the demo enters 2027
ahead of its notice, marked provisional in its source, so the first start does not warn and due dates
into 2027 are computed. Real installations enter the year from the notice in the admin instead.
"""

import datetime

from django.db import transaction

from ..models import CalendarDay, CalendarYear
from ..workdays import calendar_changed

PROVISIONAL_YEAR = 2027
PROVISIONAL_SOURCE = "暂定（provisional）：法定节日按农历与往年惯例预排，调休上班日待国务院办公厅通知发布后补正"
# Weekday holidays only (the calendar stores exceptions to Monday–Friday); make-up working days are unknown.
PROVISIONAL_HOLIDAYS = {
    "元旦": ["2027-01-01"],
    "春节": ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"],
    "清明节": ["2027-04-05"],
    "劳动节": ["2027-05-03", "2027-05-04", "2027-05-05"],
    "端午节": ["2027-06-09"],
    "中秋节": ["2027-09-15"],
    "国庆节": ["2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"],
}


def load_provisional_calendar(*, stdout) -> None:
    """Enter the provisional 2027 calendar unless a 2027 calendar exists (idempotent)."""
    with transaction.atomic():
        calendar_year, created = CalendarYear.objects.get_or_create(
            year=PROVISIONAL_YEAR, defaults={"source": PROVISIONAL_SOURCE}
        )
        if created:
            CalendarDay.objects.bulk_create(
                CalendarDay(year=calendar_year, date=datetime.date.fromisoformat(day), is_workday=False, note=name)
                for name, days in PROVISIONAL_HOLIDAYS.items()
                for day in days
            )
    calendar_changed()
    days = calendar_year.days.count()
    stdout.write(f"   calendar {PROVISIONAL_YEAR}: {'entered, provisional' if created else 'already there'} ({days} days off)\n")
