from .jobs import ImportJob, ImportJobState
from .metrics import AnnualMetrics, DesignCentreLevel, MakerChinaRank, RdInstitutionLevel, AwardLevel
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
