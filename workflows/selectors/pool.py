"""Reads of cases, scoped to the user."""

from django.db.models import QuerySet

from enterprises.models import Enterprise, User
from enterprises.selectors import enterprise_list


def pooled_enterprises(*, user: User, year: int | None = None) -> QuerySet[Enterprise]:
    """Enterprises in the cultivation pool for ``year`` (default: the current pool), in scope.

    Placeholder until the pool-entry case lands: every enterprise in scope counts as pooled.
    The signature is final; callers may rely on it.
    """
    return enterprise_list(user=user)
