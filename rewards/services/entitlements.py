"""The entitlement engine (免申即享): what a recognition earns, computed when it is recorded.

For a title, every policy in force for the enterprise's jurisdiction on the recognition
date yields one entitlement (policies of different funds each apply). A first-time title
earns the policy's tier amount minus what the ladder already received (entitlements of
the same fund, any version; past awards of the policy's level; other funds and levels
too when the policy's cap counts them), never below zero. A renewal earns the renewal
amount for its tier. A title that is not a first-time recognition (lost and regained, a
second champion product under the per-enterprise basis) earns nothing. Every result,
zero included, is kept with its explanation.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from approvals.services import step_record
from enterprises.models import Enterprise, Jurisdiction, Tier, Title, TitleBasis

from ..models import ChampionBasis, Entitlement, EntitlementStatus, PastAward, RewardPolicy
from . import explanations
from .payouts import payout_request

ZERO = Decimal("0.00")


def policies_in_force(*, jurisdiction: Jurisdiction | None, day: datetime.date) -> list[RewardPolicy]:
    """Policies covering ``day`` (and ``jurisdiction``, unless None: any jurisdiction)."""
    policies = RewardPolicy.objects.filter(recognized_from__lte=day).filter(
        Q(recognized_to__isnull=True) | Q(recognized_to__gte=day)
    )
    if jurisdiction is not None:
        policies = policies.filter(jurisdictions=jurisdiction)
    return list(policies.select_related("fund").distinct().order_by("fund__code", "code"))


def ladder_step(*, title: Title, policy: RewardPolicy | None) -> str:
    """The step ``title`` claims: ``little_giant``, ``champion:<product>`` (per-product
    policies), ``little_giant:renewal:2026-06-01``."""
    step = title.tier
    if title.tier == Tier.CHAMPION and policy is not None and policy.champion_basis == ChampionBasis.PRODUCT:
        step = f"{step}:{title.product}"
    if title.basis == TitleBasis.RENEWAL:
        step = f"{step}:renewal:{title.recognized_on.isoformat()}"
    return step


def entitlements_compute(*, title: Title) -> list[Entitlement]:
    """The entitlements of ``title``, one per policy in force (or one zero row without policy).

    Idempotent: an entitlement that exists is returned unchanged. Locks the enterprise row,
    so concurrent computations for one enterprise run one after another. Writes one step
    per entitlement created (and per one cancelled because a policy now applies).
    """
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=title.enterprise_id).first()
        title = Title.objects.select_related("enterprise").get(pk=title.pk)
        jurisdiction = title.enterprise.jurisdiction_on(title.recognized_on)
        policies = policies_in_force(jurisdiction=jurisdiction, day=title.recognized_on)
        if not policies:
            return [_unpoliced(title, jurisdiction)]
        _cancel_unpoliced(title)
        return [_for_policy(title, jurisdiction, policy) for policy in policies]


def enterprise_entitlements_compute(*, enterprise: Enterprise) -> list[Entitlement]:
    """Every title of ``enterprise``, oldest first (after a policy correction, on request)."""
    titles = enterprise.titles.order_by("recognized_on", "pk")
    return [entitlement for title in titles for entitlement in entitlements_compute(title=title)]


def _for_policy(title: Title, jurisdiction: Jurisdiction, policy: RewardPolicy) -> Entitlement:
    existing = Entitlement.objects.filter(title=title, policy=policy).first()
    if existing is not None:
        return existing
    step = ladder_step(title=title, policy=policy)
    earlier = _earlier_claim(title, policy, step) if title.basis == TitleBasis.FIRST_TIME else None
    if earlier is not None:
        other_product = title.tier == Tier.CHAMPION and earlier.product != title.product
        texts = explanations.repeat(title, earlier, policy, other_product=other_product)
        return _create(title, policy, f"{step}:repeat:{title.recognized_on.isoformat()}", ZERO, texts)
    if title.basis == TitleBasis.RENEWAL:
        amount = policy.renewal_amount(title.tier)
        if amount is None:
            return _create(title, policy, step, ZERO, explanations.tier_not_paid(title, jurisdiction, policy))
        return _create(title, policy, step, amount, explanations.renewal(title, jurisdiction, policy, amount))
    full = policy.first_time_amount(title.tier)
    if full is None:
        return _create(title, policy, step, ZERO, explanations.tier_not_paid(title, jurisdiction, policy))
    received = _received(title, policy, step)
    amount = max(ZERO, full - sum(received.values(), ZERO))
    return _create(title, policy, step, amount, explanations.first_time(title, jurisdiction, policy, full, received,
                                                                          amount))


def _earlier_claim(title: Title, policy: RewardPolicy, step: str) -> Title | None:
    """The title that holds this step already, or an earlier title of the same tier (same
    product, per product): either way this one is not a first-time recognition."""
    holder = Entitlement.objects.filter(enterprise_id=title.enterprise_id, step=step, policy=policy).first()
    if holder is not None:
        return holder.title
    earlier = Title.objects.filter(enterprise_id=title.enterprise_id, tier=title.tier).filter(
        Q(recognized_on__lt=title.recognized_on) | Q(recognized_on=title.recognized_on, pk__lt=title.pk)
    )
    if title.tier == Tier.CHAMPION and policy.champion_basis == ChampionBasis.PRODUCT:
        earlier = earlier.filter(product=title.product)
    return earlier.order_by("recognized_on", "pk").first()


def _received(title: Title, policy: RewardPolicy, step: str) -> dict[str, Decimal]:
    """Tier → yuan the ladder already received, as ``policy`` counts it."""
    entitlements = Entitlement.objects.filter(
        enterprise_id=title.enterprise_id, status=EntitlementStatus.COMPUTED, basis=TitleBasis.FIRST_TIME,
        policy__isnull=False, amount__gt=0,
    ).exclude(title=title)
    awards = PastAward.objects.filter(enterprise_id=title.enterprise_id)
    if not policy.cap_counts_other_levels:
        entitlements = entitlements.filter(policy__fund_id=policy.fund_id)
        awards = awards.filter(level=policy.level)
    if not policy.top_up:
        entitlements = entitlements.filter(step=step)
        awards = awards.filter(tier=title.tier)
    per_product = title.tier == Tier.CHAMPION and policy.champion_basis == ChampionBasis.PRODUCT
    if per_product:
        # Each product is its own top of the ladder: other products' champion money does not count.
        entitlements = entitlements.exclude(Q(tier=Tier.CHAMPION) & ~Q(step=step))
        awards = awards.exclude(tier=Tier.CHAMPION)
    received: dict[str, Decimal] = {}
    for tier, amount in [*entitlements.values_list("tier", "amount"), *awards.values_list("tier", "amount")]:
        received[tier] = received.get(tier, ZERO) + amount
    return {tier: received[tier] for tier in Tier.ladder() if tier in received}


def _unpoliced(title: Title, jurisdiction: Jurisdiction) -> Entitlement:
    elsewhere = policies_in_force(jurisdiction=None, day=title.recognized_on)
    texts = explanations.no_policy(title, jurisdiction, elsewhere)
    existing = Entitlement.objects.filter(title=title, policy=None, status=EntitlementStatus.COMPUTED).first()
    # Dated: each recognition without a policy keeps its own zero row.
    step = f"{ladder_step(title=title, policy=None)}@{title.recognized_on.isoformat()}"
    return existing or _create(title, None, step, ZERO, texts)


def _cancel_unpoliced(title: Title) -> None:
    """A policy now applies where none did: the zero row without policy gives way."""
    for entitlement in Entitlement.objects.filter(title=title, policy=None, status=EntitlementStatus.COMPUTED):
        entitlement.cancel(reason="policy now in force")
        entitlement.save()
        step_record(
            action="entitlement.cancel",
            obj=entitlement,
            state_before=EntitlementStatus.COMPUTED,
            state_after=entitlement.status,
            comment=entitlement.cancel_reason,
        )


def _create(title: Title, policy, step: str, amount: Decimal, texts: tuple[str, str]) -> Entitlement:
    """Get-or-create under the unique (enterprise, step, policy); a new row leaves one step."""
    entitlement, created = Entitlement.objects.get_or_create(
        enterprise_id=title.enterprise_id,
        step=step,
        policy=policy,
        defaults={
            "title": title,
            "tier": title.tier,
            "basis": title.basis,
            "amount": amount,
            "explanation_zh": texts[0],
            "explanation_en": texts[1],
        },
    )
    if created:
        step_record(
            action="entitlement.compute",
            obj=entitlement,
            enterprise=title.enterprise,
            state_after=entitlement.status,
            comment=texts[0],
            data={"policy": policy.code if policy else None, "step": step, "amount": str(amount),
                  "title": title.pk},
        )
        payout_request(entitlement=entitlement)  # a due reward opens its payout once this commits
    return entitlement


__all__ = [
    "enterprise_entitlements_compute",
    "entitlements_compute",
    "ladder_step",
    "policies_in_force",
]
