"""The bank white list (专精特新企业白名单, plan task 14): who holds a valid SRDI-or-higher title today."""

import datetime
from dataclasses import dataclass

from enterprises.models import Enterprise, Tier, Title

from .scope import DashboardScope
from .sources import SRDI_OR_HIGHER, valid_on_q


@dataclass(frozen=True)
class WhiteListEntry:
    """One enterprise on the list, at its highest valid tier (and that tier's latest expiry)."""

    enterprise: Enterprise
    tier: Tier
    valid_until: datetime.date | None

    @property
    def jurisdiction(self):
        return self.enterprise.jurisdiction

    def as_dict(self) -> dict:
        return {
            "name": self.enterprise.name,
            "credit_code": self.enterprise.credit_code,
            "tier": self.tier.value,
            "tier_label": str(self.tier.label),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "jurisdiction": self.jurisdiction.code,
            "jurisdiction_name": self.jurisdiction.name,
        }


def white_list(*, day: datetime.date, scope: DashboardScope | None = None) -> list[WhiteListEntry]:
    """The list on ``day``, by jurisdiction then name; one query.

    A title valid through its ``valid_until`` is on the list that day and off it the next:
    the list is computed from the titles each time, so nothing has to remove a lapsed one.
    ``scope`` narrows it for a reviewer; a bank (no scope) reads the whole city's list.
    """
    titles = Title.objects.filter(valid_on_q(day), tier__in=SRDI_OR_HIGHER)
    if scope is not None:
        titles = scope.apply(titles)
    titles = titles.select_related("enterprise__jurisdiction").order_by(
        "enterprise__jurisdiction__sort_order", "enterprise__jurisdiction__code", "enterprise__name", "enterprise_id"
    )
    rank = {tier: index for index, tier in enumerate(Tier.ladder())}
    best: dict[int, WhiteListEntry] = {}
    for title in titles:
        tier = Tier(title.tier)
        held = best.get(title.enterprise_id)
        if held is None or rank[tier] > rank[held.tier] or (tier == held.tier and _later(title.valid_until, held.valid_until)):
            best[title.enterprise_id] = WhiteListEntry(enterprise=title.enterprise, tier=tier, valid_until=title.valid_until)
    return list(best.values())


def _later(candidate: datetime.date | None, current: datetime.date | None) -> bool:
    """Open-ended (None) outlasts any date."""
    if current is None:
        return False
    return candidate is None or candidate > current
