"""Case models, one module per case type."""

from .pool import PoolEntry, PoolEntrySource, PoolEntryState, PoolRefresh, PoolRefreshState

__all__ = ["PoolEntry", "PoolEntrySource", "PoolEntryState", "PoolRefresh", "PoolRefreshState"]
