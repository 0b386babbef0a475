"""A diagnosis as plain data (JSON-ready), in the active language: for the API, the command and records."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .display import condition_text, option_text, plain, value_text
from .engine import Diagnosis, RuleKind, RuleResult
from .facts import METRICS


def _json_value(value):
    """Decimals as text, to four places without trailing zeros (9.0909…% → "9.0909")."""
    return plain(value, 4) if isinstance(value, Decimal) else value


def notes(diagnosis: Diagnosis) -> list[str]:
    """What a reader must know to trust the verdict: unconfigured groups, missing data."""
    found = [
        _(
            "The province's “%(group)s” indicators (%(points)s points) are not configured: "
            "those points cannot be won in this diagnosis."
        )
        % {"group": group.label, "points": group.max_points}
        for group in diagnosis.unconfigured_groups
    ]
    if diagnosis.passed is None:
        found.append(_("The verdict is undetermined until the missing data is entered."))
    if any(result.rule.kind == RuleKind.REVIEW for result in diagnosis.rules):
        found.append(_("Some conditions are judged by experts at review and are not decided from data."))
    return found


def _change_data(change) -> dict:
    return {
        "metric": change.metric,
        "op": change.op,
        "current": _json_value(change.current),
        "target": _json_value(change.target),
        "provide": change.provide,
        "inputs": [{"year": year, "field": field} for year, field in change.missing],
    }


def rule_data(result: RuleResult) -> dict:
    rule = result.rule
    remedy = result.remedy
    bands = [option_text(option) for option in rule.options] if rule.kind == RuleKind.SCORE else []
    return {
        "id": rule.id,
        "label": rule.label,
        "kind": rule.kind,
        "group": rule.group,
        "status": result.status,
        "points": result.points,
        "max_points": result.max_points,
        "lost": result.lost,
        "possible": result.possible,
        "values": {
            name: {"label": str(METRICS[name].label), "value": _json_value(value), "text": value_text(name, value)}
            for name, value in result.values.items()
        },
        "requirement": condition_text(rule.when) if rule.when else "",
        "bands": bands,
        "remedy": remedy.text if remedy is not None else None,
        "remedy_steps": [
            {"gain": step.gain, "changes": [_change_data(change) for change in step.changes]}
            for step in (remedy.steps if remedy is not None else ())
        ],
        "source": rule.source,
        "verify": rule.verify,
    }


def diagnosis_data(diagnosis: Diagnosis) -> dict:
    ruleset, record = diagnosis.ruleset, diagnosis.record
    prerequisite = diagnosis.prerequisite
    return {
        "enterprise": {"id": record.id, "name": record.name, "credit_code": record.credit_code},
        "tier": diagnosis.tier,
        "kind": diagnosis.kind,
        "as_of": diagnosis.as_of.isoformat(),
        "ruleset": {"id": ruleset.id, "code": ruleset.code, "version": ruleset.version, "title": ruleset.title},
        "passed": diagnosis.passed,
        "score": diagnosis.score,
        "possible_score": diagnosis.possible_score,
        "pass_score": ruleset.pass_total,
        "score_met": diagnosis.score_met,
        "conditions_met": diagnosis.conditions_met,
        "direct_met": diagnosis.direct_met,
        "direct_conditions_met": [r.rule.id for r in diagnosis.of_kind(RuleKind.DIRECT) if r.status == "met"],
        "prerequisite": None if prerequisite is None else {"rule": prerequisite.rule.id, "status": prerequisite.status},
        "conditions_missing": diagnosis.conditions_missing,
        "points_short": diagnosis.points_short,
        "groups": [
            {
                "id": g.group.id,
                "label": g.group.label,
                "points": g.points,
                "possible": g.possible,
                "max_points": g.group.max_points,
                "minimum": g.group.minimum,
                "province_set": g.group.province_set,
                "configured": g.configured,
            }
            for g in diagnosis.groups
        ],
        "notes": notes(diagnosis),
        "rules": [rule_data(result) for result in diagnosis.rules],
    }
