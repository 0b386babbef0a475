"""Writes around the criteria: correcting a rule set (a new version), and keeping a diagnosis.

A rule-set version is never edited in place: a correction copies it into the next
version, marks the old one as no longer current and writes one approval step. Stored
diagnoses keep the version they were made with.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.services import step_record
from enterprises.models import Enterprise, User
from enterprises.selectors import is_administrator

from ..criteria import Diagnosis
from ..criteria import RuleSet as EngineRuleSet
from ..criteria.conditions import ConditionError
from ..criteria.definitions import ruleset_row
from ..criteria.editing import problems, set_figure
from ..criteria.report import diagnosis_data
from ..exceptions import CaseError
from ..models import DiagnosisRecord, Rule, RuleSet
from ..selectors.diagnosis import ruleset_clear_cache

RULESET_FIELDS = ("pass_total", "new_from", "new_until", "renewal_from", "renewal_until")


def _check_admin(by: User) -> None:
    if not is_administrator(by):
        raise CaseError(_("Only an administrator may correct the criteria."), code="forbidden", http_status=403)


def _invalid(message: str):
    raise CaseError(message, code="invalid", http_status=400)


def _field_value(key: str, value):
    """A rule-set field as stored in the spec: the pass mark a whole number, dates ISO text."""
    if value in (None, ""):
        return None
    if key == "pass_total":
        if not str(value).isdigit() or int(value) > 100:
            _invalid(_("The pass mark is a whole number from 0 to 100."))
        return int(value)
    try:
        return value.isoformat() if isinstance(value, datetime.date) else datetime.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        _invalid(_("“%(value)s” is not a date like 2026-04-01.") % {"value": value})


def _apply_changes(spec: dict, changes: dict) -> dict:
    """Apply ``{"pass_total": 60, "new_until": date, "rules.<id>.<figure path>": value}`` to a spec copy."""
    rules = {rule["id"]: rule for rule in spec["rules"]}
    for key, value in changes.items():
        if key in RULESET_FIELDS:
            spec[key] = _field_value(key, value)
            continue
        prefix, rule_id, path = (key.split(".", 2) + ["", ""])[:3]
        if prefix != "rules" or rule_id not in rules:
            _invalid(_("There is nothing to correct at “%(key)s”.") % {"key": key})
        try:
            rules[rule_id] = set_figure(rules[rule_id], path, value)
        except ConditionError as error:
            _invalid(str(error))
    spec["rules"] = [rules[rule["id"]] for rule in spec["rules"]]
    return spec


def _store_version(*, previous: RuleSet, spec: dict, by: User | None, note: str) -> RuleSet:
    fields, rules = ruleset_row(spec)
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    ruleset = RuleSet.objects.create(
        **fields, version=previous.version + 1, is_current=True, previous=previous, change_note=note, created_by=by
    )
    Rule.objects.bulk_create(Rule(ruleset=ruleset, **rule) for rule in rules)
    ruleset.refresh_from_db()  # dates were given as ISO text
    return ruleset


def _differences(before: dict, after: dict) -> dict:
    """``{key: [old, new]}`` for every figure or field that changed, for the step's record."""
    changed = {key: [before.get(key), after.get(key)] for key in RULESET_FIELDS if before.get(key) != after.get(key)}
    old_rules = {rule["id"]: rule for rule in before["rules"]}
    for rule in after["rules"]:
        if rule != old_rules.get(rule["id"]):
            changed[f"rules.{rule['id']}"] = [old_rules.get(rule["id"]), rule]
    return changed


@transaction.atomic
def ruleset_revise(*, ruleset: RuleSet, by: User, changes: dict, note: str, add_rules: list | None = None) -> RuleSet:
    """Correct figures of the current version of ``ruleset``: stores and returns the next version.

    ``changes`` maps ``pass_total``, a window date, or ``rules.<rule id>.<figure path>``
    to a new value; ``add_rules`` appends rules (the province-set 特色化 indicators).
    Locks the version; refuses a stale version, no change, or an inconsistent result.
    """
    _check_admin(by)
    note = (note or "").strip()
    if not note:
        raise CaseError(_("Say what you corrected and why; the note is kept with the version."), code="note_required", http_status=400)
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if not ruleset.is_current:
        raise CaseError(_("This version has been replaced; correct the current one."), code="stale_version")
    before = ruleset.as_spec()
    after = _apply_changes(ruleset.as_spec(), changes)
    after["rules"] += add_rules or []
    _check_consistent(after)
    difference = _differences(before, after)
    if not difference:
        raise CaseError(_("Nothing was changed."), code="no_change", http_status=400)
    revised = _store_version(previous=ruleset, spec=after, by=by, note=note)
    step_record(
        action="ruleset.revise",
        actor=by,
        obj=revised,
        state_before=f"v{ruleset.version}",
        state_after=f"v{revised.version}",
        comment=note,
        data={"ruleset": f"{revised.code}/{revised.tier}", "changes": difference},
    )
    transaction.on_commit(ruleset_clear_cache)
    from .rediagnosis import coaching_rediagnosis_queue  # it re-diagnoses through coaching, which imports us

    coaching_rediagnosis_queue()  # the open plans the old figures measured
    return revised


def _check_consistent(spec: dict) -> None:
    found = problems(spec)
    try:
        EngineRuleSet.from_spec(spec)
    except (ConditionError, KeyError, ValueError) as error:
        found.append(str(error))
    if found:
        raise CaseError(" ".join(found), code="invalid", http_status=400)


def province_rule(*, group: str, rule_id: str, label_zh: str, label_en: str, metric: str, bands: list, op: str = "ge", source: str = "") -> dict:
    """A province-set 特色化 rule: ``bands`` are (threshold, points) pairs, best first."""
    options = [{"points": int(points), "when": {"metric": metric, "op": op, "value": str(limit)}} for limit, points in bands]
    return {
        "id": rule_id,
        "kind": "score",
        "group": group,
        "label_zh": label_zh,
        "label_en": label_en,
        "source": source,
        "options": options + [{"points": 0}],
    }


def ruleset_province_rule_add(*, ruleset: RuleSet, by: User, rule: dict, note: str) -> RuleSet:
    """Add a province-set indicator to a group the province configures; a new version."""
    groups = {group["id"]: group for group in ruleset.groups}
    if not groups.get(rule["group"], {}).get("province_set"):
        raise CaseError(_("Only the province-set groups take new indicators."), code="invalid", http_status=400)
    if ruleset.rules.filter(rule_id=rule["id"]).exists():
        raise CaseError(_("A rule with this id exists already."), code="duplicate", http_status=400)
    return ruleset_revise(ruleset=ruleset, by=by, changes={}, note=note, add_rules=[rule])


def diagnosis_keep(*, diagnosis: Diagnosis, enterprise: Enterprise, by: User | None) -> DiagnosisRecord:
    """Store a diagnosis as it was made (no step of its own: the calling service writes it)."""
    return DiagnosisRecord.objects.create(
        enterprise=enterprise,
        ruleset_id=diagnosis.ruleset.id,
        tier=diagnosis.tier,
        kind=diagnosis.kind,
        as_of=diagnosis.as_of,
        passed=diagnosis.passed,
        score=diagnosis.score,
        result=diagnosis_data(diagnosis),
        created_by=by,
    )
