"""The enterprise's cases waiting for its answer: returned for revision, with the bureau's reason."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Application, ApplicationState, PoolEntry, PoolEntryState


@dataclass(frozen=True)
class ReturnedCase:
    what: str  # "Your pool entry was returned for revision."
    reason: str
    url: str  # the case page, at the card where the enterprise answers


def returned_cases_for(enterprise_id) -> list[ReturnedCase]:
    """The enterprise's pool entries and applications returned to it, newest first (two queries)."""
    entries = PoolEntry.objects.filter(enterprise_id=enterprise_id, state=PoolEntryState.RETURNED).order_by("-pk")
    applications = Application.objects.filter(enterprise_id=enterprise_id, state=ApplicationState.RETURNED).order_by("-pk")
    return [
        *(ReturnedCase(_("Your pool entry was returned for revision."), entry.last_reason,
                       reverse("pool:detail", args=[entry.pk]) + "#answer")
          for entry in entries.only("pk", "last_reason")),
        *(ReturnedCase(_("Your %(tier)s application was returned for revision.") % {"tier": application.get_tier_display()},
                       application.last_reason, reverse("applications:detail", args=[application.pk]) + "#answer")
          for application in applications.only("pk", "tier", "last_reason")),
    ]
