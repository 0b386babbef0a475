"""Working days on the mainland calendar: holidays, make-up workdays, and years nobody entered."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site

from approvals.models import CalendarDay, CalendarYear
from approvals.workdays import is_workday, missing_calendar_warning, working_days_after

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_seed_covers_2004_to_2026_and_not_2027():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2004, 2020, 2026} <= years and 2027 not in years


def test_national_day_2026_holidays_and_make_up_workdays():
    assert [is_workday(D(2026, 10, day)) for day in range(1, 8)] == [False] * 7
    assert is_workday(D(2026, 9, 20))  # Sunday worked before the holiday
    assert is_workday(D(2026, 10, 10))  # Saturday worked after it
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).note == "国庆节"


def test_counting_working_days_across_national_day_2026():
    # Mon 28 Sep → Tue 29, Wed 30, (1–7 Oct off), Thu 8, Fri 9, Sat 10 (make-up day)
    assert working_days_after(D(2026, 9, 28), 5) == (D(2026, 10, 10), False)
    assert working_days_after(D(2026, 9, 28), 6) == (D(2026, 10, 12), False)


def test_spring_festival_2026():
    # Fri 13 Feb → Sat 14 (make-up), then 15–23 Feb off, Tue 24
    assert working_days_after(D(2026, 2, 13), 2) == (D(2026, 2, 24), False)


def test_a_year_the_calendar_does_not_cover_falls_back_to_weekends_and_is_provisional():
    # Thu 31 Dec 2026 → Fri 1 Jan 2027 counts (nobody knows yet), then Mon 4 Jan
    assert working_days_after(D(2026, 12, 31), 2) == (D(2027, 1, 4), True)
    assert working_days_after(D(2026, 12, 28), 3) == (D(2026, 12, 31), False)


def test_entering_next_years_calendar_makes_deadlines_firm():
    year = CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    CalendarDay.objects.create(year=year, date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert working_days_after(D(2026, 12, 31), 2) == (D(2027, 1, 5), False)


def test_administrators_are_warned_from_november_when_next_year_is_missing():
    assert missing_calendar_warning(D(2026, 10, 31)) == ""
    assert "2027" in missing_calendar_warning(D(2026, 11, 1))
    CalendarYear.objects.create(year=2027)
    assert missing_calendar_warning(D(2026, 12, 15)) == ""


def test_the_calendar_is_editable_in_the_admin(client, cast):
    client.force_login(cast.admin)
    assert CalendarYear in admin_site._registry
    response = client.get("/admin/approvals/calendaryear/")
    assert response.status_code == 200
    year = CalendarYear.objects.get(year=2026)
    assert client.get(f"/admin/approvals/calendaryear/{year.pk}/change/").status_code == 200


def test_a_day_must_belong_to_its_year():
    from django.core.exceptions import ValidationError

    day = CalendarDay(year=CalendarYear.objects.get(year=2026), date=D(2025, 1, 1), is_workday=False)
    with pytest.raises(ValidationError):
        day.full_clean()


def test_the_system_check_warns_in_november(monkeypatch):
    from approvals.checks import next_year_calendar_check

    monkeypatch.setattr("approvals.workdays.timezone.localdate", lambda: D(2026, 11, 20))
    [warning] = next_year_calendar_check(databases=["default"])
    assert warning.id == "approvals.W001" and "2027" in warning.msg
    assert next_year_calendar_check(databases=None) == []
