"""PostgreSQL: twenty simultaneous computations of one recognition leave one entitlement and one step."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import Step
from enterprises.models import Tier
from rewards.models import Entitlement
from rewards.services import entitlements_compute
from tests.concurrency import race
from tests.factories import TitleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_computations_make_one_entitlement(step_log_flushable, zj2023, cast):
    title = TitleFactory(enterprise=cast.own, tier=Tier.LITTLE_GIANT, level="national",
                         recognized_on=datetime.date(2024, 6, 1))

    results = race([lambda: entitlements_compute(title=title)] * 20)

    assert all(isinstance(r, list) for r in results), [r for r in results if not isinstance(r, list)]
    assert {r[0].pk for r in results} == {Entitlement.objects.get().pk}
    assert Entitlement.objects.get().amount == Decimal("300000.00")
    assert Step.objects.filter(action="entitlement.compute").count() == 1
