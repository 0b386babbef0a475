"""Reads of the rewards app, already scoped to the user through ``scope_to_user``."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Role, Title, User
from enterprises.selectors import is_administrator, scope_to_user

from .models import Entitlement, EntitlementStatus, Payout, RewardPolicy, RewardRound
from .models.payouts import ACCOUNT_CHANGEABLE, UNPAID, PayoutState

# A zero row without policy that gave way to a policy now in force is history, not an award.
SUPERSEDED_ZERO = Q(policy__isnull=True, status=EntitlementStatus.CANCELLED)


def entitlement_list(*, user: User, enterprise: Enterprise | None = None) -> QuerySet:
    queryset = Entitlement.objects.select_related("enterprise", "title", "policy__fund").exclude(SUPERSEDED_ZERO)
    queryset = scope_to_user(queryset, user)
    return queryset.filter(enterprise=enterprise) if enterprise is not None else queryset


def reward_policy_list() -> QuerySet:
    """Policies are public rules: every signed-in role reads them."""
    return RewardPolicy.objects.select_related("fund", "supersedes").prefetch_related("jurisdictions")


def user_may_edit_policies(user: User) -> bool:
    """The city bureau and administrators write policies and import past awards; everyone else reads."""
    return is_administrator(user) or (user.is_authenticated and user.role == Role.CITY_REVIEWER)


@dataclass
class AwardLine:
    """One recognition as the award history shows it: its entitlement, or "not computed yet"."""

    title: Title
    entitlement: Entitlement | None

    @property
    def policy_code(self) -> str | None:
        return self.entitlement.policy.code if self.entitlement and self.entitlement.policy else None

    @property
    def amount(self) -> Decimal:
        return self.entitlement.amount if self.entitlement else Decimal("0.00")

    @property
    def status(self) -> str:
        return self.entitlement.status if self.entitlement else "pending"

    @property
    def status_label(self) -> str:
        return self.entitlement.get_status_display() if self.entitlement else _("Not computed yet")

    @property
    def explanation(self) -> str:
        if self.entitlement is None:
            return _("Not computed yet")
        chinese = (translation.get_language() or "zh-hans").startswith("zh")
        return self.entitlement.explanation_zh if chinese else self.entitlement.explanation_en

    def as_dict(self) -> dict:
        return {
            "tier": self.title.tier,
            "basis": self.title.basis,
            "product": self.title.product,
            "recognized_on": self.title.recognized_on.isoformat(),
            "policy": self.policy_code,
            "fund": self.entitlement.policy.fund.code if self.entitlement and self.entitlement.policy else None,
            "step": self.entitlement.step if self.entitlement else None,
            "amount": f"{self.amount:.2f}",
            "status": self.status,
            "explanation": self.explanation,
            "explanation_zh": self.entitlement.explanation_zh if self.entitlement else "",
            "explanation_en": self.entitlement.explanation_en if self.entitlement else "",
        }


def enterprise_awards(*, enterprise: Enterprise) -> list[AwardLine]:
    """Every title of ``enterprise``, oldest first, one line per entitlement (per policy)."""
    entitlements: dict[int, list[Entitlement]] = {}
    for entitlement in Entitlement.objects.filter(enterprise=enterprise).exclude(SUPERSEDED_ZERO).select_related(
        "policy__fund"
    ).order_by("policy__fund__code", "pk"):
        entitlements.setdefault(entitlement.title_id, []).append(entitlement)
    lines = []
    for title in enterprise.titles.order_by("recognized_on", "pk"):
        lines += [AwardLine(title, e) for e in entitlements.get(title.pk, [])] or [AwardLine(title, None)]
    return lines


# --- payouts ------------------------------------------------------------------------------


def payout_list(*, user: User, state: str | None = None) -> QuerySet:
    """Payouts ``user`` may read (finance and the city: all; a district: its own; an enterprise: its own)."""
    queryset = Payout.objects.select_related("enterprise__jurisdiction", "fund", "round", "entitlement", "payment_notice")
    queryset = scope_to_user(queryset, user)
    return queryset.filter(state=state) if state else queryset


def payout_get(*, user: User, pk) -> Payout:
    """One payout in ``user``'s scope; ``Payout.DoesNotExist`` otherwise."""
    return payout_list(user=user).get(pk=pk)


def user_reads_rounds(user: User) -> bool:
    """Rounds list every enterprise's reward: the city, finance, auditors and administrators read them."""
    return is_administrator(user) or (user.is_authenticated and user.role in {Role.CITY_REVIEWER, Role.FINANCE,
                                                                              Role.AUDITOR})


def reward_round_list(*, user: User) -> QuerySet:
    rounds = RewardRound.objects.select_related("fund", "decision_document", "notice_document")
    return rounds if user_reads_rounds(user) else rounds.none()


def payout_actions(*, payout, user: User) -> list[str]:
    """The decisions ``user`` may offer on ``payout`` now (the services still check at the moment of acting)."""
    actions = []
    own = user.role == Role.ENTERPRISE and user.enterprise_id == payout.enterprise_id
    city = user.role == Role.CITY_REVIEWER or is_administrator(user)
    if own and (payout.state == PayoutState.AWAITING_CONFIRMATION or payout.state in ACCOUNT_CHANGEABLE):
        actions.append("confirm")
    if payout.state == PayoutState.IN_NOTICE and user.is_authenticated:
        actions.append("hold")
    if city and payout.state == PayoutState.HELD:
        actions += ["release", "reject"]
    if user.role == Role.FINANCE:
        if payout.state == PayoutState.NOTICE_DONE:
            actions += ["confirm_budget", "reject"]
        if payout.state == PayoutState.BUDGET_CONFIRMED:
            actions += ["pay", "reject"]
    if city and payout.state in UNPAID:
        actions.append("cancel")
    return actions
