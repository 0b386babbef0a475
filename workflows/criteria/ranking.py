"""The cultivation list: pooled enterprises ordered by how close they are to a tier's bar."""

from collections.abc import Iterable

from .engine import Diagnosis, RuleKind, Status


def ranking_key(diagnosis: Diagnosis) -> tuple:
    """Closest first: fewest conditions missing, then fewest points short, fewest unknowns, best score."""
    return (
        diagnosis.conditions_missing,
        diagnosis.points_short,
        diagnosis.unknown_count,
        -(diagnosis.score or 0),
        diagnosis.record.name,
    )


def ranked(diagnoses: Iterable[Diagnosis], limit: int | None = None) -> list[Diagnosis]:
    ordered = sorted(diagnoses, key=ranking_key)
    return ordered if limit is None else ordered[:limit]


def gaps(diagnosis: Diagnosis) -> list:
    """The rules that stand between the enterprise and the bar (direct conditions are alternatives, not gaps)."""
    return [
        result
        for result in diagnosis.rules
        if result.rule.kind in (RuleKind.SCORE, RuleKind.CONDITION) and result.status in (Status.NOT_MET, Status.UNKNOWN)
    ]
