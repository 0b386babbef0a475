"""Keeping the annual data from the enterprise page: scope, blanks stay unknown, errors inline."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import AnnualMetrics
from steplog.models import Step

pytestmark = pytest.mark.django_db


def url(enterprise, year=2025):
    return reverse("registry:enterprise:metrics", args=[enterprise.pk, year])


def test_the_enterprise_saves_its_year_and_blanks_stay_unknown(client, cast):
    client.force_login(cast.owner)
    assert client.get(url(cast.own)).status_code == 200
    response = client.post(url(cast.own), {"operating_revenue": "12345678.90", "employees": "88"})
    assert response.status_code == 302
    row = AnnualMetrics.objects.get(enterprise=cast.own, year=2025)
    assert row.operating_revenue == Decimal("12345678.90") and row.employees == 88
    assert row.rd_expense is None and row.own_brand is None
    assert Step.objects.filter(action="metrics.create", enterprise=cast.own).count() == 1


def test_bad_numbers_are_refused_inline_and_nothing_is_saved(client, cast):
    client.force_login(cast.owner)
    response = client.post(url(cast.own), {"operating_revenue": "twelve", "digital_level": "9"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not AnnualMetrics.objects.filter(enterprise=cast.own).exists()


@pytest.mark.parametrize("who", ["other_owner", "other_district", "auditor", "finance"])
def test_others_cannot_reach_the_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast.own)).status_code == 404
    assert client.post(url(cast.own), {"employees": "1"}).status_code == 404


def test_a_future_year_is_not_a_page(client, cast):
    client.force_login(cast.owner)
    assert client.get(url(cast.own, 2999)).status_code == 404
