"""Rule sets as data: rules, indicator groups, the windows a set decides, compiled for speed.

A rule set is one version of one tier's criteria (``MIIT-2022`` innovative, …), built from
a plain dict (stored in the database, seeded from ``definitions``); see ``engine`` for
the four kinds of rules and how a diagnosis judges them.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .conditions import Check, compile_condition, metrics_read
from .facts import METRICS


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


def localised(zh: str, en: str) -> str:
    """Text kept in both languages, as the reader reads it (the Chinese when no English is kept)."""
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
    is_score: bool

    @property
    def label(self) -> str:
        return localised(self.label_zh, self.label_en)

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
            is_score=kind == RuleKind.SCORE,
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
        return localised(self.label_zh, self.label_en)


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
    by_kind: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        # The rules each kind of application is judged by, worked out once (diagnosis is hot).
        for kind in Kind.values:
            self.by_kind[kind] = tuple(rule for rule in self.rules if rule.applies(kind))

    @property
    def title(self) -> str:
        return localised(self.title_zh, self.title_en)

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
