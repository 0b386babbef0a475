"""How an entitlement's amount was found, in Chinese and in English (DESIGN §5 rule 6).

Each function returns ``(chinese, english)``; the texts are stored on the entitlement,
so the explanation reads the same years later whatever the policy became.
"""

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format

from enterprises.fields import money_text

from enterprises.models import Jurisdiction, Tier, Title, TitleBasis

from ..models import RewardPolicy

TIER_ZH = {
    Tier.INNOVATIVE: "创新型中小企业",
    Tier.SRDI: "省级专精特新中小企业",
    Tier.LITTLE_GIANT: "国家级专精特新“小巨人”",
    Tier.CHAMPION: "国家级制造业单项冠军",
}
TIER_SHORT_ZH = {Tier.INNOVATIVE: "创新型中小企业", Tier.SRDI: "专精特新", Tier.LITTLE_GIANT: "小巨人",
                 Tier.CHAMPION: "单项冠军"}
TIER_EN = {
    Tier.INNOVATIVE: "innovative SME",
    Tier.SRDI: "provincial SRDI SME",
    Tier.LITTLE_GIANT: "national little giant",
    Tier.CHAMPION: "national single champion",
}
WAN = Decimal(10_000)


def _money(amount: Decimal) -> tuple[str, str]:
    return money_text(amount, language="zh-hans"), money_text(amount, language="en")


def _day(day: datetime.date) -> tuple[str, str]:
    """The day as each language writes it (2026年3月2日, 2 Mar 2026)."""
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(date_format(day))
    return texts[0], texts[1]


def _tier(title: Title) -> tuple[str, str]:
    product_zh = f"（{title.product}）" if title.tier == Tier.CHAMPION and title.product else ""
    product_en = f" ({title.product})" if title.tier == Tier.CHAMPION and title.product else ""
    return TIER_ZH[title.tier] + product_zh, TIER_EN[title.tier] + product_en


def _place(jurisdiction: Jurisdiction) -> tuple[str, str]:
    if jurisdiction.reward_covered:
        return f"{jurisdiction.name}（市区）", f"{jurisdiction.name_en or jurisdiction.name} (urban district)"
    return jurisdiction.name, jurisdiction.name_en or jurisdiction.name


def _opening(title: Title, jurisdiction: Jurisdiction) -> tuple[str, str]:
    tier_zh, tier_en = _tier(title)
    place_zh, place_en = _place(jurisdiction)
    if title.basis == TitleBasis.RENEWAL:
        return (f"复核通过{tier_zh}，认定时属{place_zh}",
                f"Passed re-review as {tier_en}, in {place_en} when recognized")
    return f"首次认定{tier_zh}，认定时属{place_zh}", f"First-time {tier_en}, in {place_en} when recognized"


def first_time(title, jurisdiction, policy: RewardPolicy, full: Decimal, received: dict, amount: Decimal):
    """``received`` maps tier → yuan already received on the ladder (counted by this policy)."""
    zh, en = _opening(title, jurisdiction)
    full_zh, full_en = _money(full)
    zh, en = f"{zh}，{policy.code}：{full_zh}", f"{en}, {policy.code}: {full_en}"
    total = sum(received.values(), Decimal(0))
    if total == 0:
        return zh, en
    tiers_zh = "、".join(TIER_SHORT_ZH[t] for t in received)
    tiers_en = ", ".join(TIER_EN[t] for t in received)
    (total_zh, total_en), (amount_zh, amount_en) = _money(total), _money(amount)
    if amount > 0:
        return (f"{zh}；已获{tiers_zh}奖励{total_zh}，补足至{full_zh}：{amount_zh}",
                f"{en}; already received {total_en} for {tiers_en}, topped up to {full_en}: {amount_en}")
    return (f"{zh}；已获{tiers_zh}奖励{total_zh}，已达{full_zh}，不再奖励：0元",
            f"{en}; already received {total_en} for {tiers_en}, which reaches {full_en}: nothing more")


def tier_not_paid(title, jurisdiction, policy: RewardPolicy):
    zh, en = _opening(title, jurisdiction)
    if title.basis == TitleBasis.RENEWAL:
        return f"{zh}，{policy.code}对复核不设奖励：0元", f"{en}; {policy.code} pays nothing for a renewal: ¥0"
    return f"{zh}，{policy.code}对此层级不设奖励：0元", f"{en}; {policy.code} pays nothing for this tier: ¥0"


def renewal(title, jurisdiction, policy: RewardPolicy, amount: Decimal):
    zh, en = _opening(title, jurisdiction)
    amount_zh, amount_en = _money(amount)
    return f"{zh}，{policy.code}复核奖励：{amount_zh}", f"{en}, {policy.code} renewal reward: {amount_en}"


def repeat(title, earlier: Title, policy: RewardPolicy | None, *, other_product: bool):
    tier_zh, tier_en = _tier(earlier)
    day_zh, day_en = _day(earlier.recognized_on)
    if other_product:
        return (f"已于{day_zh}认定{tier_zh}，单项冠军按企业奖励一次，其他产品不再奖励：0元",
                f"Already a {tier_en} since {day_en}; the champion reward is once per enterprise, "
                f"another product earns nothing: ¥0")
    return (f"已于{day_zh}认定{tier_zh}，本次非首次认定（失而复得），不予奖励：0元",
            f"Already recognized {tier_en} on {day_en}; this is not a first-time recognition "
            f"(lost and regained), so it earns nothing: ¥0")


def no_policy(title, jurisdiction: Jurisdiction, elsewhere: list[RewardPolicy]):
    """No policy covers the jurisdiction on the recognition date; ``elsewhere`` are those in force then."""
    day_zh, day_en = _day(title.recognized_on)
    if elsewhere:
        codes = "、".join(p.code for p in elsewhere)
        name_en = jurisdiction.name_en or jurisdiction.name
        if not jurisdiction.reward_covered:
            return (f"{jurisdiction.name}不属市区，{codes}不适用",
                    f"{name_en} is not an urban district; {', '.join(p.code for p in elsewhere)} does not apply")
        return (f"{jurisdiction.name}不在{codes}覆盖范围内，不适用",
                f"{name_en} is not covered by {', '.join(p.code for p in elsewhere)}")
    return f"认定日期{day_zh}无有效奖励政策", f"No reward policy was in force on the recognition date {day_en}"
