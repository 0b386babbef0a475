"""The values the criteria read, as plain Python: an enterprise's record and its facts on a day.

An enterprise is described by an ``EnterpriseRecord`` (profile, metric rows by year,
titles held, source lists); ``Facts`` computes each metric on first read, for one
diagnosis day. "Last year" is the calendar year before that day; growth rates and
averages come from consecutive years and are never typed in. A metric whose inputs are
unknown is ``None`` — never zero — so the rule reading it reports "unknown".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


class Unit:
    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"
    YEARS = "years"
    FLAG = "flag"
    LEVEL = "level"
    SCORE = "score"
    RANK = "rank"


# R&D institution levels, lowest first; rules compare their position.
RD_INSTITUTION_LEVELS = ("none", "below_municipal", "municipal", "provincial", "national")
RD_INSTITUTION_LABELS = (_("None"), _("Below municipal"), _("Municipal"), _("Provincial"), _("National"))


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    """Everything the criteria read about one enterprise, as plain values.

    ``metrics`` maps a year to that year's metric fields (``AnnualMetrics`` names);
    ``titles`` holds ``(tier, recognized_on, valid_until)``; ``source_lists`` holds
    ``(list, valid_from, valid_until)``. Built by ``workflows.selectors.diagnosis`` in a
    constant number of queries per batch, or by hand in tests and what-if runs.
    """

    id: Any = None
    name: str = ""
    credit_code: str = ""
    niche_entered_year: int | None = None
    founded_on: datetime.date | None = None
    metrics: dict = field(default_factory=dict)
    titles: tuple = ()
    source_lists: tuple = ()
    jurisdiction_id: Any = None
    industry_chain_id: Any = None


@dataclass(frozen=True, slots=True)
class Lever:
    """The typed-in input that moves a derived metric: change ``field`` of ``year`` to ``needed``."""

    field: str
    year: int | None
    current: Any
    needed: Any


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: Any
    unit: str
    compute: Callable[["Facts"], Any]
    # (years back, field) read from the metric rows; years back None = the profile.
    needs: tuple = ()
    lever: Callable[["Facts", Decimal], Lever | None] | None = None


class Facts(dict):
    """One enterprise's metric values on one day; each computed on first read and kept."""

    __slots__ = ("record", "as_of", "year", "rows")
    YEARS_BACK = 4  # the diagnosis year and the three before it

    def __init__(self, record: EnterpriseRecord, as_of: datetime.date):
        super().__init__()
        self.record = record
        self.as_of = as_of
        self.year = as_of.year
        # rows[back] is the metric row ``back`` years before the diagnosis year ({} when missing)
        self.rows = tuple(record.metrics.get(self.year - back) or {} for back in range(self.YEARS_BACK))

    def __missing__(self, name):
        # A missing key is a metric not read yet: compute it once from the catalogue.
        value = METRICS[name].compute(self)
        self[name] = value
        return value

    def field(self, back: int, name: str):
        """Field ``name`` of the row ``back`` years before the diagnosis year (1 = last year)."""
        return self.rows[back].get(name)

    def missing_inputs(self, metric_name: str) -> list[tuple[int | None, str]]:
        """The typed-in values ``metric_name`` needs that are unknown, as (year, field)."""
        missing = []
        for back, name in METRICS[metric_name].needs:
            if back is None:
                if getattr(self.record, name) is None:
                    missing.append((None, name))
            elif self.field(back, name) in (None, ""):
                missing.append((self.year - back, name))
        return missing


# Filled by ``workflows.criteria.metrics`` (the catalogue), which imports this module.
METRICS: dict[str, Metric] = {}


def with_overrides(record: EnterpriseRecord, overrides: dict) -> EnterpriseRecord:
    """A copy of ``record`` with edited values, for a what-if run (nothing is saved).

    ``overrides`` maps a year to ``{field: value}`` for metric rows, and may hold profile
    fields (``niche_entered_year``) at the top level.
    """
    metrics = {year: dict(row) for year, row in record.metrics.items()}
    profile = {}
    for key, value in overrides.items():
        if isinstance(key, int):
            metrics.setdefault(key, {}).update(value)
        else:
            profile[key] = value
    return replace(record, metrics=metrics, **profile)
