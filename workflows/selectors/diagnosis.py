"""Diagnosis reads: the rule set in force, enterprise records in batches, diagnoses and the cultivation list.

Records are loaded in a constant number of queries per batch (enterprises, metric rows,
titles, source lists) whatever the number of rules or tiers, so diagnosing a whole pool
costs four queries per thousand enterprises.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import BigIntegerField, ExpressionWrapper, F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.fields import MoneyField, from_fen
from enterprises.models import AnnualMetrics, Enterprise, SourceListEntry, Tier, Title, User

from ..criteria import Diagnosis, EnterpriseRecord, Facts, Kind, RuleSet
from ..criteria import diagnose as engine_diagnose
from ..criteria.facts import with_overrides
from ..criteria.metrics import METRIC_FIELDS
from ..criteria.ranking import ranked
from ..exceptions import CaseError
from ..models import RuleSet as RuleSetRow
from .pool import pooled_enterprises

BATCH_SIZE = 2000
MONEY_FIELDS = {f.name for f in AnnualMetrics._meta.concrete_fields if isinstance(f, MoneyField)}
YEARS_READ = 4  # the diagnosis year and the three before it
_cache: dict = {"key": None, "rulesets": ()}


def _load(rows: Iterable[RuleSetRow]) -> tuple[RuleSet, ...]:
    return tuple(RuleSet.from_spec(row.as_spec(), id=row.pk, version=row.version) for row in rows)


def current_rulesets() -> tuple[RuleSet, ...]:
    """Every current rule-set version, compiled; reloaded only when a new version appears."""
    key = tuple(RuleSetRow.objects.aggregate(Max("pk"), Max("created_at")).values())
    if _cache["key"] != key:
        rows = RuleSetRow.objects.filter(is_current=True).prefetch_related("rules")
        _cache.update(key=key, rulesets=_load(rows))
    return _cache["rulesets"]


def ruleset_clear_cache() -> None:
    _cache.update(key=None, rulesets=())


def ruleset_version(pk) -> RuleSet:
    """One stored version (current or not), e.g. the one a past diagnosis used."""
    return _load(RuleSetRow.objects.filter(pk=pk).prefetch_related("rules"))[0]


def ruleset_for(tier: str, as_of: datetime.date, kind: str = Kind.NEW) -> RuleSet:
    """The rule set that decides a ``kind`` application for ``tier`` dated ``as_of``.

    Raises ``CaseError`` when the tier is unknown or no rule set is in force that day.
    """
    if tier not in Tier.values:
        raise CaseError(
            _("Unknown tier “%(tier)s”; use one of: %(tiers)s.") % {"tier": tier, "tiers": ", ".join(Tier.values)},
            code="unknown_tier",
            http_status=400,
        )
    serving = [rs for rs in current_rulesets() if rs.tier == tier and rs.serves(kind, as_of)]
    if not serving:
        raise CaseError(
            _("No criteria are in force for %(tier)s on %(day)s.") % {"tier": Tier(tier).label, "day": as_of},
            code="no_ruleset",
        )
    # Overlapping windows: the most recent rule set wins.
    return max(serving, key=lambda rs: rs.windows[kind][0] or datetime.date.min)


def enterprise_records(enterprise_ids: list, as_of: datetime.date) -> dict:
    """``EnterpriseRecord`` of each id, in four queries."""
    years = range(as_of.year - YEARS_READ + 1, as_of.year + 1)
    records = {
        pk: {"id": pk, "name": name, "credit_code": code, "niche_entered_year": niche, "founded_on": founded,
             "jurisdiction_id": jurisdiction, "industry_chain_id": chain, "metrics": {}, "titles": [], "source_lists": []}
        for pk, name, code, niche, founded, jurisdiction, chain in Enterprise.objects.filter(pk__in=enterprise_ids).values_list(
            "pk", "name", "credit_code", "niche_entered_year", "founded_on", "jurisdiction_id", "industry_chain_id"
        )
    }
    for enterprise_id, year, row in _metric_rows(enterprise_ids, years):
        records[enterprise_id]["metrics"][year] = row
    titles = Title.objects.filter(enterprise_id__in=enterprise_ids)
    for enterprise_id, *title in titles.values_list("enterprise_id", "tier", "recognized_on", "valid_until"):
        records[enterprise_id]["titles"].append(tuple(title))
    entries = SourceListEntry.objects.filter(enterprise_id__in=enterprise_ids)
    for enterprise_id, *entry in entries.values_list("enterprise_id", "source_list", "valid_from", "valid_until"):
        records[enterprise_id]["source_lists"].append(tuple(entry))
    return {
        pk: EnterpriseRecord(**{**data, "titles": tuple(data["titles"]), "source_lists": tuple(data["source_lists"])})
        for pk, data in records.items()
    }


def _metric_rows(enterprise_ids: list, years) -> Iterator[tuple]:
    """(enterprise id, year, {field: value}) for each row, money in yuan as ``MoneyField`` gives it.

    Money columns are read as integer fen and turned into yuan here with the field's own
    ``from_fen``: the ORM's per-cell converter chain was half of the loading time.
    """
    fen = {name: ExpressionWrapper(F(name), output_field=BigIntegerField()) for name in MONEY_FIELDS}
    columns = [fen.get(name, name) for name in METRIC_FIELDS]
    rows = AnnualMetrics.objects.filter(enterprise_id__in=enterprise_ids, year__in=years).values_list(
        "enterprise_id", "year", *columns
    )
    money_at = [index for index, name in enumerate(METRIC_FIELDS) if name in MONEY_FIELDS]
    for enterprise_id, year, *values in rows:
        for index in money_at:
            if values[index] is not None:
                values[index] = from_fen(values[index])
        yield enterprise_id, year, dict(zip(METRIC_FIELDS, values))


def records_in_batches(enterprises: QuerySet, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> Iterator[list]:
    """The records of ``enterprises``, a batch at a time (one query for the ids, four per batch)."""
    ids = list(enterprises.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        records = enterprise_records(batch, as_of)
        yield [records[pk] for pk in batch]


def next_tier(enterprise: Enterprise, day: datetime.date) -> str:
    """The tier above the highest valid title ``enterprise`` holds on ``day`` (innovative if none)."""
    held = {title.tier for title in enterprise.titles.all() if title.is_valid_on(day)}
    ladder = Tier.ladder()
    reached = max((ladder.index(Tier(tier)) for tier in held), default=-1)
    return ladder[min(reached + 1, len(ladder) - 1)]


def diagnose(
    enterprise: Enterprise,
    tier: str,
    as_of: datetime.date | None = None,
    *,
    kind: str = Kind.NEW,
    overrides: dict | None = None,
    remedies: bool = True,
) -> Diagnosis:
    """Diagnose one enterprise for ``tier`` (``overrides``: a what-if run, nothing saved).

    The caller has already checked that the user may read ``enterprise``.
    """
    as_of = as_of or timezone.localdate()
    ruleset = ruleset_for(tier, as_of, kind)
    record = enterprise_records([enterprise.pk], as_of)[enterprise.pk]
    if overrides:
        record = with_overrides(record, overrides)
    return engine_diagnose(ruleset, record, as_of, kind=kind, remedies=remedies)


def diagnoses_in_batches(
    enterprises: QuerySet, tiers: list[str], as_of: datetime.date, *, kind: str = Kind.NEW, batch_size: int = BATCH_SIZE
) -> Iterator[list[Diagnosis]]:
    """Every enterprise diagnosed for every tier, without remedies; one list per batch."""
    rulesets = [ruleset_for(tier, as_of, kind) for tier in tiers]
    for records in records_in_batches(enterprises, as_of, batch_size):
        diagnoses = []
        for record in records:
            facts = Facts(record, as_of)  # shared by the tiers: each metric is computed once
            diagnoses += [engine_diagnose(rs, record, as_of, kind=kind, facts=facts, remedies=False) for rs in rulesets]
        yield diagnoses


def cultivation_ranking(
    *,
    user: User,
    tier: str,
    as_of: datetime.date | None = None,
    jurisdiction: str | None = None,
    industry_chain=None,
    limit: int | None = None,
) -> list[Diagnosis]:
    """Pooled enterprises in ``user``'s scope closest to ``tier``'s bar, closest first.

    Enterprises already holding a valid title of ``tier`` are left out: they need no plan.
    ``jurisdiction`` is a jurisdiction code, ``industry_chain`` an IndustryChain pk.
    """
    as_of = as_of or timezone.localdate()
    enterprises = pooled_enterprises(user=user)
    if jurisdiction:
        enterprises = enterprises.filter(jurisdiction__code=jurisdiction)
    if industry_chain:
        enterprises = enterprises.filter(industry_chain_id=industry_chain)
    held = f"holds_{tier}"
    candidates = (
        d for batch in diagnoses_in_batches(enterprises, [tier], as_of) for d in batch if not d.facts[held]
    )
    return ranked(candidates, limit)
