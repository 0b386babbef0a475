"""Hypothesis: however first-time recognitions of one enterprise arrive under ZJ-2023, the ladder
never receives more than the highest tier amount, and recomputing changes nothing."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.models import Tier
from rewards.models import Entitlement
from rewards.services import enterprise_entitlements_compute
from tests.factories import EnterpriseFactory

from .conftest import recognize

pytestmark = pytest.mark.django_db

recognitions = st.lists(
    st.tuples(
        st.sampled_from(Tier.ladder()),
        st.dates(min_value=datetime.date(2022, 6, 1), max_value=datetime.date(2026, 6, 1)),
        st.sampled_from(["", "轴承", "齿轮"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=recognitions)
def test_ladder_total_never_exceeds_the_highest_tier_and_recompute_is_idempotent(zj2023, sequence):
    enterprise = EnterpriseFactory()  # a fresh enterprise per example: examples share the transaction
    for tier, day, product in sequence:
        recognize(enterprise, tier, day, product=product if tier == Tier.CHAMPION else "")
    entitlements = Entitlement.objects.filter(enterprise=enterprise, policy=zj2023)
    before = sorted(entitlements.values_list("pk", "step", "amount", "status"))
    assert sum(amount for _pk, _step, amount, _status in before) <= zj2023.highest_first_time_amount
    enterprise_entitlements_compute(enterprise=enterprise)
    assert sorted(entitlements.values_list("pk", "step", "amount", "status")) == before
