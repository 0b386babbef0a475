"""Who sees which part of the dashboard: the city-wide roles all of it (with a jurisdiction
filter), a district reviewer its own jurisdiction, nobody else anything."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from enterprises.models import Jurisdiction, Role, User
from enterprises.selectors import CITY_WIDE_READERS, is_administrator, scope_to_user


def user_may_view_dashboard(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user) or user.role in CITY_WIDE_READERS:
        return True
    return user.role == Role.DISTRICT_REVIEWER and user.jurisdiction_id is not None


@dataclass(frozen=True)
class DashboardScope:
    """The user's reach, narrowed to one jurisdiction when the filter (or the role) says so."""

    user: User
    jurisdiction: Jurisdiction | None
    choices: tuple[Jurisdiction, ...]

    @property
    def city_wide(self) -> bool:
        return bool(self.choices)

    @property
    def jurisdiction_code(self) -> str:
        return self.jurisdiction.code if self.jurisdiction else ""

    def apply(self, queryset: QuerySet, *, enterprise_path: str = "enterprise") -> QuerySet:
        """``queryset`` kept to the user's rows (the registry's one scoping layer), then to the filter."""
        queryset = scope_to_user(queryset, self.user, enterprise_path=enterprise_path)
        if self.jurisdiction is None:
            return queryset
        prefix = f"{enterprise_path}__" if enterprise_path else ""
        return queryset.filter(**{f"{prefix}jurisdiction_id": self.jurisdiction.pk})


def dashboard_scope(*, user: User, jurisdiction_code: str = "") -> DashboardScope:
    """Raises ``PermissionDenied`` for roles without a dashboard and ``Http404`` for an unknown code.

    A district reviewer always gets its own jurisdiction, whatever code is asked for.
    """
    if not user_may_view_dashboard(user):
        raise PermissionDenied
    if user.role == Role.DISTRICT_REVIEWER and not is_administrator(user):
        return DashboardScope(user=user, jurisdiction=user.jurisdiction, choices=())
    choices = tuple(Jurisdiction.objects.order_by("sort_order", "code"))
    chosen = None
    if jurisdiction_code:
        chosen = next((j for j in choices if j.code == jurisdiction_code), None)
        if chosen is None:
            raise Http404
    return DashboardScope(user=user, jurisdiction=chosen, choices=choices)
