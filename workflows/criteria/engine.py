"""The diagnosis: which rules of a rule set an enterprise meets, and by how much it misses.

Rules (``workflows.criteria.rules``) are of four kinds:

- ``score``: options, best first, each ``{"points": n, "when": condition}`` (the last one
  usually unconditional); the rule wins the points of the best option that holds.
- ``condition``: must hold (the ladder prerequisite is one, in group ``ladder``).
- ``direct``: any one that holds replaces the score requirement (直通条件).
- ``review``: judged by experts at review; listed, never decided from data.

A pass is: every condition holds, and (the score reaches ``pass_total`` with every
group minimum, or a direct condition holds). With missing data the answer may be
``None``: "undetermined until the data is in".
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from .facts import EnterpriseRecord, Facts
from .rules import LADDER_GROUP, Group, Kind, Rule, RuleKind, RuleSet, Status

__all__ = ["Diagnosis", "GroupResult", "Kind", "Rule", "RuleKind", "RuleResult", "RuleSet", "Status", "diagnose"]


@dataclass(slots=True)
class RuleResult:
    rule: Rule
    status: str
    points: int | None = None  # won for sure
    possible: int | None = None  # at most, once the missing data is in
    facts: Facts | None = field(default=None, repr=False)
    remedy: Any = None

    @property
    def max_points(self) -> int | None:
        return self.rule.max_points

    @property
    def lost(self) -> int | None:
        return None if self.points is None else self.rule.max_points - self.points

    @property
    def values(self) -> dict:
        """Each metric the rule reads, with the enterprise's value (None = unknown)."""
        return {name: self.facts[name] for name in self.rule.metrics}


@dataclass(slots=True)
class GroupResult:
    group: Group
    points: int
    possible: int
    configured: bool

    @property
    def short(self) -> int:
        return max(self.group.minimum - self.points, 0)


@dataclass(slots=True)
class Diagnosis:
    ruleset: RuleSet
    kind: str
    as_of: datetime.date
    record: EnterpriseRecord
    facts: Facts
    rules: list[RuleResult]
    groups: list[GroupResult]
    score: int | None
    possible_score: int | None
    score_met: bool | None
    conditions_met: bool | None
    direct_met: bool | None
    passed: bool | None

    @property
    def tier(self) -> str:
        return self.ruleset.tier

    @property
    def prerequisite(self) -> RuleResult | None:
        return next((r for r in self.rules if r.rule.group == LADDER_GROUP), None)

    def of_kind(self, kind: str) -> list[RuleResult]:
        return [r for r in self.rules if r.rule.kind == kind]

    @property
    def conditions_missing(self) -> int:
        """Conditions not (yet) shown to hold: unmet or unknown."""
        return sum(r.status != Status.MET for r in self.rules if r.rule.kind == RuleKind.CONDITION)

    @property
    def points_short(self) -> int:
        """Points the score still needs (0 once it passes or a direct condition holds)."""
        if self.score is None or self.score_met or self.direct_met:
            return 0
        total_short = max(self.ruleset.pass_total - self.score, 0)
        return max(total_short, sum(group.short for group in self.groups))

    @property
    def unknown_count(self) -> int:
        return sum(r.status == Status.UNKNOWN for r in self.rules)

    @property
    def unconfigured_groups(self) -> list[Group]:
        """Province-set groups with no rule configured: their points cannot be won yet."""
        return [g.group for g in self.groups if g.group.province_set and not g.configured]


def _score_rule(rule: Rule, facts: Facts) -> RuleResult:
    points = possible = None
    for option in rule.options:  # best first
        answer = True if option.check is None else option.check(facts)
        if answer is None and possible is None:
            possible = option.points
        elif answer:
            points = option.points
            break
    points = points or 0
    possible = max(points, possible or 0)
    if points == rule.max_points:
        status = _MET
    elif possible > points:
        status = _UNKNOWN
    else:
        status = _NOT_MET
    return RuleResult(rule, status, points, possible, facts)


_MET, _NOT_MET, _UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN
_STATUS = {True: _MET, False: _NOT_MET, None: _UNKNOWN}
# Kleene's three-valued AND and OR, as tables: (so far, next answer) → so far.
_AND3 = {(a, b): False if False in (a, b) else None if None in (a, b) else True
         for a in (True, False, None) for b in (True, False, None)}
_OR3 = {(a, b): True if True in (a, b) else None if None in (a, b) else False
        for a in (True, False, None) for b in (True, False, None)}
_CONDITION, _REVIEW = RuleKind.CONDITION.value, RuleKind.REVIEW.value


@dataclass(slots=True)
class _Tally:
    """What one pass over the rules found: results, points per group, conditions and direct answers."""

    results: list = field(default_factory=list)
    sure: dict = field(default_factory=dict)
    possible: dict = field(default_factory=dict)
    conditions: bool | None = True
    direct: bool | None = False


def _judge(rules: tuple, facts: Facts) -> _Tally:
    results, sure, possible, conditions, direct = [], {}, {}, True, False
    for rule in rules:
        if rule.is_score:
            result = _score_rule(rule, facts)
            sure[rule.group] = sure.get(rule.group, 0) + result.points
            possible[rule.group] = possible.get(rule.group, 0) + result.possible
        elif rule.kind == _REVIEW:
            result = RuleResult(rule, Status.REVIEW, facts=facts)
        else:
            answer = rule.check(facts)
            result = RuleResult(rule, _STATUS[answer], facts=facts)
            if rule.kind == _CONDITION:
                conditions = _AND3[conditions, answer]
            else:
                direct = _OR3[direct, answer]
        results.append(result)
    return _Tally(results, sure, possible, conditions, direct)


def _groups(ruleset: RuleSet, tally: _Tally) -> list[GroupResult]:
    return [
        GroupResult(
            g, min(tally.sure.get(g.id, 0), g.max_points), min(tally.possible.get(g.id, 0), g.max_points), g.id in tally.sure
        )
        for g in ruleset.groups
    ]


def _score_verdict(ruleset: RuleSet, groups: list[GroupResult]) -> tuple[int | None, int | None, bool | None]:
    if ruleset.pass_total is None:
        return None, None, True
    score = sum(g.points for g in groups)
    possible = sum(g.possible for g in groups)
    if score >= ruleset.pass_total and all(g.points >= g.group.minimum for g in groups):
        return score, possible, True
    if possible < ruleset.pass_total or any(g.possible < g.group.minimum for g in groups):
        return score, possible, False
    return score, possible, None


def diagnose(
    ruleset: RuleSet,
    record: EnterpriseRecord,
    as_of: datetime.date,
    *,
    kind: str = Kind.NEW,
    facts: Facts | None = None,
    remedies: bool = True,
) -> Diagnosis:
    """Judge ``record`` against ``ruleset`` on ``as_of``. Pure: reads only its arguments.

    Pass ``facts`` to share computed metrics between tiers of one enterprise; pass
    ``remedies=False`` when only the verdict and the gap are needed (ranking, batches).
    """
    facts = facts if facts is not None else Facts(record, as_of)
    tally = _judge(ruleset.by_kind[kind], facts)
    groups = _groups(ruleset, tally)
    score, possible, score_met = _score_verdict(ruleset, groups)
    passed = _AND3[tally.conditions, _OR3[score_met, tally.direct]]
    results = tally.results
    diagnosis = Diagnosis(
        ruleset, kind, as_of, record, facts, results, groups, score, possible, score_met, tally.conditions, tally.direct,
        passed,
    )
    if remedies:
        from .remedies import remedy_for  # remedies build on the results defined here

        for result in results:
            result.remedy = remedy_for(result)
    return diagnosis
