"""Rule sets as data, and the diagnosis: which rules an enterprise meets, and by how much it misses.

A rule set is one version of one tier's criteria (``MIIT-2022`` innovative, …), built from
a plain dict (stored in the database, seeded from ``definitions``). Rules are of four
kinds:

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

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .conditions import Check, compile_condition, metrics_read
from .facts import METRICS, EnterpriseRecord, Facts


class RuleKind(models.TextChoices):
    SCORE = "score", _("Scored indicator")
    CONDITION = "condition", _("Condition")
    DIRECT = "direct", _("Direct condition (直通)")
    REVIEW = "review", _("Judged at review")


class Status(models.TextChoices):
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")
    UNKNOWN = "unknown", _("unknown: data missing")
    REVIEW = "review", _("judged at review")


class Kind(models.TextChoices):
    """What the diagnosis is for: a new application, or the re-review (复核) of a held title."""

    NEW = "new", _("New application")
    RENEWAL = "renewal", _("Re-review (复核)")


LADDER_GROUP = "ladder"


def _localised(zh: str, en: str) -> str:
    language = get_language() or "zh-hans"
    return zh if language.startswith("zh") or not en else en


@dataclass(frozen=True, slots=True)
class Option:
    points: int
    when: dict | None
    check: Check | None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    group: str
    label_zh: str
    label_en: str
    source: str
    applies_to: str
    verify: bool
    max_points: int | None
    options: tuple[Option, ...]
    when: dict | None
    check: Check | None
    metrics: tuple[str, ...]
    spec: dict

    @property
    def label(self) -> str:
        return _localised(self.label_zh, self.label_en)

    @classmethod
    def from_spec(cls, spec: dict) -> "Rule":
        kind = spec["kind"]
        options, when, check, read = (), None, None, []
        if kind == RuleKind.SCORE:
            options = tuple(
                Option(int(o["points"]), o.get("when"), compile_condition(o["when"]) if o.get("when") else None)
                for o in spec["options"]
            )
            read = [name for option in options if option.when for name in metrics_read(option.when)]
        elif spec.get("when"):
            when = spec["when"]
            check, read = compile_condition(when), metrics_read(when)
        return cls(
            id=spec["id"],
            kind=kind,
            group=spec.get("group", ""),
            label_zh=spec.get("label_zh", ""),
            label_en=spec.get("label_en", ""),
            source=spec.get("source", ""),
            applies_to=spec.get("applies_to", "any"),
            verify=bool(spec.get("verify")),
            max_points=max((o.points for o in options), default=0) if kind == RuleKind.SCORE else None,
            options=options,
            when=when,
            check=check,
            metrics=tuple(dict.fromkeys(read)),
            spec=spec,
        )

    def applies(self, kind: str) -> bool:
        return self.applies_to in ("any", kind)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    label_zh: str
    label_en: str
    max_points: int
    minimum: int = 0
    province_set: bool = False

    @property
    def label(self) -> str:
        return _localised(self.label_zh, self.label_en)


def _day(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class RuleSet:
    code: str
    tier: str
    version: int
    title_zh: str
    title_en: str
    source: str
    windows: dict  # kind → (from, until), either end may be None
    pass_total: int | None
    groups: tuple[Group, ...]
    rules: tuple[Rule, ...]
    id: Any = None
    spec: dict = field(default_factory=dict, compare=False)

    @property
    def title(self) -> str:
        return _localised(self.title_zh, self.title_en)

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"

    @classmethod
    def from_spec(cls, spec: dict, *, id=None, version: int = 1) -> "RuleSet":
        windows = {
            kind: (_day(spec.get(f"{kind}_from")), _day(spec.get(f"{kind}_until")))
            for kind in (Kind.NEW, Kind.RENEWAL)
            if spec.get(f"{kind}_from")
        }
        return cls(
            code=spec["code"],
            tier=spec["tier"],
            version=version,
            title_zh=spec.get("title_zh", ""),
            title_en=spec.get("title_en", ""),
            source=spec.get("source", ""),
            windows=windows,
            pass_total=spec.get("pass_total"),
            groups=tuple(Group(**g) for g in spec.get("groups", ())),
            rules=tuple(Rule.from_spec(r) for r in spec["rules"]),
            id=id,
            spec=spec,
        )

    def serves(self, kind: str, day: datetime.date) -> bool:
        """Whether this set decides ``kind`` applications dated ``day``."""
        if kind not in self.windows:
            return False
        start, end = self.windows[kind]
        return (start is None or start <= day) and (end is None or day <= end)

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def inputs(self) -> dict[str, list]:
        """Typed-in fields the rules read, each with the years back it is read for (None: the profile)."""
        found: dict[str, list] = {}
        for rule in self.rules:
            for name in rule.metrics:
                for back, field_name in METRICS[name].needs:
                    backs = found.setdefault(field_name, [])
                    if back not in backs:
                        backs.append(back)
        return {name: sorted(backs, key=lambda b: -1 if b is None else b) for name, backs in found.items()}

    @property
    def max_total(self) -> int:
        return sum(group.max_points for group in self.groups)


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
        status = Status.MET
    elif possible > points:
        status = Status.UNKNOWN
    else:
        status = Status.NOT_MET
    return RuleResult(rule, status, points, possible, facts)


_STATUS = {True: Status.MET, False: Status.NOT_MET, None: Status.UNKNOWN}


def _judged_rule(rule: Rule, facts: Facts) -> RuleResult:
    if rule.kind == RuleKind.REVIEW:
        return RuleResult(rule, Status.REVIEW, facts=facts)
    return RuleResult(rule, _STATUS[rule.check(facts)], facts=facts)


def _all3(answers) -> bool | None:
    result = True
    for answer in answers:
        if answer is False:
            return False
        if answer is None:
            result = None
    return result


def _any3(answers) -> bool | None:
    result = False
    for answer in answers:
        if answer is True:
            return True
        if answer is None:
            result = None
    return result


_ANSWER = {Status.MET: True, Status.NOT_MET: False, Status.UNKNOWN: None}


def _groups(ruleset: RuleSet, results: list[RuleResult]) -> list[GroupResult]:
    totals = {g.id: [0, 0, False] for g in ruleset.groups}
    for result in results:
        if result.rule.kind == RuleKind.SCORE:
            total = totals[result.rule.group]
            total[0] += result.points
            total[1] += result.possible
            total[2] = True
    return [
        GroupResult(g, min(totals[g.id][0], g.max_points), min(totals[g.id][1], g.max_points), totals[g.id][2])
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
    results = [
        _score_rule(rule, facts) if rule.kind == RuleKind.SCORE else _judged_rule(rule, facts)
        for rule in ruleset.rules
        if rule.applies(kind)
    ]
    groups = _groups(ruleset, results)
    score, possible, score_met = _score_verdict(ruleset, groups)
    conditions_met = _all3(_ANSWER[r.status] for r in results if r.rule.kind == RuleKind.CONDITION)
    directs = [_ANSWER[r.status] for r in results if r.rule.kind == RuleKind.DIRECT]
    direct_met = _any3(directs) if directs else False
    passed = _all3([conditions_met, _any3([score_met, direct_met])])
    diagnosis = Diagnosis(
        ruleset, kind, as_of, record, facts, results, groups, score, possible, score_met, conditions_met, direct_met, passed
    )
    if remedies:
        from .remedies import remedy_for  # remedies build on the results defined here

        for result in results:
            result.remedy = remedy_for(result)
    return diagnosis
