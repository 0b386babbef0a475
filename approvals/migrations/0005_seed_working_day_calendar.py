"""Seed the working-day calendar from the chinesecalendar package (1.11 covers 2004–2026).

Only the exceptions to the Monday–Friday rule are stored. Years the package does not
know (it raises NotImplementedError) are left out, never guessed; administrators add
them in the admin once the State Council publishes them.
"""

import datetime

from django.db import migrations

FIRST_YEAR = 2004
LAST_YEAR_TRIED = 2035
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
SOURCE = "chinesecalendar {version} (国务院办公厅关于部分节假日安排的通知)"


def year_exceptions(chinese_calendar, year: int) -> list[tuple[datetime.date, bool, str]]:
    """The days of ``year`` whose status differs from the weekend rule; raises NotImplementedError."""
    day, rows = datetime.date(year, 1, 1), []
    while day.year == year:
        workday = chinese_calendar.is_workday(day)
        if workday != (day.weekday() < 5):
            rows.append((day, workday, note_for(chinese_calendar, day, workday)))
        day += datetime.timedelta(days=1)
    return rows


def note_for(chinese_calendar, day, workday: bool) -> str:
    if workday:
        name = chinese_calendar.constants.workdays.get(day, "")
        return f"{HOLIDAY_NAMES.get(name, name)}调休上班".strip()
    _, name = chinese_calendar.get_holiday_detail(day)
    return HOLIDAY_NAMES.get(name or "", name or "")


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("approvals", "CalendarYear")
    CalendarDay = apps.get_model("approvals", "CalendarDay")
    source = SOURCE.format(version=getattr(chinese_calendar, "__version__", "?"))
    for year in range(FIRST_YEAR, LAST_YEAR_TRIED + 1):
        try:
            rows = year_exceptions(chinese_calendar, year)
        except NotImplementedError:
            continue  # not published (or not packaged) yet: leave it to the administrators
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(year=year, source=source)
        CalendarDay.objects.bulk_create(
            CalendarDay(year=calendar_year, date=day, is_workday=workday, note=note) for day, workday, note in rows
        )


def unseed(apps, schema_editor):
    apps.get_model("approvals", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0004_queues_calendar_verification")]
    operations = [migrations.RunPython(seed, unseed)]
