"""Writes to the registry, one module per topic; import the actions from here."""

from .registry import (
    ENTERPRISE_PROFILE_FIELDS,
    enterprise_create,
    enterprise_move,
    enterprise_register,
    enterprise_update,
    metrics_save,
)

__all__ = [
    "ENTERPRISE_PROFILE_FIELDS",
    "enterprise_create",
    "enterprise_move",
    "enterprise_register",
    "enterprise_update",
    "metrics_save",
]
from .imports import ImportReport, RowProblem, enterprises_import  # noqa: E402

__all__ += ["ImportReport", "RowProblem", "enterprises_import"]
