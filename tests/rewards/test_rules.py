"""DESIGN §5: one test per rule of the entitlement engine, with the seeded ZJ-2023."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import Step
from enterprises.models import JurisdictionMove, Tier, TitleBasis
from rewards.models import AwardLevel, Entitlement, PastAward
from rewards.services import entitlements_compute

from .conftest import recognize

pytestmark = pytest.mark.django_db


def test_zj_2023_is_seeded_for_the_urban_districts(zj2023):
    codes = set(zj2023.jurisdictions.values_list("code", flat=True))
    assert codes == {"321102", "321111", "321112", "321171", "ZJ-HTZ"}
    assert zj2023.first_time == {"little_giant": "300000.00", "champion": "500000.00"}
    assert zj2023.renewal == {} and zj2023.top_up and zj2023.fund.name == "市级专精特新奖励资金"
    assert (zj2023.recognized_from, zj2023.recognized_to) == (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))


def test_rule1_champion_tops_up_a_rewarded_little_giant_to_500k(zj2023, cast):
    _title, [little] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    _title, [champion] = recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 12, 1), product="轴承")
    assert little.amount == Decimal("300000.00")
    assert champion.amount == Decimal("200000.00")
    assert champion.explanation_zh.endswith("已获小巨人奖励30万元，补足至50万元：20万元")


def test_rule1_imported_past_award_counts_and_never_below_zero(zj2023, cast):
    PastAward.objects.create(enterprise=cast.own, tier=Tier.LITTLE_GIANT, amount=Decimal("600000.00"),
                             level=AwardLevel.CITY, awarded_on=datetime.date(2019, 3, 1))
    _title, [champion] = recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 12, 1))
    assert champion.amount == Decimal("0.00")
    assert "已获小巨人奖励60万元" in champion.explanation_zh


def test_rule2_renewal_and_regained_title_earn_nothing(zj2023, cast):
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2020, 7, 1))  # before ZJ-2023
    _title, [renewal] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1), basis=TitleBasis.RENEWAL)
    _title, [regained] = recognize(cast.neighbour, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    _title, [again] = recognize(cast.neighbour, Tier.LITTLE_GIANT, datetime.date(2025, 7, 1))
    assert renewal.amount == 0 and "复核" in renewal.explanation_zh
    assert regained.amount == Decimal("300000.00")
    assert again.amount == 0 and "非首次认定" in again.explanation_zh


def test_rule2_champion_first_then_little_giant_earns_nothing(zj2023, cast):
    _title, [champion] = recognize(cast.own, Tier.CHAMPION, datetime.date(2023, 3, 1))
    _title, [little] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 7, 1))
    assert champion.amount == Decimal("500000.00")
    assert little.amount == 0


def test_rule3_second_champion_product_earns_nothing(zj2023, cast):
    _title, [first] = recognize(cast.own, Tier.CHAMPION, datetime.date(2023, 3, 1), product="轴承")
    _title, [second] = recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 3, 1), product="齿轮")
    assert (first.amount, second.amount) == (Decimal("500000.00"), 0)
    assert "其他产品不再奖励" in second.explanation_zh


def test_rule4_county_level_city_is_not_covered_on_the_recognition_date(zj2023, cast, danyang, jingkou):
    _title, [far] = recognize(cast.far, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    assert far.amount == 0 and far.policy is None
    assert far.explanation_zh == "丹阳市不属市区，ZJ-2023不适用"
    # Moved from 丹阳 to 京口 in 2025: a 2024 recognition still counts where it was then.
    JurisdictionMove.objects.create(enterprise=cast.own, from_jurisdiction=danyang, to_jurisdiction=jingkou,
                                    effective_on=datetime.date(2025, 1, 1))
    _title, [before_move] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    assert before_move.amount == 0 and before_move.policy is None


def test_rule5_no_policy_in_force_keeps_a_zero_with_its_reason(zj2023, cast):
    _title, [early] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2022, 12, 31))
    assert early.amount == 0 and early.policy is None
    assert early.explanation_zh == "认定日期2022年12月31日无有效奖励政策"
    assert early.explanation_en == "No reward policy was in force on the recognition date 31 Dec 2022"


def test_rule6_every_entitlement_explains_itself_in_both_languages(zj2023, cast):
    _title, [little] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    assert little.explanation_zh == "首次认定国家级专精特新“小巨人”，认定时属京口区（市区），ZJ-2023：30万元"
    assert little.explanation_en == (
        "First-time national little giant, in Jingkou District (urban district) when recognized, ZJ-2023: ¥300,000.00"
    )
    _title, [srdi] = recognize(cast.own, Tier.SRDI, datetime.date(2023, 1, 5))
    assert srdi.amount == 0 and "对此层级不设奖励" in srdi.explanation_zh


def test_rule7_one_entitlement_per_step_and_recomputing_is_idempotent(zj2023, cast):
    title, [first] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    steps = Step.objects.filter(action="entitlement.compute").count()
    assert entitlements_compute(title=title) == [first]
    assert Entitlement.objects.filter(enterprise=cast.own).count() == 1
    assert Step.objects.filter(action="entitlement.compute").count() == steps == 1
    duplicate, [same] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    assert same.amount == 0 and Entitlement.objects.filter(enterprise=cast.own, amount__gt=0).count() == 1
