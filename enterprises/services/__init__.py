"""Writes to the registry, one module per topic; import the actions from here."""

from .registry import (
    ENTERPRISE_PROFILE_FIELDS,
    enterprise_create,
    enterprise_move,
    enterprise_update,
    metrics_save,
)

__all__ = [
    "ENTERPRISE_PROFILE_FIELDS",
    "enterprise_create",
    "enterprise_move",
    "enterprise_update",
    "metrics_save",
]
