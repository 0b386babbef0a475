"""The auditor's filters over the step log, shared by the pages, the exports and the API.

Free-text filters (enterprise, actor) are resolved to ids first, so the step query runs
on the (enterprise, seq) and (actor, seq) indexes however long the log grows.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Jurisdiction, Role, User
from steplog.models import Step
from steplog.services import SYSTEM_ACTOR_NAME

# How many enterprises or users a free-text filter may match before it is too vague.
MATCH_LIMIT = 200


def jurisdiction_choices():
    return list(Jurisdiction.objects.values_list("code", "name"))


class StepFilter(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(label=_("Enterprise (name or credit code)"), method="filter_enterprise")
    actor = django_filters.CharFilter(label=_("Actor (user name)"), method="filter_actor")
    actor_role = django_filters.ChoiceFilter(label=_("Actor's role"), choices=Role.choices)
    action = django_filters.CharFilter(label=_("Action (code or prefix)"), method="filter_action")
    jurisdiction = django_filters.ChoiceFilter(label=_("Jurisdiction"), choices=jurisdiction_choices)
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"))
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))

    class Meta:
        model = Step
        fields = ["enterprise", "actor", "actor_role", "action", "jurisdiction", "created_at", "object_type",
                  "object_id"]

    def filter_enterprise(self, queryset, name, value):
        value = value.strip()
        matches = Enterprise.objects.filter(Q(credit_code=value.upper()) | Q(name__icontains=value))
        return queryset.filter(enterprise_id__in=list(matches.values_list("pk", flat=True)[:MATCH_LIMIT]))

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if value.lower() == SYSTEM_ACTOR_NAME:
            return queryset.filter(actor__isnull=True)
        matches = User.objects.filter(Q(username__iexact=value) | Q(first_name__icontains=value))
        return queryset.filter(actor_id__in=list(matches.values_list("pk", flat=True)[:MATCH_LIMIT]))

    def filter_action(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(action__startswith=value) if value.endswith(".") else queryset.filter(action=value)
