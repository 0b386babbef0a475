"""Reads of cases, scoped to the user; one module per case type."""

from .pool import pooled_enterprises

__all__ = ["pooled_enterprises"]
