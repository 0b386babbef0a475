"""Numbers beyond what storage holds, and ids that are not numbers: a clear refusal naming the field and range, never a 500."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import AnnualMetrics, Enterprise
from enterprises.services import enterprises_import
from tests.enterprises.import_files import code, csv_bytes, xlsx_bytes
from workflows.models import PoolEntry

pytestmark = pytest.mark.django_db
LAST = timezone.localdate().year - 1


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("amount", ["1e17", "100000000000000000", "-1e17", "1e400", "92233720368547758.08", 1e30])
def test_money_beyond_storage_through_the_api_is_a_400_naming_field_and_range(cast, amount):
    field = "net_profit"
    response = api(cast.owner).put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": 2024, field: amount}, format="json")
    assert response.status_code == 400, response.content
    message = " ".join(response.json()["fields"][field])
    assert "10000000000000" in message  # the allowed range's bound
    assert not AnnualMetrics.objects.filter(enterprise=cast.own).exists()


@pytest.mark.parametrize(
    "cell, bound",
    [("1e30", "10000000000000"), ("1e400", "10000000000000"), (1e30, "10000000000000"),
     ("99999999999999999999999999", "10000000000000"), ("-1e400", "0")],
)
def test_an_imported_money_cell_beyond_storage_is_a_row_error(cast, cell, bound):
    rows = [["credit_code", "name", "jurisdiction", "year", "operating_revenue"],
            [code(1), "镇江巨额有限公司", "321102", 2024, cell]]
    report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(2, "operating_revenue")]
    assert bound in report.problems[0].message
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_an_imported_xlsx_float_beyond_storage_is_a_row_error(cast):
    rows = [["credit_code", "name", "jurisdiction", "year", "operating_revenue", "cnc_rate", "employees"],
            [code(1), "镇江巨额有限公司", "321102", 2024, 1e300, 1e300, 10**27]]
    report = enterprises_import(rows_source=xlsx_bytes(rows), file_name="list.xlsx", by=cast.city)
    assert sorted(p.column for p in report.problems) == ["cnc_rate", "employees", "operating_revenue"]


def test_a_27_digit_count_in_the_what_if_form_is_reported_with_its_range(client, cast):
    AnnualMetrics.objects.create(enterprise=cast.own, year=LAST, operating_revenue=Decimal("100000000"))
    client.force_login(cast.owner)
    response = client.post(
        f"/cultivation/diagnosis/{cast.own.pk}/",
        {"tier": "innovative", f"m-{LAST}-ip_class1_count": "1" * 27, f"m-{LAST}-rd_expense": "1e30"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1" * 27 in page and "10000000" in page


@pytest.mark.parametrize("chain", ["abc", "1.5", "9" * 30, "-1", "١"])
def test_a_non_numeric_chain_on_the_ranking_page_and_export_is_no_filter(client, cast, chain):
    PoolEntry.objects.create(enterprise=cast.own, year=LAST + 1, source="district", statement="入库", state="pooled")
    client.force_login(cast.city)
    assert client.get("/cultivation/ranking/", {"industry_chain": chain}).status_code == 200
    export = client.get("/cultivation/ranking/export.xlsx", {"industry_chain": chain})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_non_numeric_chain_in_the_ranking_api_is_a_400(cast):
    response = api(cast.city).get("/api/cultivation-ranking/", {"industry_chain": "abc"})
    assert response.status_code == 400 and "industry_chain" in response.json()["fields"]
