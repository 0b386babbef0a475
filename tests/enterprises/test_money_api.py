"""Money through the API is a decimal string in yuan exact to the fen, in both directions, for every MoneyField."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from enterprises.fields import MoneySerializerField
from enterprises.models import AnnualMetrics
from tests.factories import AnnualMetricsFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_stored_amount_reads_back_to_the_fen(cast):
    AnnualMetricsFactory(enterprise=cast.own, year=2024, operating_revenue=Decimal("12.34"), net_profit=Decimal("-0.05"))
    row = api(cast.owner).get(f"/api/enterprises/{cast.own.pk}/metrics/").json()[0]
    assert (row["operating_revenue"], row["net_profit"]) == ("12.34", "-0.05")


@pytest.mark.parametrize("sent", ["12.34", 12.34, "12.3", "12"])
def test_yuan_with_fen_is_accepted_on_write(cast, sent):
    response = api(cast.owner).put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": 2024, "operating_revenue": sent},
                                   format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["operating_revenue"] == str(Decimal(str(sent)).quantize(Decimal("0.01")))
    assert AnnualMetrics.objects.get(enterprise=cast.own, year=2024).operating_revenue == Decimal(str(sent))


def test_a_third_decimal_place_is_refused_not_rounded(cast):
    response = api(cast.owner).put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": 2024, "operating_revenue": "12.345"},
                                   format="json")
    assert response.status_code == 400
    assert "operating_revenue" in response.json()["fields"]
    assert not AnnualMetrics.objects.filter(enterprise=cast.own).exists()


def test_every_model_serializer_maps_money_to_the_decimal_string_field():
    from rest_framework import serializers

    from rewards.models import Entitlement

    class EntitlementSerializer(serializers.ModelSerializer):
        class Meta:
            model = Entitlement
            fields = ["amount"]

    assert isinstance(EntitlementSerializer().fields["amount"], MoneySerializerField)


def test_the_schema_documents_money_as_a_decimal_string(cast):
    schema = api(cast.city).get("/api/schema/", {"format": "json"}).json()
    revenue = schema["components"]["schemas"]["AnnualMetrics"]["properties"]["operating_revenue"]
    assert (revenue["type"], revenue["format"]) == ("string", "decimal")
