"""POST /api/enterprises/import/: the same service, the report as JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from enterprises.models import Enterprise
from tests.enterprises.import_files import code, csv_bytes, sample_rows, wrong_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def post(user, content: bytes, name: str = "list.csv", **fields):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/enterprises/import/", {"file": SimpleUploadedFile(name, content), **fields})


def test_a_clean_list_is_imported_and_reported(cast):
    response = post(cast.city, csv_bytes(sample_rows(2)))
    assert response.status_code == 200
    assert response.json()["enterprises_created"] == 2 and response.json()["problems"] == []


def test_refused_rows_come_back_with_row_column_and_reason(cast):
    rows = sample_rows(2)
    rows[2][0] = wrong_check(rows[2][0])
    response = post(cast.city, csv_bytes(rows))
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["row"], problem["column"]) == (3, "统一社会信用代码")
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()

    assert post(cast.city, csv_bytes(rows), skip_invalid="true").json()["imported_rows"] == 1


def test_bad_files_and_other_roles_get_json_errors(cast):
    response = post(cast.city, b"", name="list.xlsx")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = post(cast.city, b"not a workbook", name="list.xlsx")
    assert response.status_code == 400 and response.json()["code"] == "bad_spreadsheet"
    response = post(cast.owner, csv_bytes(sample_rows(1)))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
