from .jobs import ImportJob, ImportJobState
from .metrics import AnnualMetrics, AwardLevel, DesignCentreLevel, MakerChinaRank, RdInstitutionLevel
from .registry import (
    Enterprise,
    IndustryChain,
    Jurisdiction,
    JurisdictionKind,
    JurisdictionMove,
    SourceList,
    SourceListEntry,
    Tier,
    Title,
    TitleBasis,
)
from .users import Role, User

__all__ = [
    "AnnualMetrics",
    "AwardLevel",
    "DesignCentreLevel",
    "Enterprise",
    "ImportJob",
    "ImportJobState",
    "IndustryChain",
    "Jurisdiction",
    "JurisdictionKind",
    "JurisdictionMove",
    "MakerChinaRank",
    "RdInstitutionLevel",
    "Role",
    "SourceList",
    "SourceListEntry",
    "Tier",
    "Title",
    "TitleBasis",
    "User",
]
