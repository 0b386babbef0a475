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


def test_a_move_through_the_api_keeps_its_date(cast):
    import datetime

    from rest_framework.test import APIClient

    from enterprises.models import JurisdictionMove

    client = APIClient()
    client.force_authenticate(cast.city)
    response = client.patch(f"/api/enterprises/{cast.own.pk}/", {"jurisdiction": "321181", "moved_on": "2024-03-01"}, format="json")

    assert response.status_code == 200, response.content
    assert "moved_on" not in response.json()
    move = JurisdictionMove.objects.get(enterprise=cast.own)
    assert (move.to_jurisdiction.code, move.effective_on) == ("321181", datetime.date(2024, 3, 1))


def test_a_reviewer_records_a_move_with_its_date_on_the_enterprise_page(cast, client):
    import datetime

    from enterprises.models import JurisdictionMove

    client.force_login(cast.city)
    page = client.get(f"/registry/enterprise/{cast.own.pk}/detail/")
    assert 'data-testid="move-form"' in page.content.decode()
    client.post(f"/registry/enterprise/{cast.own.pk}/move/", {"to": cast.far.jurisdiction_id, "effective_on": "2024-03-01"})
    move = JurisdictionMove.objects.get(enterprise=cast.own)
    assert (move.to_jurisdiction_id, move.effective_on) == (cast.far.jurisdiction_id, datetime.date(2024, 3, 1))

    client.force_login(cast.owner)  # the enterprise reads its moves but does not record them
    assert 'data-testid="move-form"' not in client.get(f"/registry/enterprise/{cast.own.pk}/detail/").content.decode()
