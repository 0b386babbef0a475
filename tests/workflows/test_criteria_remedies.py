"""The smallest change that wins lost points back, said in words a coach can use."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.workflows.criteria_records import AS_OF_2022, INNOVATIVE, LITTLE_GIANT, SRDI, judge_values, record, rule, valid
from workflows.criteria import diagnose

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_rd_ratio_remedy_names_the_next_band_and_the_money_it_takes():
    rec = record(years={2025: {"rd_expense": D("2400000"), "operating_revenue": D("100000000")}})
    result = rule(diagnose(INNOVATIVE, rec, AS_OF_2022), "rd_ratio")
    assert (result.points, result.lost) == (10, 10)
    first, full = result.remedy.first, result.remedy.full
    assert (first.gain, first.changes[0].target, first.changes[0].lever.needed) == (5, D("3"), D("3000000.00"))
    assert (full.gain, full.changes[0].target) == (10, D("5"))
    assert result.remedy.text.startswith("R&D expense as a share of revenue, last year 2.4% → 3% (")
    assert "gains 5 points" in result.remedy.text and "gains 10 points" in result.remedy.text


def test_a_met_rule_has_no_remedy():
    assert rule(judge_values(INNOVATIVE, {"rd_ratio": D("5")}), "rd_ratio").remedy is None


def test_debt_remedy_lowers_liabilities():
    rec = record(years={2025: {"total_liabilities": D("60000000"), "total_assets": D("100000000")}})
    change = rule(diagnose(INNOVATIVE, rec, AS_OF_2022), "debt").remedy.first.changes[0]
    assert (change.current, change.target, change.lever.field, change.lever.needed) == (
        D("60"), D("55"), "total_liabilities", D("55000000.00"))


def test_missing_data_remedy_asks_for_the_inputs():
    result = rule(diagnose(INNOVATIVE, record(years={}), AS_OF_2022), "rd_ratio")
    assert result.status == "unknown"
    change = result.remedy.first.changes[0]
    assert change.provide
    assert set(change.missing) == {(2025, "rd_expense"), (2025, "operating_revenue")}
    assert result.remedy.text.startswith("enter ")


def test_years_in_niche_remedy_is_time():
    result = rule(judge_values(SRDI, {}, base=record(niche_entered_year=2021)), "niche_years_points")
    assert result.points == 2
    assert "reached in 2027" in result.remedy.text


def test_condition_remedy_takes_the_cheapest_way():
    # revenue 8M: reaching 10M revenue is cheaper than raising 20M of equity
    values = {"operating_revenue": D("8000000"), "equity_2y": D("0")}
    change = rule(judge_values(SRDI, values), "revenue").remedy.first.changes
    assert [(c.metric, c.target) for c in change] == [("operating_revenue", D("10000000"))]


def test_a_revenue_bracket_is_never_proposed_as_a_change():
    values = {"operating_revenue": D("120000000"), "rd_ratio_min2": D("2"), "equity_2y": D("0"),
              "rd_expense_sum2": D("0"), "rd_staff_share": D("0")}
    changes = rule(judge_values(LITTLE_GIANT, values), "rd_by_revenue").remedy.first.changes
    assert [(c.metric, c.target) for c in changes] == [("rd_ratio_min2", D("3"))]


def test_no_change_of_data_can_undo_a_champion_title():
    rec = record(titles=[valid("srdi"), valid("champion")])
    result = rule(diagnose(LITTLE_GIANT, rec, AS_OF_2022), "not_champion")
    assert result.remedy.possible is False
    assert result.remedy.text == "No change in the enterprise's data can meet this rule."


def test_remedy_words_are_translated():
    rec = record(years={2025: {"rd_expense": D("2400000"), "operating_revenue": D("100000000")}})
    with translation.override("zh-hans"):
        text = rule(diagnose(INNOVATIVE, rec, AS_OF_2022), "rd_ratio").remedy.text
    assert "2.4% → 3%" in text and "万元" in text and "得5分" in text


def test_a_remedy_at_a_band_edge_shows_the_digits_that_make_the_gap():
    from workflows.criteria.display import change_text
    from workflows.criteria.remedies import Change

    assert "14.9999% → 15%" in change_text(Change(metric="rd_ratio", op="ge", current=D("14.9999"), target=D("15")))
    assert "2.4% → 3%" in change_text(Change(metric="rd_ratio", op="ge", current=D("2.4"), target=D("3")))
