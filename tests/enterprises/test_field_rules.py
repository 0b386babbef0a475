"""One set of field rules for annual metrics and the profile: the import, the page and the API refuse alike."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import AnnualMetrics, Enterprise
from enterprises.services import enterprises_import
from tests.enterprises.import_files import code, csv_bytes

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
# (metric values, the field blamed): each breaks one rule.
BROKEN_METRICS = [
    ({"operating_revenue": "-1"}, "operating_revenue"),
    ({"rd_expense": "10000000000001"}, "rd_expense"),
    ({"net_profit": "-10000000000001"}, "net_profit"),
    ({"domestic_niche_share": "100.5"}, "domestic_niche_share"),
    ({"cnc_rate": "-3"}, "cnc_rate"),
    ({"employees": "10", "rd_staff": "11"}, "rd_staff"),
    ({"st_award_year": "1948"}, "st_award_year"),
    ({"maker_china_year": str(NEXT_YEAR + 1)}, "maker_china_year"),
    ({"invention_patents": "1" * 27}, "invention_patents"),
]
ids = [field for _values, field in BROKEN_METRICS]


def via_import(cast, values: dict) -> list[str]:
    headers = ["credit_code", "name", "jurisdiction", "year", *values]
    rows = [headers, [code(1), "镇江规则有限公司", "321102", 2024, *values.values()]]
    report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert not report.written
    return [problem.column for problem in report.problems]


def via_page(client, cast, values: dict) -> list[str]:
    client.force_login(cast.owner)
    response = client.post(reverse("registry:enterprise:metrics", args=[cast.own.pk, 2024]), values)
    assert response.status_code == 200
    return list(response.context["form"].errors)


def via_api(cast, values: dict) -> list[str]:
    client = APIClient()
    client.force_authenticate(cast.owner)
    response = client.put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": 2024, **values}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    return list(response.json()["fields"])


@pytest.mark.parametrize("values, field", BROKEN_METRICS, ids=ids)
def test_the_import_refuses_the_field(cast, values, field):
    assert field in via_import(cast, values)
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


@pytest.mark.parametrize("values, field", BROKEN_METRICS, ids=ids)
def test_the_page_refuses_the_field(client, cast, values, field):
    assert field in via_page(client, cast, values)
    assert not AnnualMetrics.objects.exists()


@pytest.mark.parametrize("values, field", BROKEN_METRICS, ids=ids)
def test_the_api_refuses_the_field(cast, values, field):
    assert field in via_api(cast, values)
    assert not AnnualMetrics.objects.exists()


def test_net_profit_alone_may_be_negative_everywhere(client, cast):
    assert "net_profit" not in via_api(cast, {"net_profit": "-500.00", "operating_revenue": "-1"})
    assert "net_profit" not in via_import(cast, {"net_profit": "-500.00", "operating_revenue": "-1"})


@pytest.mark.parametrize("year", [1948, NEXT_YEAR + 1])
def test_a_metric_year_outside_1949_to_next_year_is_refused(cast, year):
    client = APIClient()
    client.force_authenticate(cast.owner)
    response = client.put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": year, "employees": 3}, format="json")
    assert response.status_code == 400 and "year" in response.json()["fields"]
    assert str(year) in str(response.json()["fields"]["year"])


def test_a_founding_date_in_the_future_is_refused_by_api_and_import(cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = APIClient()
    client.force_authenticate(cast.district)
    response = client.patch(f"/api/enterprises/{cast.own.pk}/", {"founded_on": tomorrow.isoformat()}, format="json")
    assert response.status_code == 400 and "founded_on" in response.json()["fields"]
    rows = [["credit_code", "name", "jurisdiction", "founded_on"], [code(1), "镇江未来有限公司", "321102", tomorrow.isoformat()]]
    report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert [(p.column, tomorrow.isoformat() in p.message) for p in report.problems] == [("founded_on", True)]
    cast.own.refresh_from_db()
    assert cast.own.founded_on != tomorrow
