"""A catalogue of hostile inputs, each refused with a clear message and nothing changed.

NUL bytes (test_nul_bytes), out-of-range numbers and bad ids (test_out_of_range) and the
throttles (test_throttles) have their own files; here: formula cells, script in text,
wrong-type and oversized uploads, out-of-range dates, another enterprise's ids.
"""

import datetime

import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from approvals.models import Step
from enterprises.models import AnnualMetrics, Enterprise
from enterprises.services import enterprises_import
from tests.enterprises.import_files import code, csv_bytes, sample_rows, xlsx_bytes

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---------------------------------------------------------------- formula cells


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"点我\")", "=cmd|' /C calc'!A0", "=1+1"])
def test_a_formula_in_a_csv_text_column_is_refused(cast, cell):
    rows = [["credit_code", "name", "jurisdiction"], [code(1), cell, "321102"]]
    with translation.override("en"):
        report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert not report.written
    assert [p.column for p in report.problems] == ["name"] and "spreadsheet formula" in report.problems[0].message
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"点我\")", "=cmd|' /C calc'!A0"])
def test_a_formula_cell_in_an_xlsx_is_never_stored_as_a_formula(cast, cell):
    rows = [["credit_code", "name", "jurisdiction"], [code(1), cell, "321102"]]
    report = enterprises_import(rows_source=xlsx_bytes(rows), file_name="list.xlsx", by=cast.city)
    assert [p.column for p in report.problems] == ["name"]  # no cached value: the cell reads as empty
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_an_escaped_leading_equals_sign_is_text(cast):
    rows = [["credit_code", "name", "jurisdiction", "main_product"], [code(1), "镇江等号有限公司", "321102", "'=型号A"]]
    assert enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city).written
    assert Enterprise.objects.get(credit_code=code(1)).main_product == "=型号A"


# ---------------------------------------------------------------- script in text fields


def test_script_in_text_fields_is_stored_as_text_and_rendered_escaped(client, cast):
    response = api(cast.district).patch(f"/api/enterprises/{cast.own.pk}/",
                                        {"main_product": SCRIPT, "niche_market": SCRIPT}, format="json")
    assert response.status_code == 200
    client.force_login(cast.district)
    for url in (f"/registry/enterprise/{cast.own.pk}/detail/", "/registry/enterprise/"):
        page = client.get(url).content.decode()
        assert SCRIPT not in page
    page = client.get(f"/registry/enterprise/{cast.own.pk}/detail/").content.decode()
    assert "&lt;script&gt;" in page


def test_script_in_a_signup_is_never_rendered_raw(client, db):
    page = client.post("/cases/signup/", {"name": SCRIPT, "credit_code": SCRIPT}).content.decode()
    assert SCRIPT not in page


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    "name, content",
    [("list.exe", b"MZ\x90\x00"), ("list.pdf", b"%PDF-1.7"), ("list.xlsx", b"not a zip at all"), ("list.csv", b"\xff\xfe\x00\x00")],
)
def test_wrong_type_uploads_to_the_import_are_refused_with_a_message(cast, name, content):
    response = api(cast.city).post("/api/enterprises/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body.get("message") or body.get("summary") or body.get("fields")
    assert Enterprise.objects.count() == 3


def test_an_oversized_upload_to_the_import_page_is_refused(client, cast, settings):
    settings.TIDU_MAX_IMPORT_BYTES = 1024
    client.force_login(cast.city)
    upload = SimpleUploadedFile("list.csv", csv_bytes(sample_rows(40)))
    response = client.post("/registry/import/", {"file": upload})
    assert response.status_code == 200
    assert "1.0 KB" in response.content.decode() or "1.0 KB" in response.content.decode().replace("\xa0", " ")
    assert Enterprise.objects.count() == 3


def test_an_oversized_upload_to_the_import_api_is_refused(cast, settings):
    settings.TIDU_MAX_IMPORT_BYTES = 1024
    response = api(cast.city).post("/api/enterprises/import/", {"file": SimpleUploadedFile("list.csv", csv_bytes(sample_rows(40)))})
    assert response.status_code == 400 and "1.0" in str(response.json())
    assert Enterprise.objects.count() == 3


# ---------------------------------------------------------------- out-of-range dates


@pytest.mark.parametrize("founded", ["9999-12-31", "3000-01-01"])
def test_a_founding_date_far_in_the_future_is_refused(cast, founded):
    response = api(cast.district).patch(f"/api/enterprises/{cast.own.pk}/", {"founded_on": founded}, format="json")
    assert response.status_code == 400 and "founded_on" in response.json()["fields"]


@pytest.mark.parametrize("founded", ["0000-01-01", "2024-02-30", "10000-01-01", "2024-13-01"])
def test_an_impossible_date_is_refused_through_the_api_and_the_import(cast, founded):
    response = api(cast.district).patch(f"/api/enterprises/{cast.own.pk}/", {"founded_on": founded}, format="json")
    assert response.status_code == 400 and "founded_on" in response.json()["fields"]
    rows = [["credit_code", "name", "jurisdiction", "founded_on"], [code(1), "镇江日期有限公司", "321102", founded]]
    report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert [p.column for p in report.problems] == ["founded_on"]


@pytest.mark.parametrize("year", [0, 1948, 99999])
def test_metric_years_out_of_range_are_refused_and_pages_404(client, cast, year):
    response = api(cast.owner).put(f"/api/enterprises/{cast.own.pk}/metrics/", {"year": year, "employees": 1}, format="json")
    assert response.status_code == 400 and "year" in response.json()["fields"]
    client.force_login(cast.owner)
    assert client.get(f"/registry/enterprise/{cast.own.pk}/metrics/{year}/").status_code == 404
    assert not AnnualMetrics.objects.exists()


def test_a_negative_date_for_the_ranking_is_today_not_an_error(client, cast):
    client.force_login(cast.city)
    assert client.get("/cultivation/ranking/", {"as_of": "-0001-01-01"}).status_code == 200
    assert client.get("/cultivation/ranking/", {"as_of": "99999-01-01"}).status_code == 200


# ---------------------------------------------------------------- another enterprise's ids


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "/api/enterprises/{pk}/", None),
        ("patch", "/api/enterprises/{pk}/", {"main_product": "抢来的"}),
        ("get", "/api/enterprises/{pk}/metrics/", None),
        ("put", "/api/enterprises/{pk}/metrics/", {"year": 2024, "employees": 1}),
    ],
)
def test_another_enterprises_id_in_an_api_path_is_a_404_and_changes_nothing(cast, method, path, body):
    steps = Step.objects.count()
    response = getattr(api(cast.owner), method)(path.format(pk=cast.neighbour.pk), body, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    cast.neighbour.refresh_from_db()
    assert cast.neighbour.main_product != "抢来的"
    assert not AnnualMetrics.objects.filter(enterprise=cast.neighbour).exists()
    assert Step.objects.count() == steps


@pytest.mark.parametrize(
    "url", ["/registry/enterprise/{pk}/detail/", "/registry/enterprise/{pk}/metrics/2024/", "/cultivation/diagnosis/{pk}/"]
)
def test_another_enterprises_id_in_a_registry_url_is_a_404(client, cast, url):
    client.force_login(cast.owner)
    assert client.get(url.format(pk=cast.neighbour.pk)).status_code == 404
    assert client.post(url.format(pk=cast.neighbour.pk), {"employees": "1"}).status_code in (404, 405)
    assert not AnnualMetrics.objects.filter(enterprise=cast.neighbour).exists()


def test_a_district_reviewer_cannot_reach_another_districts_enterprise(client, cast):
    response = api(cast.district).patch(f"/api/enterprises/{cast.far.pk}/", {"main_product": "越权"}, format="json")
    assert response.status_code == 404
    cast.far.refresh_from_db()
    assert cast.far.main_product != "越权"
