"""Reward data: funds and their budgets, policy versions, past awards and entitlements."""

from .awards import AwardLevel, PastAward
from .entitlements import Entitlement, EntitlementStatus
from .policies import ChampionBasis, Fund, FundBudget, RewardPolicy

__all__ = [
    "AwardLevel",
    "ChampionBasis",
    "Entitlement",
    "EntitlementStatus",
    "Fund",
    "FundBudget",
    "PastAward",
    "RewardPolicy",
]
