"""The pass rules and every condition of DESIGN §4.1–4.5, from typed-in values to the verdict."""

import datetime
from decimal import Decimal

import pytest

from tests.workflows.criteria_records import (
    AS_OF_2022,
    AS_OF_2026,
    CHAMPION,
    INNOVATIVE,
    LITTLE_GIANT,
    LITTLE_GIANT_2026,
    SRDI,
    SRDI_2026,
    judge_values,
    little_giant_years,
    record,
    rule,
    valid,
)
from workflows.criteria import diagnose

D = Decimal

# ---------------------------------------------------------------- §4.1 innovative: score, group minimums, direct


def innovative_values(**changes):
    """62 points: innovation 20, growth 20, specialisation 22 … adjusted by ``changes``."""
    values = {
        "ip_class1_high_value_count": 0, "ip_class1_own_count": 0, "ip_class1_count": 1, "ip_class2_count": 0,  # 10
        "rd_ratio": D("2"),  # 10
        "main_business_growth": D("10"),  # 15
        "debt_ratio": D("70"),  # 5
        "strategic_emerging": False,  # 5
        "main_business_share": D("65"),  # 15
        "st_award_3y": False, "listed_innovation_title": False, "rd_institution": 0, "equity_3y": D("0"),
    }
    values.update(changes)
    return values


def test_innovative_passes_at_60_with_every_group_minimum():
    diagnosis = judge_values(INNOVATIVE, innovative_values())
    assert (diagnosis.score, diagnosis.passed) == (60, True)
    assert [g.points for g in diagnosis.groups] == [20, 20, 20]


def test_innovative_fails_at_59():
    diagnosis = judge_values(INNOVATIVE, innovative_values(main_business_share=D("59.99")))
    assert (diagnosis.score, diagnosis.passed, diagnosis.points_short) == (55, False, 5)


def test_innovative_fails_a_group_minimum_even_above_60():
    # innovation 15 (< 20) although the total is 75
    values = innovative_values(ip_class1_count=0, ip_class2_count=1, rd_ratio=D("2.99"), main_business_growth=D("15"),
                               debt_ratio=D("50"), main_business_share=D("70"))
    diagnosis = judge_values(INNOVATIVE, values)
    assert diagnosis.score >= 60
    assert diagnosis.passed is False
    assert diagnosis.points_short == 5


@pytest.mark.parametrize(
    ("metric", "value"),
    [("st_award_3y", True), ("listed_innovation_title", True), ("rd_institution", 3), ("rd_institution", 4),
     ("equity_3y", D("5000000"))],
)
def test_innovative_direct_conditions_pass_without_the_score(metric, value):
    values = innovative_values(main_business_share=D("0"), **{metric: value})
    diagnosis = judge_values(INNOVATIVE, values)
    assert diagnosis.score < 60
    assert (diagnosis.direct_met, diagnosis.passed, diagnosis.points_short) == (True, True, 0)


def test_innovative_direct_equity_edge():
    values = innovative_values(main_business_share=D("0"), equity_3y=D("4999999.99"))
    assert judge_values(INNOVATIVE, values).passed is False


def test_unknown_data_is_never_a_silent_zero():
    values = innovative_values(main_business_share=None)
    diagnosis = judge_values(INNOVATIVE, values)
    share = rule(diagnosis, "main_share")
    assert (share.status, share.points, share.possible) == ("unknown", 0, 20)
    assert diagnosis.passed is None  # 45 sure, up to 65 once the share is known


def test_unknown_data_that_cannot_change_the_verdict_does_not_hide_it():
    values = innovative_values(main_business_share=None, rd_ratio=D("0"), main_business_growth=D("-1"))
    assert judge_values(INNOVATIVE, values).passed is False


# ---------------------------------------------------------------- §4.2 SRDI (MIIT-2022)


def srdi_values(**changes):
    values = {
        "holds_innovative": True, "years_in_niche": 10, "debt_ratio": D("50"), "rd_expense": D("1000000"), "rd_ratio": D("3"),
        "operating_revenue": D("10000000"), "equity_2y": D("0"),
        # 62 points: specialisation 25, refinement 25, innovation 12
        "main_business_share": D("80"), "main_business_growth_avg2": D("10"), "chain_key_link": True,
        "digital_level": 3, "quality_items": 2, "net_margin": D("10"),
        "ip_class1_high_value_count": 1, "rd_staff_share": D("0"), "rd_institution": 0,
        "st_award_top_3y": False, "maker_china_top500_3y": False, "rd_expense_avg2": D("0"),
    }
    values.update(changes)
    return values


def test_srdi_passes_with_conditions_and_60_points():
    diagnosis = judge_values(SRDI, srdi_values())
    assert (diagnosis.score, diagnosis.conditions_met, diagnosis.passed) == (62, True, True)
    assert judge_values(SRDI, srdi_values(net_margin=D("9.99"), digital_level=2)).passed is False  # 58


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("ladder", {"holds_innovative": False}),
        ("niche_years", {"years_in_niche": 1}),
        ("rd_input", {"rd_expense": D("999999.99")}),
        ("rd_input", {"rd_ratio": D("2.99")}),
        ("revenue", {"operating_revenue": D("9999999.99"), "equity_2y": D("19999999.99")}),
    ],
)
def test_srdi_conditions(rule_id, changes):
    diagnosis = judge_values(SRDI, srdi_values(**changes))
    assert rule(diagnosis, rule_id).status == "not_met"
    assert diagnosis.passed is False


def test_srdi_revenue_condition_accepts_equity_instead():
    values = srdi_values(operating_revenue=D("5000000"), equity_2y=D("20000000"))
    assert rule(judge_values(SRDI, values), "revenue").status == "met"


@pytest.mark.parametrize(
    ("metric", "value"),
    [("st_award_top_3y", True), ("maker_china_top500_3y", True), ("rd_expense_avg2", D("10000000")),
     ("equity_2y", D("60000000"))],
)
def test_srdi_direct_conditions_replace_the_score_but_not_the_conditions(metric, value):
    low_score = {"main_business_share": D("0"), "main_business_growth_avg2": D("-1"), "net_margin": D("0")}
    diagnosis = judge_values(SRDI, srdi_values(**low_score, **{metric: value}))
    assert diagnosis.score < 60 and diagnosis.passed is True
    assert judge_values(SRDI, srdi_values(**low_score, holds_innovative=False, **{metric: value})).passed is False


# ---------------------------------------------------------------- §4.3 little giant (MIIT-2022), from typed-in values


def lg_record(titles=None, **year_changes):
    years = little_giant_years()
    for key, value in year_changes.items():
        year, field = key.split("__")
        years[int(year)][field] = value
    return record(years=years, titles=titles if titles is not None else [valid("srdi")])


def test_little_giant_record_meets_every_condition():
    diagnosis = diagnose(LITTLE_GIANT, lg_record(), AS_OF_2022)
    assert [r.rule.id for r in diagnosis.rules if r.status != "met"] == []
    assert diagnosis.passed is True


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("niche_years", {"niche_entered_year": 2024}),
        ("main_share", {"2025__operating_revenue": D("157142858")}),  # 69.99…%
        ("growth_avg2", {"2025__main_business_revenue": D("94000000"), "2024__main_business_revenue": D("90000000")}),
        ("core_processes", {"2025__core_processes_on_system": 0}),
        ("certification", {"2025__qms_certified": False}),
        ("debt", {"2025__total_liabilities": D("70000001")}),
        ("niche_share", {"2025__domestic_niche_share": D("9.99")}),
        ("brand", {"2025__own_brand": False}),
        ("rd_by_revenue", {"2024__rd_expense": D("3299999")}),  # 2.99…% in 2024
        ("institution", {"2025__rd_institution_level": "none"}),
        ("ip", {"2025__ip_class1_count": 1}),
        ("chain_position", {"2025__chain_key_link": False}),
        ("key_field", {"2025__six_basics": False, "2025__manufacturing_power_sector": False,
                       "2025__network_power_sector": False}),
    ],
)
def test_little_giant_conditions(rule_id, changes):
    niche = changes.pop("niche_entered_year", 2018)
    rec = lg_record(**changes)
    rec = rec.__class__(**{**{f: getattr(rec, f) for f in rec.__slots__}, "niche_entered_year": niche})
    diagnosis = diagnose(LITTLE_GIANT, rec, AS_OF_2022)
    assert [r.rule.id for r in diagnosis.rules if r.status != "met"] == [rule_id]
    assert diagnosis.passed is False


def test_little_giant_needs_a_valid_srdi_title_and_no_champion_title():
    assert rule(diagnose(LITTLE_GIANT, lg_record(titles=[]), AS_OF_2022), "ladder").status == "not_met"
    expired = ("srdi", datetime.date(2020, 6, 1), datetime.date(2023, 6, 1))
    assert rule(diagnose(LITTLE_GIANT, lg_record(titles=[expired]), AS_OF_2022), "ladder").status == "not_met"
    champion = lg_record(titles=[valid("srdi"), valid("champion")])
    assert rule(diagnose(LITTLE_GIANT, champion, AS_OF_2022), "not_champion").status == "not_met"


@pytest.mark.parametrize(
    ("revenue", "ratios", "met"),
    [
        (D("100000000"), (D("3"), D("3")), True),
        (D("100000000"), (D("3"), D("2.99")), False),
        (D("99999999"), (D("5.99"), D("6")), False),  # 50–100M needs 6% in each year
        (D("50000000"), (D("6"), D("6")), True),
    ],
)
def test_little_giant_rd_by_revenue_bracket(revenue, ratios, met):
    years = little_giant_years()
    years[2025]["operating_revenue"] = revenue
    years[2025]["main_business_revenue"] = revenue
    years[2025]["rd_expense"] = revenue * ratios[0] / 100
    years[2024]["rd_expense"] = years[2024]["operating_revenue"] * ratios[1] / 100
    result = rule(diagnose(LITTLE_GIANT, record(years=years, titles=[valid("srdi")]), AS_OF_2022), "rd_by_revenue")
    assert result.status == ("met" if met else "not_met")


def test_little_giant_small_revenue_bracket_needs_equity_rd_and_staff():
    values = {"operating_revenue": D("40000000"), "rd_ratio_min2": D("50"), "equity_2y": D("80000000"),
              "rd_expense_sum2": D("30000000"), "rd_staff_share": D("50")}
    assert rule(judge_values(LITTLE_GIANT, values), "rd_by_revenue").status == "met"
    assert rule(judge_values(LITTLE_GIANT, {**values, "rd_staff_share": D("49.99")}), "rd_by_revenue").status == "not_met"


# ---------------------------------------------------------------- §4.4 MIIT-2026


def test_little_giant_2026_record_meets_every_condition():
    years = little_giant_years()
    diagnosis = diagnose(LITTLE_GIANT_2026, record(years=years, titles=[valid("srdi")]), AS_OF_2026)
    assert [r.rule.id for r in diagnosis.rules if r.status != "met"] == []


@pytest.mark.parametrize(
    ("rule_id", "metric", "value"),
    [
        ("ladder", "holds_srdi", False),
        ("niche_years", "years_in_niche", 2),
        ("revenue", "operating_revenue", D("49999999.99")),
        ("main_share", "main_business_share", D("89.99")),
        ("growth", "revenue_cagr2", D("4.99")),
        ("debt", "debt_ratio", D("75.01")),
        ("rd_input", "rd_expense_sum2", D("11999999.99")),
        ("rd_input", "rd_ratio_min2", D("2.99")),
        ("ip", "ip_class1_own_count", 3),
        ("niche_share", "domestic_niche_share", D("9.99")),
        ("development_score", "development_score", D("59.99")),
    ],
)
def test_little_giant_2026_conditions(rule_id, metric, value):
    base = record(years=little_giant_years(), titles=[valid("srdi")])
    diagnosis = judge_values(LITTLE_GIANT_2026, {metric: value}, as_of=AS_OF_2026, base=base)
    assert rule(diagnosis, rule_id).status == "not_met"
    assert diagnosis.passed is False


def test_little_giant_2026_growth_is_not_checked_at_renewal_and_ip_waived_by_national_award():
    base = record(years=little_giant_years(), titles=[valid("srdi")])
    renewal = judge_values(LITTLE_GIANT_2026, {"revenue_cagr2": D("0")}, as_of=datetime.date(2027, 6, 1),
                           kind="renewal", base=base)
    assert "growth" not in [r.rule.id for r in renewal.rules]
    waived = judge_values(LITTLE_GIANT_2026, {"ip_class1_own_count": 0, "st_award_national_top3_3y": True},
                          as_of=AS_OF_2026, base=base)
    assert rule(waived, "ip").status == "met"


def srdi_2026_values(**changes):
    values = {"holds_innovative": True, "years_in_niche": 3, "operating_revenue": D("15000000"), "equity_2y": D("0"),
              "main_business_share": D("80"), "debt_ratio": D("80"), "rd_expense_min2": D("1000000"),
              "rd_ratio_min2": D("3"), "ip_class1_count": 1, "st_award_provincial_top3_3y": False, "rd_institution": 0,
              "development_score": D("50"), "development_score_y1": D("50"), "development_score_y2": D("0")}
    values.update(changes)
    return values


def test_srdi_2026_passes_at_every_edge():
    assert judge_values(SRDI_2026, srdi_2026_values(), as_of=AS_OF_2026).passed is True


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("ladder", {"holds_innovative": False}),
        ("niche_years", {"years_in_niche": 2}),
        ("revenue", {"operating_revenue": D("14999999.99")}),
        ("main_share", {"main_business_share": D("79.99")}),
        ("debt", {"debt_ratio": D("80.01")}),
        ("rd_input", {"rd_expense_min2": D("999999.99")}),
        ("rd_input", {"rd_ratio_min2": D("2.99")}),
        ("ip", {"ip_class1_count": 0}),
        ("development_score", {"development_score": D("49.99")}),
    ],
)
def test_srdi_2026_conditions(rule_id, changes):
    diagnosis = judge_values(SRDI_2026, srdi_2026_values(**changes), as_of=AS_OF_2026)
    assert rule(diagnosis, rule_id).status == "not_met"
    assert diagnosis.passed is False


def test_srdi_2026_ip_waivers_and_renewal_score_in_either_year():
    waived = srdi_2026_values(ip_class1_count=0, rd_institution=3)
    assert judge_values(SRDI_2026, waived, as_of=AS_OF_2026).passed is True
    renewal = srdi_2026_values(development_score=D("0"), development_score_y1=D("40"), development_score_y2=D("50"))
    assert judge_values(SRDI_2026, renewal, as_of=datetime.date(2027, 6, 1), kind="renewal").passed is True
    renewal_low = {**renewal, "development_score_y2": D("49.99")}
    assert judge_values(SRDI_2026, renewal_low, as_of=datetime.date(2027, 6, 1), kind="renewal").passed is False


# ---------------------------------------------------------------- §4.5 single champion (2023 rules)


def champion_values(**changes):
    values = {"product_years_in_field": 10, "main_business_revenue_avg3": D("400000000"), "holds_little_giant": False,
              "global_rank": 3}
    values.update(changes)
    return values


def test_champion_passes_on_data_and_leaves_the_rest_to_review():
    diagnosis = judge_values(CHAMPION, champion_values())
    assert diagnosis.passed is True
    assert [r.status for r in diagnosis.of_kind("review")] == ["review"] * 3
    assert diagnosis.prerequisite is None  # no title prerequisite


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("field_years", {"product_years_in_field": 9}),
        ("revenue_avg3", {"main_business_revenue_avg3": D("399999999.99")}),
        ("global_rank", {"global_rank": 4}),
    ],
)
def test_champion_conditions(rule_id, changes):
    diagnosis = judge_values(CHAMPION, champion_values(**changes))
    assert rule(diagnosis, rule_id).status == "not_met"
    assert diagnosis.passed is False


def test_champion_revenue_relaxed_for_little_giants():
    relaxed = champion_values(main_business_revenue_avg3=D("200000000"), holds_little_giant=True)
    assert judge_values(CHAMPION, relaxed).passed is True
    assert judge_values(CHAMPION, {**relaxed, "holds_little_giant": False}).passed is False
