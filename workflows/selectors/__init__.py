"""Reads of cases, scoped to the user; one module per case type."""

from .pool import (
    active_pool_entry,
    open_refresh_for,
    pool_entry_actions,
    pool_entry_attachment_get,
    pool_entry_get,
    pool_entry_list,
    pool_refresh_evaluation_progress,
    pool_refresh_list,
    pool_refresh_progress,
    pooled_enterprises,
)

__all__ = [
    "active_pool_entry",
    "open_refresh_for",
    "pool_entry_actions",
    "pool_entry_attachment_get",
    "pool_entry_get",
    "pool_entry_list",
    "pool_refresh_evaluation_progress",
    "pool_refresh_list",
    "pool_refresh_progress",
    "pooled_enterprises",
]
