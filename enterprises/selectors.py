"""Reads of the registry, already scoped to the user: the one scoping layer.

Every page, API endpoint, export and download asks these functions for its rows, so
that an enterprise user sees only its own enterprise and a district reviewer only its
own jurisdiction. Rows outside the scope simply do not exist for the user (404).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AnnualMetrics, Enterprise, ImportJob, Role, User

CITY_WIDE_READERS = {Role.CITY_REVIEWER, Role.AUDITOR, Role.FINANCE}


def is_administrator(user: User) -> bool:
    """The one test of "may act as administrator": the administrator role, or a superuser."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


def has_role(user: User, *roles: str) -> bool:
    """``user`` holds one of ``roles``; an administrator holds them all."""
    return user.is_authenticated and (user.role in roles or is_administrator(user))


def scope_to_user(queryset: QuerySet, user: User, *, enterprise_path: str = "enterprise") -> QuerySet:
    """Keep the rows of ``queryset`` that ``user`` may read.

    ``enterprise_path`` is the lookup from the queryset's model to its enterprise
    (``""`` when the model *is* Enterprise). Every app's selectors call this.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_administrator(user) or user.role in CITY_WIDE_READERS:
        return queryset
    prefix = f"{enterprise_path}__" if enterprise_path else ""
    if user.role == Role.DISTRICT_REVIEWER and user.jurisdiction_id:
        return queryset.filter(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return queryset.filter(**{f"{prefix}pk": user.enterprise_id})
    return queryset.none()


def enterprise_list(*, user: User, filters: dict | None = None) -> QuerySet:
    queryset = Enterprise.objects.select_related("jurisdiction", "industry_chain")
    queryset = scope_to_user(queryset, user, enterprise_path="")
    return queryset.filter(**(filters or {}))


def enterprise_get(*, user: User, pk=None, credit_code: str | None = None) -> Enterprise:
    """One enterprise in the user's scope; raises ``Enterprise.DoesNotExist`` otherwise."""
    lookup = {"pk": pk} if pk is not None else {"credit_code": credit_code}
    return enterprise_list(user=user).get(**lookup)


def metrics_list(*, user: User, enterprise: Enterprise | None = None) -> QuerySet:
    queryset = scope_to_user(AnnualMetrics.objects.select_related("enterprise"), user)
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    return queryset


def latest_metrics(enterprise: Enterprise, *, years: int = 3) -> list[AnnualMetrics]:
    """The enterprise's most recent metric rows, newest first."""
    return list(enterprise.metrics.order_by("-year")[:years])


def user_can_edit_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Write access follows read scope, except that auditors and finance only read."""
    if not user.is_authenticated or user.role in {Role.AUDITOR, Role.FINANCE}:
        return False
    return scope_to_user(Enterprise.objects.filter(pk=enterprise.pk), user, enterprise_path="").exists()


def user_can_create_enterprise(user: User, jurisdiction_id=None) -> bool:
    if not user.is_authenticated:
        return False
    if is_administrator(user) or user.role == Role.CITY_REVIEWER:
        return True
    return user.role == Role.DISTRICT_REVIEWER and (jurisdiction_id is None or jurisdiction_id == user.jurisdiction_id)


def import_job_get(*, user: User, pk: int):
    """One of ``user``'s own import jobs (nobody else's, administrators' included: the report names rows)."""
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk, created_by=user)
