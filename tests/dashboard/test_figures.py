"""The dashboard's figures on a small known city, its scoping, and its query count."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from dashboard.models import PlanPeriod
from dashboard.selectors import dashboard_figures, dashboard_scope
from enterprises.models import Tier
from tests.dashboard.conftest import overdue_task, title
from tests.factories import EnterpriseFactory
from tests.rewards.conftest import budget, zj2023  # noqa: F401  (fixtures: the seeded policy, a budget)

pytestmark = pytest.mark.django_db


def board_for(user, city, code=""):
    return dashboard_figures(scope=dashboard_scope(user=user, jurisdiction_code=code), year=city.today.year, today=city.today)


def tiers(board):
    return {progress.key: progress.total for progress in board.tiers}


def indicator(board, key):
    return next(figure for figure in board.indicators if figure.indicator.key == key)


def test_the_2023_2025_plan_is_seeded_as_data():
    plan = PlanPeriod.objects.get(from_year=2023, to_year=2025)
    assert (plan.champions, plan.little_giants, plan.srdi, plan.innovative, plan.pool) == (12, 50, 300, 1000, 1500)
    assert plan.rd_intensity == Decimal("4.00") and plan.cnc_rate == Decimal("65.00")


def test_city_figures(city):
    board = board_for(city.cast.city, city)
    assert tiers(board) == {"champion": 1, "little_giant": 1, "srdi": 1, "innovative": 1}  # far's SRDI lapsed
    assert board.pool.total == 2
    assert {stage.key: stage.count for stage in board.funnel} == {
        "pool": 2, "coached": 1, "applied": 2, "recommended": 1, "recognized": 1, "rewarded": 1,
    }
    fund = next(line for line in board.funds if line.fund == city.fund)
    assert fund.budget == Decimal("1000000.00") and fund.committed == Decimal("300000.00")
    assert fund.committed_share == Decimal("30.00")
    assert board.overdue_total == 2
    assert board.overdue[0].by_jurisdiction == {city.cast.own.jurisdiction_id: 1, city.cast.far.jurisdiction_id: 1}


def test_indicators_rest_on_the_srdi_firms_last_year(city):
    board = board_for(city.cast.city, city)
    assert board.metrics_year == city.today.year - 1
    rd = indicator(board, "rd_intensity")
    assert (rd.value, rd.firms) == (Decimal("3.33"), 2)  # 6M / 180M; far (not SRDI) is left out
    patents = indicator(board, "invention_patents_per_firm")
    assert (patents.value, patents.firms) == (Decimal("4.00"), 2)
    cnc = indicator(board, "cnc_rate")
    assert (cnc.value, cnc.firms, cnc.target, cnc.met) == (Decimal("70.00"), 1, Decimal("65.00"), True)
    workshops = indicator(board, "smart_workshops")
    assert (workshops.value, workshops.firms) == (1, 2)
    assert indicator(board, "digital_management_rate").firms == 0


def test_plan_targets_follow_the_year(city):
    assert board_for(city.cast.city, city).plan.name  # past 2025 the last plan's targets stand
    PlanPeriod.objects.create(name="2026—2028", from_year=2026, to_year=2028, champions=20)
    cache.clear()  # the figures just read are reused for a minute (test_figures_are_reused_for_a_minute)
    board = dashboard_figures(scope=dashboard_scope(user=city.cast.city), year=2026, today=city.today)
    assert board.plan.name == "2026—2028" and board.tiers[0].target == 20


def test_figures_are_reused_for_a_minute(city, django_assert_max_num_queries):
    """Readers of one reach share the figures (FIGURES_CACHE_SECONDS); another reach computes its own."""
    board = board_for(city.cast.city, city)
    EnterpriseFactory(jurisdiction=board.jurisdictions[0])
    with django_assert_max_num_queries(1):  # the scope's jurisdictions; no figure is counted again
        again = board_for(city.cast.city, city)
    assert again.tiers == board.tiers and again.scope.user == city.cast.city
    assert board_for(city.cast.city, city, board.jurisdictions[0].code).scope.jurisdiction == board.jurisdictions[0]


def test_the_sweep_computes_every_reach_before_a_reader_asks(city, client, django_assert_max_num_queries):
    """dashboard_figures_warm (a due-sweep hook) leaves the city's and each district's figures in
    both languages ready: the page then counts nothing, and a figure changed meanwhile shows after
    the next sweep."""
    from django.utils import timezone, translation

    from dashboard.selectors import dashboard_figures_warm

    cache.clear()
    assert dashboard_figures_warm(today=city.today)["dashboard_figures_warmed"] == 2 * 3  # city, 京口区, 丹阳市
    EnterpriseFactory(jurisdiction=city.cast.own.jurisdiction)
    for user in (city.cast.city, city.cast.district, city.cast.other_district):
        with django_assert_max_num_queries(1):  # the scope's jurisdictions only
            board_for(user, city)
    client.force_login(city.cast.district)
    with django_assert_max_num_queries(12), translation.override("en"):  # no figure counted; thread left as found
        assert client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert city.today == timezone.localdate()


def test_jurisdiction_filter(city):
    board = board_for(city.cast.city, city, code="321181")
    assert tiers(board) == {"champion": 0, "little_giant": 0, "srdi": 0, "innovative": 1}
    assert board.pool.total == 1 and board.overdue_total == 1


def test_district_reviewer_sees_only_its_jurisdiction(city, client):
    board = board_for(city.cast.district, city, code="321181")  # asking for another district changes nothing
    assert tiers(board) == {"champion": 1, "little_giant": 1, "srdi": 1, "innovative": 0}
    assert board.pool.total == 1 and board.overdue_total == 1
    assert [j.code for j in board.jurisdictions] == ["321102"]
    client.force_login(city.cast.district)
    page = client.get("/dashboard/?jurisdiction=321181").content.decode()
    assert "丹阳市" not in page and 'data-testid="jurisdiction-filter"' not in page


@pytest.mark.parametrize("who", ["owner", "expert"])
def test_enterprises_and_experts_are_refused(city, client, who):
    client.force_login(city.expert if who == "expert" else city.cast.owner)
    # the area is hidden from them (404), and its views refuse them besides (403)
    for url in ["/dashboard/", "/dashboard/list/titles/?tier=srdi", "/dashboard/list/white-list/export.xlsx"]:
        assert client.get(url).status_code in (403, 404)


def test_anonymous_goes_to_login(client):
    assert "/accounts/login/" in client.get("/dashboard/")["Location"]


@pytest.mark.parametrize("role", ["city", "auditor", "admin", "district"])
def test_page_renders_for_each_role_that_has_it(city, client, role):
    client.force_login(getattr(city.cast, role))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert b"<svg" in response.content and b"cdn" not in response.content.lower()


def test_unknown_jurisdiction_or_year_is_404(city, client):
    client.force_login(city.cast.city)
    assert client.get("/dashboard/?jurisdiction=999999").status_code == 404
    assert client.get("/dashboard/?year=abc").status_code == 404


def _more_data(city, n, start):
    for i in range(start, start + n):
        enterprise = EnterpriseFactory()
        title(enterprise, Tier.SRDI, recognized_on=city.today, valid_until=city.today.replace(year=city.today.year + 3))
        overdue_task(enterprise, due_on=city.today.replace(day=1) if city.today.day > 1 else city.today, case_id=100 + i)


def test_query_count_does_not_grow_with_the_data(city, client, django_assert_max_num_queries):
    client.force_login(city.cast.city)
    with django_assert_max_num_queries(30) as small:
        client.get("/dashboard/")
    _more_data(city, 25, start=100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/dashboard/").status_code == 200
    with django_assert_max_num_queries(12) as listed:
        client.get("/dashboard/list/titles/?tier=srdi")
    _more_data(city, 10, start=200)
    with django_assert_max_num_queries(len(listed.captured_queries)):
        client.get("/dashboard/list/titles/?tier=srdi")


def test_working_days_from_recognition_to_the_money_the_notice_aside():
    import datetime

    from approvals.workdays import working_days_between

    # Mon 2 Nov 2026 → Fri 13 Nov 2026: nine working days after the Monday.
    assert working_days_between([(datetime.date(2026, 11, 2), datetime.date(2026, 11, 13))]) == [9]
    # Across National Day 2026 (1–7 October off, Saturday 10 October worked): 8, 9, 10 and 12 October.
    assert working_days_between([(datetime.date(2026, 9, 30), datetime.date(2026, 10, 12))]) == [4]


def test_the_dashboard_says_how_long_a_reward_took_to_reach_the_bank(cast, client, zj2023, budget):
    from tests.rewards.conftest import drive, due_payout

    payout = drive(due_payout(cast.own), "paid", cast)  # recognized 2024-06-01, paid today
    client.force_login(cast.city)
    page = client.get("/dashboard/", {"year": payout.budget_year}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="days-to-paid"' in page and "over 1 paid rewards" in page
