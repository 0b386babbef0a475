"""Properties of the scoring: more R&D or more IP never lowers a score; a total never exceeds 100."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workflows.criteria_records import AS_OF_2022, INNOVATIVE, SRDI, record
from workflows.criteria import diagnose

SCORED = (INNOVATIVE, SRDI)
money = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
share = st.one_of(st.none(), st.decimals(min_value=-50, max_value=150, places=2, allow_nan=False, allow_infinity=False))
count = st.one_of(st.none(), st.integers(min_value=0, max_value=50))
flag = st.one_of(st.none(), st.booleans())


@st.composite
def enterprise_years(draw):
    last = {
        "operating_revenue": draw(money), "main_business_revenue": draw(money), "rd_expense": draw(money),
        "net_profit": draw(money), "total_assets": draw(money), "total_liabilities": draw(money),
        "employees": draw(count), "rd_staff": draw(count), "ip_class1_high_value_count": draw(count),
        "ip_class1_own_count": draw(count), "ip_class1_count": draw(count), "ip_class2_count": draw(count),
        "strategic_emerging": draw(flag), "chain_key_link": draw(flag), "six_basics": draw(flag),
        "digital_level": draw(st.one_of(st.none(), st.integers(1, 4))), "quality_award": draw(flag),
        "qms_certified": draw(flag), "own_brand": draw(flag), "standards_drafted": draw(count),
        "rd_institution_level": draw(st.sampled_from(["", "none", "below_municipal", "municipal", "provincial", "national"])),
        "equity_financing": draw(money), "domestic_niche_share": draw(share),
    }
    before = {"main_business_revenue": draw(money), "operating_revenue": draw(money), "rd_expense": draw(money)}
    earlier = {"main_business_revenue": draw(money)}
    return {2025: last, 2024: before, 2023: earlier}


def scores(years) -> list[int]:
    rec = record(years=years, niche_entered_year=2019)
    return [diagnose(ruleset, rec, AS_OF_2022, remedies=False).score for ruleset in SCORED]


def raised(years, field, extra):
    changed = {year: dict(row) for year, row in years.items()}
    changed[2025][field] = (changed[2025].get(field) or 0) + extra
    return changed


@settings(max_examples=300, deadline=None)
@given(enterprise_years(), st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False))
def test_raising_rd_expense_never_lowers_a_score(years, extra):
    before = scores(years)
    after = scores(raised(years, "rd_expense", extra))
    assert all(b <= a for b, a in zip(before, after))


@settings(max_examples=300, deadline=None)
@given(
    enterprise_years(),
    st.sampled_from(["ip_class1_high_value_count", "ip_class1_own_count", "ip_class1_count", "ip_class2_count"]),
    st.integers(min_value=0, max_value=20),
)
def test_raising_ip_never_lowers_a_score(years, field, extra):
    before = scores(years)
    after = scores(raised(years, field, extra))
    assert all(b <= a for b, a in zip(before, after))


@settings(max_examples=300, deadline=None)
@given(enterprise_years())
def test_a_total_never_exceeds_100_nor_its_possible_score(years):
    rec = record(years=years, niche_entered_year=2019)
    for ruleset in SCORED:
        diagnosis = diagnose(ruleset, rec, AS_OF_2022)
        assert 0 <= diagnosis.score <= diagnosis.possible_score <= 100
        assert sum(r.points for r in diagnosis.rules if r.points is not None) >= diagnosis.score
        for result in diagnosis.rules:
            if result.max_points is not None:
                assert 0 <= result.points <= result.possible <= result.max_points
        assert diagnosis.passed in (True, False, None)


@settings(max_examples=200, deadline=None)
@given(enterprise_years())
def test_filling_in_unknown_data_never_leaves_the_possible_range(years):
    """The sure score is a floor and the possible score a ceiling for any value the data turns out to have."""
    rec = record(years=years, niche_entered_year=2019)
    flags = {"strategic_emerging", "chain_key_link", "six_basics", "quality_award", "qms_certified", "own_brand"}
    known = {
        year: {k: v if v is not None else False if k in flags else Decimal(0) for k, v in row.items()}
        for year, row in years.items()
    }
    for ruleset in SCORED:
        floor_and_ceiling = diagnose(ruleset, rec, AS_OF_2022, remedies=False)
        filled = diagnose(ruleset, record(years=known, niche_entered_year=2019), AS_OF_2022, remedies=False)
        assert floor_and_ceiling.score <= filled.score <= floor_and_ceiling.possible_score
