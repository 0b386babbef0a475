"""The rewards forecast prices the recommended applications and the plans ready to apply."""

import pytest
from django.utils import timezone

from rewards.services.forecast import forecast_candidates, payouts_forecast
from tests.factories import TitleFactory
from tests.workflows.applications import draft, open_batch, passing_innovative_data
from workflows.services import application as services
from workflows.services import expert_review

pytestmark = pytest.mark.django_db


def test_a_recommended_little_giant_is_priced_by_the_policy_in_force(cast):
    passing_innovative_data(cast.own)
    batch = open_batch(cast)
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    services.application_district_approve(application=application, by=cast.district)
    services.application_city_approve(application=application, by=cast.city)
    expert_review.application_batch_recommend(batch=batch, by=cast.city)
    TitleFactory(enterprise=cast.own, tier="srdi", recognized_on=timezone.localdate())

    assert (cast.own, "innovative") in forecast_candidates()
    forecast = payouts_forecast(candidates=[(cast.own, "little_giant")], year=2025)
    assert [(f.fund.code, str(f.amount)) for f in forecast] == [("ZJ-CITY-SRDI", "300000.00")]
