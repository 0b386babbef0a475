"""Reward data: funds and their budgets, policy versions, past awards, entitlements and payouts."""

from .awards import AwardLevel, PastAward
from .entitlements import Entitlement, EntitlementStatus
from .idempotency import IdempotencyKey
from .payouts import (
    BankStatementLine,
    Clawback,
    ClawbackState,
    LineResult,
    Objection,
    Payout,
    PayoutState,
    Revocation,
    RewardRound,
    RewardRoundState,
    StatementImport,
)
from .policies import ChampionBasis, Fund, FundBudget, RewardPolicy

__all__ = [
    "AwardLevel",
    "BankStatementLine",
    "ChampionBasis",
    "Clawback",
    "ClawbackState",
    "Entitlement",
    "EntitlementStatus",
    "Fund",
    "FundBudget",
    "IdempotencyKey",
    "LineResult",
    "Objection",
    "PastAward",
    "Payout",
    "PayoutState",
    "Revocation",
    "RewardPolicy",
    "RewardRound",
    "RewardRoundState",
    "StatementImport",
]
