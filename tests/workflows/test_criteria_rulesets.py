"""Rule sets are versioned data: chosen by date and kind, corrected by administrators into new versions."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from approvals.models import Step
from tests.factories import AnnualMetricsFactory, EnterpriseFactory
from workflows.criteria.definitions import RULESETS, ruleset_row
from workflows.exceptions import CaseError
from workflows.models import DiagnosisRecord, RuleSet
from workflows.selectors.diagnosis import current_rulesets, diagnose, ruleset_for
from workflows.services.diagnosis import diagnosis_keep, province_rule, ruleset_province_rule_add, ruleset_revise

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def current(code, tier) -> RuleSet:
    return RuleSet.objects.get(code=code, tier=tier, is_current=True)


@pytest.mark.parametrize("spec", RULESETS, ids=lambda spec: f"{spec['code']}-{spec['tier']}")
def test_the_seeded_rule_sets_are_the_published_definitions(spec):
    stored = current(spec["code"], spec["tier"])
    assert stored.version == 1
    assert ruleset_row(stored.as_spec()) == ruleset_row(spec)


@pytest.mark.parametrize(
    ("tier", "day", "kind", "code"),
    [
        ("innovative", "2022-06-01", "new", "MIIT-2022"),
        ("innovative", "2026-06-01", "new", "MIIT-2022"),
        ("srdi", "2026-03-31", "new", "MIIT-2022"),
        ("srdi", "2026-04-01", "new", "MIIT-2026"),
        ("srdi", "2026-06-01", "renewal", "MIIT-2022"),
        ("srdi", "2027-01-01", "renewal", "MIIT-2026"),
        ("little_giant", "2026-03-31", "new", "MIIT-2022"),
        ("little_giant", "2026-04-01", "new", "MIIT-2026"),
        ("little_giant", "2026-12-31", "renewal", "MIIT-2022"),
        ("little_giant", "2027-01-01", "renewal", "MIIT-2026"),
        ("champion", "2024-05-01", "new", "CHAMPION-2023"),
        ("champion", "2026-05-01", "renewal", "CHAMPION-2023"),
    ],
)
def test_the_rule_set_is_chosen_by_date_and_kind(tier, day, kind, code):
    assert ruleset_for(tier, datetime.date.fromisoformat(day), kind).code == code


def test_no_rule_set_before_the_first_one_and_unknown_tiers_are_refused():
    with pytest.raises(CaseError) as error:
        ruleset_for("srdi", datetime.date(2022, 5, 31), "new")
    assert error.value.code == "no_ruleset"
    assert "No criteria are in force" in str(error.value)
    with pytest.raises(CaseError) as error:
        ruleset_for("giant", datetime.date(2026, 1, 1), "new")
    assert error.value.code == "unknown_tier"


def test_an_administrator_corrects_a_threshold_into_a_new_version(cast):
    enterprise = EnterpriseFactory()
    AnnualMetricsFactory(enterprise=enterprise, year=2025, rd_expense=D("3000000"), operating_revenue=D("100000000"))
    day = datetime.date(2026, 3, 1)
    before = diagnose(enterprise, "innovative", day)
    kept = diagnosis_keep(diagnosis=before, enterprise=enterprise, by=None)
    assert [r.points for r in before.rules if r.rule.id == "rd_ratio"] == [15]

    v1 = current("MIIT-2022", "innovative")
    v2 = ruleset_revise(ruleset=v1, by=cast.admin, changes={"rules.rd_ratio.options.1.when.value": "3.5"},
                        note="Province guidance: 3.5%")

    v1.refresh_from_db()
    assert (v1.is_current, v2.is_current, v2.version, v2.previous_id) == (False, True, 2, v1.pk)
    after = diagnose(enterprise, "innovative", day)
    assert after.ruleset.id == v2.pk
    assert [r.points for r in after.rules if r.rule.id == "rd_ratio"] == [10]
    kept.refresh_from_db()
    assert kept.ruleset_id == v1.pk  # past diagnoses keep the version they used
    step = Step.objects.get(action="ruleset.revise")
    assert (step.state_before, step.state_after, step.comment, step.actor_id) == ("v1", "v2", "Province guidance: 3.5%", cast.admin.pk)
    assert "rules.rd_ratio" in step.data["changes"]


def test_window_dates_and_pass_mark_are_correctable(cast):
    v2 = ruleset_revise(ruleset=current("MIIT-2022", "srdi"), by=cast.admin,
                        changes={"renewal_until": "2026-06-30", "pass_total": "65"}, note="verify: 复核 window")
    assert (v2.renewal_until, v2.pass_total) == (datetime.date(2026, 6, 30), 65)
    assert ruleset_for("srdi", datetime.date(2026, 6, 30), "renewal").version == 2
    with pytest.raises(CaseError):  # MIIT-2026 re-reviews start in 2027: the gap shows, it is not papered over
        ruleset_for("srdi", datetime.date(2026, 7, 1), "renewal")


@pytest.mark.parametrize(
    ("who", "changes", "note", "message"),
    [
        ("city", {"pass_total": "61"}, "x", "Only an administrator may correct the criteria."),
        ("admin", {}, "x", "Nothing was changed."),
        ("admin", {"pass_total": "61"}, "  ", "Say what you corrected and why"),
        ("admin", {"rules.rd_ratio.options.0.points": "12"}, "x", "bands must go from the most points to the fewest"),
        ("admin", {"rules.rd_ratio.options.0.points": "25"}, "x", "more than its 40"),
        ("admin", {"rules.rd_ratio.options.0.when.value": "five"}, "x", "is not a number"),
        ("admin", {"rules.nope.options.0.points": "1"}, "x", "There is nothing to correct"),
        ("admin", {"pass_total": "160"}, "x", "whole number from 0 to 100"),
    ],
)
def test_corrections_are_refused_with_a_reason(cast, who, changes, note, message):
    v1 = current("MIIT-2022", "innovative")
    with pytest.raises(CaseError) as error:
        ruleset_revise(ruleset=v1, by=getattr(cast, who), changes=changes, note=note)
    assert message in str(error.value)
    assert RuleSet.objects.filter(code="MIIT-2022", tier="innovative").count() == 1
    assert not Step.objects.filter(action="ruleset.revise").exists()


def test_a_replaced_version_cannot_be_corrected(cast):
    v1 = current("MIIT-2022", "innovative")
    ruleset_revise(ruleset=v1, by=cast.admin, changes={"pass_total": "61"}, note="one")
    with pytest.raises(CaseError) as error:
        ruleset_revise(ruleset=v1, by=cast.admin, changes={"pass_total": "62"}, note="two")
    assert error.value.code == "stale_version"


def test_province_feature_indicators_are_added_and_counted(cast):
    enterprise = EnterpriseFactory()
    AnnualMetricsFactory(enterprise=enterprise, year=2025, cnc_rate=D("70"))
    rule = province_rule(group="feature", rule_id="js_cnc", label_zh="关键工序数控化率", label_en="Key-process CNC rate",
                         metric="digital_level", bands=[("3", 15), ("2", 8)])
    v2 = ruleset_province_rule_add(ruleset=current("MIIT-2022", "srdi"), by=cast.admin, rule=rule, note="江苏特色指标")
    assert v2.rules.filter(rule_id="js_cnc").exists()
    diagnosis = diagnose(enterprise, "srdi", datetime.date(2026, 3, 1))
    assert diagnosis.unconfigured_groups == []
    with pytest.raises(CaseError):
        ruleset_province_rule_add(ruleset=v2, by=cast.admin, rule={**rule, "group": "refinement", "id": "x"}, note="n")


def test_rule_sets_are_reloaded_only_when_a_version_appears(cast, django_assert_num_queries):
    current_rulesets()
    with django_assert_num_queries(1):
        current_rulesets()
    ruleset_revise(ruleset=current("MIIT-2022", "innovative"), by=cast.admin, changes={"pass_total": "61"}, note="n")
    assert {rs.version for rs in current_rulesets() if rs.tier == "innovative"} == {2}


def test_a_kept_diagnosis_records_its_result(cast):
    enterprise = EnterpriseFactory()
    diagnosis = diagnose(enterprise, "innovative", datetime.date(2026, 3, 1))
    record = diagnosis_keep(diagnosis=diagnosis, enterprise=enterprise, by=cast.district)
    stored = DiagnosisRecord.objects.get(pk=record.pk)
    assert (stored.tier, stored.passed, stored.result["ruleset"]["code"]) == ("innovative", diagnosis.passed, "MIIT-2022")
    assert {rule["id"] for rule in stored.result["rules"]} >= {"ip", "rd_ratio", "direct_equity"}
