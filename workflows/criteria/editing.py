"""Correcting a rule set's figures: the thresholds and points an administrator may change.

Every figure has a path inside its rule's spec (``options.1.points``,
``options.0.when.any.1.value``, ``when.all.0.value``); ``set_figure`` returns a corrected
copy and ``problems`` says what would make a rule set inconsistent. Pure functions: the
service that stores a new version calls them.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .conditions import ConditionError, clauses, threshold
from .facts import METRICS, Unit


@dataclass(frozen=True, slots=True)
class Figure:
    path: str
    kind: str  # "points" or "threshold"
    value: Any
    clause: dict | None = None

    @property
    def verify(self) -> bool:
        return bool(self.clause and self.clause.get("verify"))


def _threshold_figures(node: dict, prefix: str) -> list[Figure]:
    found = []
    for path, clause in clauses(node):
        if METRICS[clause["metric"]].unit == Unit.FLAG:
            continue  # yes/no conditions have no figure to correct
        found.append(Figure(".".join(p for p in (prefix, path, "value") if p), "threshold", clause["value"], clause))
    return found


def figures(rule_spec: dict) -> list[Figure]:
    """The correctable figures of one rule, in reading order."""
    if rule_spec["kind"] == "score":
        found = []
        for index, option in enumerate(rule_spec["options"]):
            if option.get("when"):
                found += _threshold_figures(option["when"], f"options.{index}.when")
            found.append(Figure(f"options.{index}.points", "points", option["points"]))
        return found
    return _threshold_figures(rule_spec["when"], "when") if rule_spec.get("when") else []


def _parent(spec: dict, path: str):
    *steps, last = path.split(".")
    node = spec
    for step in steps:
        node = node[int(step)] if isinstance(node, list) else node[step]
    return node, last


def set_figure(rule_spec: dict, path: str, raw) -> dict:
    """A copy of ``rule_spec`` with the figure at ``path`` set to ``raw``; raises ``ConditionError``."""
    known = {figure.path: figure for figure in figures(rule_spec)}
    if path not in known:
        raise ConditionError(_("Rule %(rule)s has no figure %(path)s.") % {"rule": rule_spec["id"], "path": path})
    corrected = copy.deepcopy(rule_spec)
    parent, key = _parent(corrected, path)
    if known[path].kind == "points":
        try:
            points = int(raw)
        except (TypeError, ValueError):
            points = -1
        if points < 0 or str(points) != str(raw).strip():
            raise ConditionError(_("Points are whole numbers of 0 or more, not “%(value)s”.") % {"value": raw})
        parent[key] = points
    else:
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ConditionError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        threshold(parent["metric"], str(value))  # the metric must accept it
        text = f"{value:f}"
        parent[key] = text.rstrip("0").rstrip(".") if "." in text else text
    return corrected


def problems(ruleset_spec: dict) -> list[str]:
    """What would make the rule set inconsistent: bands out of order, groups over their maximum."""
    found = []
    groups = {group["id"]: group for group in ruleset_spec.get("groups", [])}
    in_group: dict[str, int] = {}
    for rule in ruleset_spec["rules"]:
        if rule["kind"] != "score":
            continue
        points = [option["points"] for option in rule["options"]]
        if points != sorted(points, reverse=True):
            found.append(_("Rule %(rule)s: bands must go from the most points to the fewest.") % {"rule": rule["id"]})
        in_group[rule["group"]] = in_group.get(rule["group"], 0) + max(points)
    for group_id, total in in_group.items():
        group = groups.get(group_id)
        if group and total > group["max_points"]:
            found.append(
                _("Group %(group)s: its rules give %(total)s points, more than its %(max)s.")
                % {"group": group["label_zh"], "total": total, "max": group["max_points"]}
            )
    if sum(group["max_points"] for group in groups.values()) > 100:
        found.append(_("The groups add up to more than 100 points."))
    return found
