"""Derived metrics come from typed-in values of consecutive years; unknown stays unknown."""

import datetime
from decimal import Decimal

import pytest

from tests.workflows.criteria_records import AS_OF_2022, record, valid
from workflows.criteria import Facts

D = Decimal


def facts(years=None, as_of=AS_OF_2022, **profile) -> Facts:
    return Facts(record(years=years or {}, **profile), as_of)


def test_last_year_is_the_calendar_year_before_the_diagnosis():
    f = facts({2025: {"rd_expense": D("3"), "operating_revenue": D("100")}, 2026: {"rd_expense": D("9")}})
    assert f["rd_expense"] == D("3")
    assert f["rd_ratio"] == D("3")


def test_growth_and_two_year_average_from_consecutive_years():
    f = facts({2025: {"main_business_revenue": D("121")}, 2024: {"main_business_revenue": D("110")},
               2023: {"main_business_revenue": D("100")}})
    assert f["main_business_growth"] == D("10")
    assert f["main_business_growth_avg2"] == D("10")


def test_revenue_compound_growth_over_two_years():
    f = facts({2025: {"operating_revenue": D("121")}, 2023: {"operating_revenue": D("100")}})
    assert f["revenue_cagr2"] == D("10")


@pytest.mark.parametrize(
    "metric",
    ["rd_ratio", "main_business_growth", "main_business_growth_avg2", "debt_ratio", "net_margin", "main_business_share",
     "rd_staff_share", "equity_2y", "rd_expense_sum2", "rd_ratio_min2", "quality_items", "rd_institution",
     "development_score", "st_award_3y", "maker_china_top500_3y"],
)
def test_missing_inputs_give_unknown_never_zero(metric):
    assert facts({2025: {"operating_revenue": D("0"), "employees": 0}})[metric] is None


def test_a_year_missing_makes_a_two_year_figure_unknown():
    f = facts({2025: {"rd_expense": D("2000000"), "operating_revenue": D("50000000"), "equity_financing": D("0")}})
    assert f["rd_ratio"] == D("4")
    assert f["rd_ratio_min2"] is None
    assert f["equity_2y"] is None
    assert (2024, "equity_financing") in f.missing_inputs("equity_2y")


def test_ratios_and_debt():
    f = facts({2025: {"total_liabilities": D("55"), "total_assets": D("100"), "net_profit": D("-5"),
                      "operating_revenue": D("100"), "rd_staff": 9, "employees": 45}})
    assert (f["debt_ratio"], f["net_margin"], f["rd_staff_share"]) == (D("55"), D("-5"), D("20"))


def test_years_in_niche_count_from_the_entry_year():
    assert facts(niche_entered_year=2024)["years_in_niche"] == 2
    assert facts(niche_entered_year=None)["years_in_niche"] is None


def test_quality_items_count_each_item_once_known():
    row = {"quality_award": False, "qms_certified": True, "own_brand": True, "standards_drafted": 3}
    assert facts({2025: row})["quality_items"] == 3
    assert facts({2025: {**row, "quality_award": None}})["quality_items"] is None


def test_awards_count_within_three_years_and_by_rank():
    def award(level, rank, year):
        return facts({2025: {"st_award_level": level, "st_award_rank": rank, "st_award_year": year}})

    assert award("provincial", 3, 2023)["st_award_top_3y"] is True
    assert award("provincial", 4, 2023)["st_award_top_3y"] is False
    assert award("national", 5, 2024)["st_award_top_3y"] is True
    assert award("provincial", 1, 2022)["st_award_3y"] is False  # more than 3 years before 2026
    assert award("none", None, None)["st_award_3y"] is False
    assert award("provincial", None, 2024)["st_award_top_3y"] is None  # rank not given


def test_titles_and_lists_count_only_when_valid_on_the_day():
    day = datetime.date(2026, 3, 1)
    f = facts(titles=[valid("innovative", datetime.date(2023, 3, 2))], as_of=day,
              source_lists=[("high_tech", datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))])
    assert f["holds_innovative"] is True
    assert f["listed_innovation_title"] is False
    assert facts(titles=[valid("innovative", datetime.date(2023, 2, 28))], as_of=day)["holds_innovative"] is False


def test_rd_institution_level_is_ordered():
    assert facts({2025: {"rd_institution_level": "provincial"}})["rd_institution"] == 3
    assert facts({2025: {"rd_institution_level": ""}})["rd_institution"] is None
