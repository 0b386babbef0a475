"""Every band edge of every scored indicator of DESIGN §4.1 (innovative) and §4.2 (SRDI).

Lower bounds are inclusive ("5%以上" means ≥ 5%); debt ratios are "at most" bands whose
upper bound is inclusive ("55%以下含55%").
"""

from decimal import Decimal

import pytest

from tests.workflows.criteria_records import INNOVATIVE, SRDI, judge_values, rule

D = Decimal

# (rule id, metric, value, points)
INNOVATIVE_BANDS = [
    ("rd_ratio", "rd_ratio", D("5"), 20),
    ("rd_ratio", "rd_ratio", D("4.99"), 15),
    ("rd_ratio", "rd_ratio", D("3"), 15),
    ("rd_ratio", "rd_ratio", D("2.99"), 10),
    ("rd_ratio", "rd_ratio", D("2"), 10),
    ("rd_ratio", "rd_ratio", D("1.99"), 5),
    ("rd_ratio", "rd_ratio", D("1"), 5),
    ("rd_ratio", "rd_ratio", D("0.99"), 0),
    ("rd_ratio", "rd_ratio", D("0"), 0),
    ("growth", "main_business_growth", D("15"), 20),
    ("growth", "main_business_growth", D("14.99"), 15),
    ("growth", "main_business_growth", D("10"), 15),
    ("growth", "main_business_growth", D("9.99"), 10),
    ("growth", "main_business_growth", D("5"), 10),
    ("growth", "main_business_growth", D("4.99"), 5),
    ("growth", "main_business_growth", D("0"), 5),
    ("growth", "main_business_growth", D("-0.01"), 0),
    ("debt", "debt_ratio", D("0"), 10),
    ("debt", "debt_ratio", D("55"), 10),
    ("debt", "debt_ratio", D("55.01"), 5),
    ("debt", "debt_ratio", D("75"), 5),
    ("debt", "debt_ratio", D("75.01"), 0),
    ("main_share", "main_business_share", D("100"), 20),
    ("main_share", "main_business_share", D("70"), 20),
    ("main_share", "main_business_share", D("69.99"), 15),
    ("main_share", "main_business_share", D("60"), 15),
    ("main_share", "main_business_share", D("59.99"), 10),
    ("main_share", "main_business_share", D("55"), 10),
    ("main_share", "main_business_share", D("54.99"), 5),
    ("main_share", "main_business_share", D("50"), 5),
    ("main_share", "main_business_share", D("49.99"), 0),
    ("strategic", "strategic_emerging", True, 10),
    ("strategic", "strategic_emerging", False, 5),
]

SRDI_BANDS = [
    ("main_share", "main_business_share", D("80"), 5),
    ("main_share", "main_business_share", D("79.99"), 3),
    ("main_share", "main_business_share", D("70"), 3),
    ("main_share", "main_business_share", D("69.99"), 1),
    ("main_share", "main_business_share", D("60"), 1),
    ("main_share", "main_business_share", D("59.99"), 0),
    ("growth_avg2", "main_business_growth_avg2", D("10"), 10),
    ("growth_avg2", "main_business_growth_avg2", D("9.99"), 8),
    ("growth_avg2", "main_business_growth_avg2", D("8"), 8),
    ("growth_avg2", "main_business_growth_avg2", D("7.99"), 6),
    ("growth_avg2", "main_business_growth_avg2", D("6"), 6),
    ("growth_avg2", "main_business_growth_avg2", D("5.99"), 4),
    ("growth_avg2", "main_business_growth_avg2", D("4"), 4),
    ("growth_avg2", "main_business_growth_avg2", D("3.99"), 2),
    ("growth_avg2", "main_business_growth_avg2", D("0"), 2),
    ("growth_avg2", "main_business_growth_avg2", D("-0.01"), 0),
    ("niche_years_points", "years_in_niche", 12, 5),
    ("niche_years_points", "years_in_niche", 10, 5),
    ("niche_years_points", "years_in_niche", 9, 4),
    ("niche_years_points", "years_in_niche", 8, 4),
    ("niche_years_points", "years_in_niche", 7, 3),
    ("niche_years_points", "years_in_niche", 6, 3),
    ("niche_years_points", "years_in_niche", 5, 2),
    ("niche_years_points", "years_in_niche", 4, 2),
    ("niche_years_points", "years_in_niche", 3, 1),
    ("niche_years_points", "years_in_niche", 2, 1),
    ("niche_years_points", "years_in_niche", 1, 0),
    ("digital", "digital_level", 4, 5),
    ("digital", "digital_level", 3, 5),
    ("digital", "digital_level", 2, 3),
    ("digital", "digital_level", 1, 0),
    ("quality", "quality_items", 4, 5),
    ("quality", "quality_items", 2, 5),
    ("quality", "quality_items", 1, 3),
    ("quality", "quality_items", 0, 0),
    ("net_margin", "net_margin", D("10"), 10),
    ("net_margin", "net_margin", D("9.99"), 8),
    ("net_margin", "net_margin", D("8"), 8),
    ("net_margin", "net_margin", D("7.99"), 6),
    ("net_margin", "net_margin", D("6"), 6),
    ("net_margin", "net_margin", D("5.99"), 4),
    ("net_margin", "net_margin", D("4"), 4),
    ("net_margin", "net_margin", D("3.99"), 2),
    ("net_margin", "net_margin", D("2"), 2),
    ("net_margin", "net_margin", D("1.99"), 0),
    ("net_margin", "net_margin", D("-5"), 0),
    ("debt", "debt_ratio", D("50"), 5),
    ("debt", "debt_ratio", D("50.01"), 3),
    ("debt", "debt_ratio", D("60"), 3),
    ("debt", "debt_ratio", D("60.01"), 1),
    ("debt", "debt_ratio", D("70"), 1),
    ("debt", "debt_ratio", D("70.01"), 0),
    ("rd_staff", "rd_staff_share", D("20"), 5),
    ("rd_staff", "rd_staff_share", D("19.99"), 3),
    ("rd_staff", "rd_staff_share", D("10"), 3),
    ("rd_staff", "rd_staff_share", D("9.99"), 1),
    ("rd_staff", "rd_staff_share", D("5"), 1),
    ("rd_staff", "rd_staff_share", D("4.99"), 0),
    ("institution", "rd_institution", 4, 10),  # national
    ("institution", "rd_institution", 3, 8),  # provincial
    ("institution", "rd_institution", 2, 4),  # municipal
    ("institution", "rd_institution", 1, 2),  # below municipal
    ("institution", "rd_institution", 0, 0),  # none
]


@pytest.mark.parametrize(("rule_id", "metric", "value", "points"), INNOVATIVE_BANDS)
def test_innovative_band_edges(rule_id, metric, value, points):
    result = rule(judge_values(INNOVATIVE, {metric: value}), rule_id)
    assert (result.points, result.lost) == (points, result.max_points - points)
    assert result.status == ("met" if points == result.max_points else "not_met")


@pytest.mark.parametrize(("rule_id", "metric", "value", "points"), SRDI_BANDS)
def test_srdi_band_edges(rule_id, metric, value, points):
    result = rule(judge_values(SRDI, {metric: value}), rule_id)
    assert result.points == points
    assert result.lost == result.max_points - points


IP = ("ip_class1_high_value_count", "ip_class1_own_count", "ip_class1_count", "ip_class2_count")


@pytest.mark.parametrize(
    ("counts", "innovative_points", "srdi_points"),
    [
        ((1, 1, 1, 0), 20, 10),
        ((0, 1, 1, 0), 15, 8),
        ((0, 0, 1, 0), 10, 6),
        ((0, 0, 0, 1), 5, 2),
        ((0, 0, 0, 0), 0, 0),
        ((0, 0, 2, 7), 10, 6),
    ],
)
def test_ip_tied_to_the_main_product(counts, innovative_points, srdi_points):
    values = dict(zip(IP, counts))
    assert rule(judge_values(INNOVATIVE, values), "ip").points == innovative_points
    assert rule(judge_values(SRDI, values), "ip").points == srdi_points


@pytest.mark.parametrize(
    ("amount", "share", "points"),
    [
        (D("5000000"), D("0"), 10),
        (D("4999999.99"), D("0"), 8),
        (D("4000000"), D("0"), 8),
        (D("3000000"), D("0"), 6),
        (D("2000000"), D("0"), 4),
        (D("1000000"), D("0"), 2),
        (D("999999.99"), D("0"), 0),
        (D("0"), D("10"), 10),
        (D("0"), D("9.99"), 8),
        (D("0"), D("8"), 8),
        (D("0"), D("6"), 6),
        (D("0"), D("4"), 4),
        (D("0"), D("3"), 2),
        (D("0"), D("2.99"), 0),
        (D("2000000"), D("8"), 8),  # the better of the two counts
        (D("4000000"), D("4"), 8),
    ],
)
def test_srdi_rd_input_takes_the_better_of_amount_or_share(amount, share, points):
    assert rule(judge_values(SRDI, {"rd_expense": amount, "rd_ratio": share}), "rd_level").points == points


@pytest.mark.parametrize(
    ("key_link", "basic", "points"),
    [(True, False, 5), (True, None, 5), (False, True, 3), (False, False, 0)],
)
def test_srdi_product_field(key_link, basic, points):
    values = {"chain_key_link": key_link, "basic_field_or_brand": basic}
    assert rule(judge_values(SRDI, values), "product_field").points == points


def test_province_set_group_is_empty_and_says_so():
    diagnosis = judge_values(SRDI, {})
    feature = next(g for g in diagnosis.groups if g.group.id == "feature")
    assert (feature.points, feature.group.max_points, feature.configured) == (0, 15, False)
    assert [g.id for g in diagnosis.unconfigured_groups] == ["feature"]


def test_group_maxima_add_up_to_100():
    assert INNOVATIVE.max_total == 100
    assert SRDI.max_total == 100
