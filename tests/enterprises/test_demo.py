"""The demo city's registry: deterministic, idempotent, spread over the city and the ladder."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count
from django.test import RequestFactory

from enterprises.models import (
    AnnualMetrics,
    Enterprise,
    IndustryChain,
    Jurisdiction,
    Role,
    SourceListEntry,
    Title,
    User,
)
from enterprises.services.demo import REAL_FIRM_DETAILS, load_registry
from enterprises.validators import credit_code_problem

pytestmark = pytest.mark.django_db
PUBLISHED = Path("/work/shared/data/published-lists/jiangsu_recognitions_from_pages.csv")


@pytest.fixture
def demo_city():
    load_registry(stdout=io.StringIO())


def snapshot():
    return (
        sorted(Enterprise.objects.values_list("credit_code", "name", "jurisdiction__code")),
        AnnualMetrics.objects.count(),
        Title.objects.count(),
        SourceListEntry.objects.count(),
        sorted(User.objects.values_list("username", "role")),
    )


def test_about_300_enterprises_with_valid_codes_over_every_jurisdiction_and_chain(demo_city):
    enterprises = Enterprise.objects.all()
    assert 290 <= enterprises.count() <= 330
    assert all(credit_code_problem(code) is None for code in enterprises.values_list("credit_code", flat=True))
    per_jurisdiction = dict(enterprises.values_list("jurisdiction__code").annotate(n=Count("pk")))
    assert set(per_jurisdiction) == set(Jurisdiction.objects.values_list("code", flat=True))
    assert min(per_jurisdiction.values()) >= 25
    assert enterprises.values("industry_chain").distinct().count() == IndustryChain.objects.count()


def test_running_it_again_changes_nothing(demo_city):
    before = snapshot()
    out = io.StringIO()
    load_registry(stdout=out)
    assert snapshot() == before
    assert "0 enterprises" in out.getvalue()


def test_three_years_of_decimal_metrics_with_some_firms_still_silent(demo_city):
    years = set(AnnualMetrics.objects.values_list("year", flat=True))
    assert years == {2023, 2024, 2025}
    sample = AnnualMetrics.objects.filter(year=2025).first()
    assert isinstance(sample.operating_revenue, Decimal)
    silent = Enterprise.objects.filter(metrics__isnull=True).count()
    only_latest = Enterprise.objects.annotate(n=Count("metrics")).filter(n=1).count()
    assert silent >= 5 and only_latest >= 5


def test_the_ladder_has_people_on_every_rung_and_just_below(demo_city):
    tiers = dict(Title.objects.values_list("tier").annotate(n=Count("pk")))
    assert tiers["innovative"] > tiers["srdi"] > tiers["little_giant"] >= tiers["champion"] >= 1
    assert Title.objects.filter(basis="renewal").exists()
    latest = AnnualMetrics.objects.filter(year=2025)
    feeders = latest.filter(taxable_sales__gte=Decimal(15_000_000), taxable_sales__lte=Decimal(21_000_000)).count()
    assert feeders >= 30
    # SRDI needs R&D ≥ 1 million yuan: plenty pass, and a good number miss by a little
    assert latest.filter(rd_expense__gte=Decimal(1_000_000)).count() >= 100
    assert latest.filter(rd_expense__gte=Decimal(600_000), rd_expense__lt=Decimal(1_000_000)).count() >= 10


def test_demo_users_of_every_role_log_in_with_their_user_name(demo_city):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in ["admin", "city", "jingkou", "danyang", "finance", "auditor", "qiye1"]:
        # django-axes guards logins: authenticate as a login page would, with its request
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username, password=username) is not None
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="danyang").jurisdiction.code == "321181"
    assert User.objects.filter(role=Role.DISTRICT_REVIEWER).count() == 9
    # 京口区 has two reviewers, so a task can be reassigned within the district
    assert set(User.objects.filter(jurisdiction__code="321102", role=Role.DISTRICT_REVIEWER).values_list("username", flat=True)) == {
        "jingkou", "jingkou2"}
    assert all(user.enterprise_id for user in User.objects.filter(role=Role.ENTERPRISE))


def test_the_real_zhenjiang_firms_of_the_published_lists_are_there(demo_city):
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert set(REAL_FIRM_DETAILS) <= names
    if PUBLISHED.exists():  # the shared data set: every legal name it gives for Zhenjiang
        with open(PUBLISHED, encoding="utf-8") as handle:
            published = {row["name_normalized"] for row in csv.DictReader(handle) if row["city"] == "镇江市"}
        assert published - names == {"天工国际"}  # a brand, not a legal name


def test_the_demo_command_runs_the_registry_step(db, settings):
    from django.core.management import call_command

    settings.TIDU_DEMO_STEPS = ["enterprises.services.demo.load_registry"]
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "enterprises.services.demo.load_registry" in out.getvalue()
    assert Enterprise.objects.count() >= 290


def test_the_demo_enters_a_provisional_2027_calendar_so_the_first_start_does_not_warn():
    import datetime

    from approvals.models import CalendarYear
    from approvals.services.demo import load_provisional_calendar
    from approvals.workdays import missing_calendar_warning, working_days_after

    load_provisional_calendar(stdout=io.StringIO())
    load_provisional_calendar(stdout=io.StringIO())  # idempotent
    year = CalendarYear.objects.get(year=2027)
    assert "provisional" in year.source and year.days.filter(date=datetime.date(2027, 10, 1), is_workday=False).exists()
    assert missing_calendar_warning(today=datetime.date(2026, 11, 30)) == ""
    assert working_days_after(datetime.date(2027, 9, 30), 1) == (datetime.date(2027, 10, 8), False)
