"""The smallest change that wins lost points back, or makes an unmet condition hold.

For a score rule each better band is a step ("R&D ratio 2.4% → 3.0% gains 5 points"),
smallest first, so a coaching plan can aim at the next band or at full points. For a
condition the cheapest way through its ``any``/``all`` tree is chosen: fewest changes
first, then the smallest relative change. Missing data is a change too: "enter …".
A clause marked ``fixed`` (a revenue bracket) is never proposed as a change.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .conditions import OPERATORS, threshold
from .engine import RuleResult
from .rules import RuleKind, Status
from .facts import METRICS, Facts, Lever, Unit


@dataclass(frozen=True, slots=True)
class Change:
    metric: str
    op: str
    current: Any  # None: unknown, to be entered
    target: Any
    lever: Lever | None = None
    missing: tuple = ()  # (year, field) pairs to enter when ``current`` is unknown

    @property
    def provide(self) -> bool:
        return self.current is None


@dataclass(frozen=True, slots=True)
class Step:
    changes: tuple[Change, ...]
    gain: int | None = None  # points won back (score rules only)

    @property
    def provide_only(self) -> bool:
        return all(change.provide for change in self.changes)


@dataclass(frozen=True, slots=True)
class Remedy:
    steps: tuple[Step, ...]  # smallest first; empty when no change of data can help

    @property
    def possible(self) -> bool:
        return bool(self.steps)

    @property
    def first(self) -> Step | None:
        return self.steps[0] if self.steps else None

    @property
    def full(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    @property
    def text(self) -> str:
        from .display import remedy_text  # display formats in the active language

        return remedy_text(self)


def _distance(change: Change) -> Decimal:
    if change.provide or isinstance(change.target, bool):
        return Decimal(1)
    current, target = Decimal(change.current), Decimal(change.target)
    return abs(target - current) / max(abs(current), abs(target), Decimal(1))


def cost(changes: list[Change]) -> tuple:
    return len(changes), sum((_distance(change) for change in changes), Decimal(0))


def _clause_changes(node: dict, facts: Facts) -> list[Change] | None:
    name, op = node["metric"], node["op"]
    limit = threshold(name, node.get("value"))
    value = facts[name]
    if value is None:
        return [Change(name, op, None, limit, missing=tuple(facts.missing_inputs(name)))]
    if OPERATORS[op](value, limit):
        return []
    if node.get("fixed"):
        return None
    metric = METRICS[name]
    lever = metric.lever(facts, limit) if metric.lever and metric.unit != Unit.FLAG else None
    return [Change(name, op, value, limit, lever)]


def changes_needed(node: dict, facts: Facts) -> list[Change] | None:
    """The cheapest list of changes that makes ``node`` hold; [] if it holds, None if none can."""
    if "all" in node:
        total = []
        for part in node["all"]:
            changes = changes_needed(part, facts)
            if changes is None:
                return None
            total += changes
        return total
    if "any" in node:
        ways = [changes for changes in (changes_needed(part, facts) for part in node["any"]) if changes is not None]
        return min(ways, key=cost) if ways else None
    return _clause_changes(node, facts)


def _score_steps(result: RuleResult) -> list[Step]:
    steps: list[Step] = []
    for option in reversed(result.rule.options):  # worst to best
        if option.points <= result.points or option.when is None:
            continue
        changes = changes_needed(option.when, result.facts)
        if not changes:
            continue
        step = Step(tuple(changes), option.points - result.points)
        if steps and steps[-1].changes == step.changes:
            steps[-1] = step  # the same change wins the higher band: say so once
        else:
            steps.append(step)
    return steps


def _data_step(result: RuleResult) -> Step:
    """For a rule that is unknown: enter what is missing, for up to the points still possible."""
    facts = result.facts
    changes = tuple(
        Change(name, "eq", None, None, missing=tuple(facts.missing_inputs(name)))
        for name in result.rule.metrics
        if facts[name] is None
    )
    return Step(changes, result.possible - result.points)


def remedy_for(result: RuleResult) -> Remedy | None:
    """What would win ``result``'s lost points back (None when nothing is lost or missing)."""
    if result.status in (Status.MET, Status.REVIEW):
        return None
    if result.rule.kind == RuleKind.SCORE:
        if result.status == Status.UNKNOWN:
            return Remedy((_data_step(result),))
        return Remedy(tuple(_score_steps(result)))
    changes = changes_needed(result.rule.when, result.facts)
    return Remedy((Step(tuple(changes)),) if changes else ())
