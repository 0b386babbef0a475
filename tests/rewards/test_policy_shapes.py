"""Policy shapes neighbouring places use (DESIGN §5), each as data: renewals, other-level cap,
per-product champions, a county-level city's own policy and fund beside the city's."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import Tier, TitleBasis
from rewards.models import AwardLevel, PastAward, RewardPolicy
from rewards.services import policy_values_from_mapping, reward_policy_load, reward_policy_save

from .conftest import policy_file, recognize

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def without_the_city_policy(db):
    """Each shape stands alone; tests that want ZJ-2023 beside it ask for ``zj2023`` (re-seeded)."""
    RewardPolicy.objects.filter(code="ZJ-2023").delete()


URBAN = ["321102", "321111", "321112", "321171", "ZJ-HTZ"]


def _policy(**values):
    base = {
        "code": "X-2024", "name": "测试政策", "jurisdictions": URBAN, "recognized_from": "2024-01-01",
        "recognized_to": None, "first_time": {"little_giant": "300000", "champion": "500000"}, "renewal": {},
        "top_up": True, "champion_basis": "enterprise", "cap_counts_other_levels": False,
        "notice_working_days": 5, "fund": "区级奖励资金",
    }
    return reward_policy_save(values=policy_values_from_mapping({**base, **values}), by=None)


def test_renewal_amounts_pay_the_renewal_not_reduced_by_the_first_award(cast):
    _policy(code="TZ-2025", renewal={"little_giant": "90000"}, fund="泰州式资金")
    _title, [first] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 3, 1))
    _title, [renewal] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2027, 3, 1), basis=TitleBasis.RENEWAL)
    assert (first.amount, renewal.amount) == (Decimal("300000.00"), Decimal("90000.00"))
    assert renewal.step == "little_giant:renewal:2027-03-01"
    assert renewal.explanation_zh.endswith("TZ-2025复核奖励：9万元")


def test_cap_counting_other_levels_deducts_national_money(cast):
    _policy(code="SIP-2024", first_time={"little_giant": "1000000"}, level="district", cap_counts_other_levels=True)
    PastAward.objects.create(enterprise=cast.own, tier=Tier.LITTLE_GIANT, amount=Decimal("600000.00"),
                             level=AwardLevel.NATIONAL, awarded_on=datetime.date(2024, 1, 15))
    PastAward.objects.create(enterprise=cast.neighbour, tier=Tier.LITTLE_GIANT, amount=Decimal("600000.00"),
                             level=AwardLevel.NATIONAL, awarded_on=datetime.date(2024, 1, 15))
    _title, [capped] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 3, 1))
    assert capped.amount == Decimal("400000.00")
    _policy(code="NOCAP-2024", first_time={"little_giant": "1000000"}, level="district", fund="另一资金")
    _title, entitlements = recognize(cast.neighbour, Tier.LITTLE_GIANT, datetime.date(2024, 3, 1))
    by_code = {e.policy.code: e.amount for e in entitlements}
    assert by_code["NOCAP-2024"] == Decimal("1000000.00")  # national money is not this level's


def test_per_product_champion_basis_pays_each_product(cast):
    _policy(code="WJ-2024", champion_basis="product", fund="吴江式资金")
    _title, [first] = recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 3, 1), product="轴承")
    _title, [second] = recognize(cast.own, Tier.CHAMPION, datetime.date(2025, 3, 1), product="齿轮")
    _title, [again] = recognize(cast.own, Tier.CHAMPION, datetime.date(2025, 9, 1), product="轴承")
    assert (first.amount, second.amount, again.amount) == (Decimal("500000.00"), Decimal("500000.00"), 0)
    assert (first.step, second.step) == ("champion:轴承", "champion:齿轮")


def test_county_level_city_policy_with_its_own_fund(zj2023, cast, tmp_path):
    policy = reward_policy_load(path=policy_file(tmp_path), by=None)
    assert policy.fund.name == "丹阳市专精特新奖励资金" and not policy.fund.budgets.exists()
    _title, [far] = recognize(cast.far, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    assert (far.policy.code, far.amount) == ("DY-2024", Decimal("200000.00"))
    assert far.explanation_zh == "首次认定国家级专精特新“小巨人”，认定时属丹阳市，DY-2024：20万元"
    _title, [urban] = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    assert (urban.policy.code, urban.amount) == ("ZJ-2023", Decimal("300000.00"))


def test_two_funds_covering_one_enterprise_each_pay(zj2023, cast):
    _policy(code="JK-2024", jurisdictions=["321102"], first_time={"little_giant": "100000"}, level="district",
            fund="京口区奖励资金")
    _title, entitlements = recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    assert {e.policy.code: e.amount for e in entitlements} == {
        "JK-2024": Decimal("100000.00"), "ZJ-2023": Decimal("300000.00"),
    }


def test_without_top_up_a_higher_tier_pays_in_full(cast):
    _policy(code="NT-2024", top_up=False, fund="南通式资金")
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 3, 1))
    _title, [champion] = recognize(cast.own, Tier.CHAMPION, datetime.date(2025, 3, 1))
    assert champion.amount == Decimal("500000.00")
