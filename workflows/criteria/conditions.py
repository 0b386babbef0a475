"""The small condition language rules are written in, and its three-valued evaluation.

A condition is plain data (it is stored as JSON and edited by administrators):

- a clause ``{"metric": "rd_ratio", "op": "ge", "value": "3"}`` compares one metric with a
  threshold (``ge`` ≥, ``gt`` >, ``le`` ≤, ``lt`` <, ``eq`` =). ``"fixed": true`` marks a
  clause that selects a bracket rather than a target (a remedy never asks to shrink
  revenue); ``"verify": true`` marks a figure from a secondary source.
- ``{"all": [...]}`` and ``{"any": [...]}`` combine conditions.

Evaluation is three-valued: True, False, or None when data is missing and the answer
depends on it (Kleene logic: ``any`` is True as soon as one part is, ``all`` False as
soon as one part is). Band edges are inclusive at the lower bound unless the rule says
otherwise, which the operators express.
"""

import operator
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from .facts import METRICS, RD_INSTITUTION_LEVELS, Facts, Unit

OPERATORS: dict[str, Callable] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
    "eq": operator.eq,
}
SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}

Check = Callable[[Facts], bool | None]


class ConditionError(ValueError):
    """A condition that cannot be compiled: unknown metric or operator, or a bad threshold."""


def threshold(metric_name: str, value):
    """A clause's stored value as the type its metric compares with."""
    metric = METRICS.get(metric_name)
    if metric is None:
        raise ConditionError(f"unknown metric {metric_name!r}")
    if metric.unit == Unit.FLAG:
        if not isinstance(value, bool):
            raise ConditionError(f"{metric_name} compares with true or false, got {value!r}")
        return value
    if metric_name == "rd_institution" and value in RD_INSTITUTION_LEVELS:
        return RD_INSTITUTION_LEVELS.index(value)
    if isinstance(value, bool):
        raise ConditionError(f"{metric_name} compares with a number, got {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ConditionError(f"{metric_name} compares with a number, got {value!r}") from None


def compile_condition(node: dict) -> Check:
    """A fast function of the facts answering True, False or None."""
    if "all" in node:
        return _all([compile_condition(part) for part in node["all"]])
    if "any" in node:
        return _any([compile_condition(part) for part in node["any"]])
    return _clause(node)


def _clause(node: dict) -> Check:
    try:
        compare = OPERATORS[node["op"]]
        metric = node["metric"]
    except KeyError as missing:
        raise ConditionError(f"a clause needs {missing}: {node!r}") from None
    limit = threshold(metric, node.get("value"))

    def check(facts):
        value = facts[metric]
        return None if value is None else compare(value, limit)

    return check


def _all(parts: list[Check]) -> Check:
    def check(facts):
        result = True
        for part in parts:
            answer = part(facts)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    return check


def _any(parts: list[Check]) -> Check:
    def check(facts):
        result = False
        for part in parts:
            answer = part(facts)
            if answer:
                return True
            if answer is None:
                result = None
        return result

    return check


def clauses(node: dict, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every clause of a condition with its path (``any.1.all.0``), for display and editing."""
    for combinator in ("all", "any"):
        if combinator in node:
            for index, part in enumerate(node[combinator]):
                yield from clauses(part, f"{path}{combinator}.{index}.")
            return
    yield path.rstrip("."), node


def metrics_read(node: dict) -> list[str]:
    """The metric names a condition reads, in order, without repeats."""
    return list(dict.fromkeys(clause["metric"] for _, clause in clauses(node)))
