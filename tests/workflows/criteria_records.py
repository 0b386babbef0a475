"""Plain-value enterprise records for the criteria tests (no database needed)."""

import datetime
from decimal import Decimal

from workflows.criteria import EnterpriseRecord, Facts, RuleSet, diagnose
from workflows.criteria import definitions

D = Decimal
AS_OF_2022 = datetime.date(2026, 3, 1)  # MIIT-2022 still decides new applications
AS_OF_2026 = datetime.date(2026, 6, 1)  # MIIT-2026 in force
INNOVATIVE = RuleSet.from_spec(definitions.INNOVATIVE_2022)
SRDI = RuleSet.from_spec(definitions.SRDI_2022)
LITTLE_GIANT = RuleSet.from_spec(definitions.LITTLE_GIANT_2022)
SRDI_2026 = RuleSet.from_spec(definitions.SRDI_2026)
LITTLE_GIANT_2026 = RuleSet.from_spec(definitions.LITTLE_GIANT_2026)
CHAMPION = RuleSet.from_spec(definitions.CHAMPION_2023)


def valid(tier: str, since=datetime.date(2024, 6, 1)) -> tuple:
    return (tier, since, since.replace(year=since.year + 3))


def record(*, years: dict | None = None, titles=(), source_lists=(), niche_entered_year=2018, **profile) -> EnterpriseRecord:
    return EnterpriseRecord(
        id=1, name="镇江精工轴承有限公司", credit_code="91321102MA1X00000X", niche_entered_year=niche_entered_year,
        metrics=years or {}, titles=tuple(titles), source_lists=tuple(source_lists), **profile,
    )


def judge_values(ruleset: RuleSet, values: dict, *, as_of=AS_OF_2022, kind="new", base=None):
    """Diagnose with metric values set directly (derivations are tested separately)."""
    rec = base or record()
    facts = Facts(rec, as_of)
    facts.update(values)
    return diagnose(ruleset, rec, as_of, kind=kind, facts=facts)


def rule(diagnosis, rule_id: str):
    return next(result for result in diagnosis.rules if result.rule.id == rule_id)


def little_giant_years() -> dict:
    """Three years of data meeting every little-giant condition of MIIT-2022 and MIIT-2026."""
    return {
        2025: {
            "operating_revenue": D("120000000"), "main_business_revenue": D("110000000"), "rd_expense": D("7200000"),
            "total_assets": D("100000000"), "total_liabilities": D("50000000"), "employees": 300, "rd_staff": 60,
            "core_processes_on_system": 2, "qms_certified": True, "developed_market_certification": False,
            "domestic_niche_share": D("12"), "own_brand": True, "rd_institution_level": "provincial",
            "ip_class1_count": 5, "ip_class1_own_count": 4, "ip_class1_high_value_count": 1, "chain_key_link": True,
            "six_basics": True, "manufacturing_power_sector": None, "network_power_sector": None,
            "development_score": D("65"), "equity_financing": D("0"), "st_award_level": "none",
            "maker_china_rank": "none",
        },
        2024: {"operating_revenue": D("110000000"), "main_business_revenue": D("100000000"), "rd_expense": D("6000000"),
               "equity_financing": D("0")},
        2023: {"operating_revenue": D("100000000"), "main_business_revenue": D("90000000")},
    }
