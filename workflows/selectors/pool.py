"""Reads of pool-entry cases, scoped to the user."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enterprises.models import Enterprise, Role, User
from enterprises.selectors import enterprise_list, has_role, scope_to_user

from ..models import PoolEntry, PoolEntryAttachment, PoolEntryState, PoolRefresh
from ..models.pool import ACTIVE_STATES, IN_POOL_STATES

S = PoolEntryState


def pooled_enterprises(*, user: User, year: int | None = None) -> QuerySet[Enterprise]:
    """Enterprises in the cultivation pool (optionally: that entered it in or before ``year``), in scope."""
    entries = PoolEntry.objects.filter(state__in=IN_POOL_STATES)
    if year is not None:
        entries = entries.filter(year__lte=year)
    return enterprise_list(user=user).filter(pk__in=entries.values("enterprise_id"))


def pool_entry_list(*, user: User, state: str | None = None, year: int | None = None, query: str = "") -> QuerySet:
    queryset = scope_to_user(PoolEntry.objects.select_related("enterprise__jurisdiction"), user)
    if state:
        queryset = queryset.filter(state=state)
    if year:
        queryset = queryset.filter(year=year)
    if query:
        queryset = queryset.filter(enterprise__name__icontains=query)
    return queryset.order_by("-created_at", "-pk")


def pool_entry_get(*, user: User, pk) -> PoolEntry:
    """One entry in the user's scope, or 404."""
    return get_object_or_404(pool_entry_list(user=user), pk=pk)


def pool_entry_attachment_get(*, user: User, entry_pk, pk) -> PoolEntryAttachment:
    """An evidence file of an entry the user may read, or 404."""
    return get_object_or_404(PoolEntryAttachment.objects.filter(entry=pool_entry_get(user=user, pk=entry_pk)), pk=pk)


def active_pool_entry(enterprise: Enterprise) -> PoolEntry | None:
    return PoolEntry.objects.filter(enterprise=enterprise, state__in=ACTIVE_STATES).first()


def pool_entry_actions(*, entry: PoolEntry, user: User) -> list[str]:
    """The actions to offer ``user`` on ``entry``'s page; the services still decide."""
    role, state = user.role, entry.state
    own = role == Role.ENTERPRISE and user.enterprise_id == entry.enterprise_id
    district = role == Role.DISTRICT_REVIEWER and user.jurisdiction_id == entry.enterprise.jurisdiction_id
    city = has_role(user, Role.CITY_REVIEWER)
    offers = {
        (S.DISTRICT_REVIEW, "district"): ["district_approve", "return", "reject"],
        (S.DISTRICT_REVIEW, "own"): ["withdraw"],
        (S.RETURNED, "own"): ["resubmit", "withdraw"],
        (S.CITY_REVIEW, "city"): ["city_approve", "return"],
        (S.EXIT_PROPOSED, "city"): ["confirm_exit", "keep"],
    }
    who = "own" if own else "district" if district else "city" if city else ""
    return offers.get((state, who), [])


def pool_refresh_list() -> QuerySet:
    return PoolRefresh.objects.all()


def pool_refresh_progress(refresh: PoolRefresh) -> dict:
    """How many pooled enterprises have updated last year's metrics since the refresh opened."""
    pooled = PoolEntry.objects.filter(state__in=IN_POOL_STATES)
    updated = pooled.filter(enterprise__in=refresh.updated_metrics().values("enterprise_id")).count()
    total = pooled.count()
    return {"total": total, "updated": updated, "missing": total - updated}


# A lost worker's run is forgotten after a day (its transaction wrote nothing), so it can be started again.
EVALUATION_PROGRESS_SECONDS = 24 * 3600


def evaluation_progress_key(refresh: PoolRefresh) -> str:
    return f"workflows:pool-refresh:{refresh.pk}:evaluation"


def pool_refresh_evaluation_progress(refresh: PoolRefresh) -> dict | None:
    """How far the worker's evaluation of ``refresh`` is (``done``/``total`` pooled enterprises weighed),
    or None when none is queued or running (the progress lives in the cache, shared with the worker)."""
    return cache.get(evaluation_progress_key(refresh))


def open_refresh_for(enterprise: Enterprise) -> PoolRefresh | None:
    """The open refresh an enterprise in the pool must answer, if any."""
    if not PoolEntry.objects.filter(enterprise=enterprise, state__in=IN_POOL_STATES).exists():
        return None
    return PoolRefresh.objects.filter(state="open").order_by("-year").first()

