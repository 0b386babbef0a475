"""The upload page, the template, the reject file download and the scoped export."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from enterprises.models import Enterprise
from tests.enterprises.import_files import code, csv_bytes, sample_rows, wrong_check, xlsx_bytes
from tests.factories import AnnualMetricsFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def upload(client, content: bytes, name: str, **fields):
    return client.post("/registry/import/", {"file": SimpleUploadedFile(name, content), **fields})


def rejects_link(response) -> str:
    return re.search(r'href="(/registry/import/rejects/[^"]+)"', response.content.decode())[1]


def test_a_reviewer_uploads_a_list_and_reads_the_report(client, cast):
    client.force_login(cast.district)
    response = upload(client, xlsx_bytes(sample_rows(3)), "名单.xlsx")

    assert response.status_code == 200
    assert "已导入 3 行：新增企业 3 家" in response.content.decode()
    assert Enterprise.objects.filter(credit_code__in=[code(1), code(2), code(3)]).count() == 3


def test_a_bad_row_is_listed_and_nothing_is_written(client, cast):
    rows = sample_rows(2)
    rows[2][0] = wrong_check(rows[2][0])
    client.force_login(cast.city)
    body = upload(client, csv_bytes(rows), "list.csv").content.decode()

    assert "未写入任何数据：有 1 行存在问题" in body
    assert re.search(r"<td>3</td><td>统一社会信用代码</td><td>统一社会信用代码校验位错误", body)
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_the_checkbox_imports_the_valid_rows_and_offers_the_rejects(client, cast):
    rows = sample_rows(2)
    rows[2][0] = wrong_check(rows[2][0])
    client.force_login(cast.city)
    response = upload(client, csv_bytes(rows), "list.csv", skip_invalid="on")

    assert Enterprise.objects.filter(credit_code=code(1)).exists()
    rejects = client.get(rejects_link(response))
    assert rejects.status_code == 200 and rejects["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(rejects.content.decode("utf-8-sig"))))
    assert lines[1][0] == "3" and "校验位错误" in lines[1][-1]


def test_reject_files_are_served_only_to_the_user_who_imported(client, cast):
    rows = sample_rows(1)
    rows[1][0] = wrong_check(rows[1][0])
    client.force_login(cast.city)
    link = rejects_link(upload(client, csv_bytes(rows), "list.csv"))

    client.force_login(cast.other_district)
    assert client.get(link).status_code == 404
    client.force_login(cast.owner)
    assert client.get(link).status_code == 403
    client.force_login(cast.city)
    assert client.get("/registry/import/rejects/..%2F..%2Fsettings.py").status_code == 404


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "empty.csv", "提交的是空文件"),
        (b"%PDF-1.7", "list.pdf", "只能导入 .xlsx 或 .csv 文件"),
        (b"not a zip at all", "list.xlsx", "不是有效的 Excel 工作簿"),
    ],
)
def test_bad_uploads_are_answered_on_the_form(client, cast, content, name, message):
    client.force_login(cast.city)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_oversized_upload_is_refused(client, cast, settings):
    settings.TIDU_MAX_IMPORT_BYTES = 100
    client.force_login(cast.city)
    assert "文件超过 100\xa0字节" in upload(client, csv_bytes(sample_rows(5)), "list.csv").content.decode()


@pytest.mark.parametrize("role", ["owner", "finance", "auditor"])
def test_the_import_page_is_closed_to_other_roles(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get("/registry/import/").status_code == 403
    assert client.get("/registry/import/template.xlsx").status_code == 403


def test_the_template_has_chinese_headers_and_an_example_row_that_imports(client, cast):
    client.force_login(cast.city)
    response = client.get("/registry/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]

    assert headers[:4] == ["统一社会信用代码", "企业名称", "所属地区", "产业链"]
    assert "营业收入（元）" in headers
    assert upload(client, response.content, "template.xlsx").content.decode().count("新增企业 1 家") == 1


def test_export_is_scoped_and_escapes_formulas(client, cast):
    EnterpriseFactory(name="=HYPERLINK(\"http://evil\")有限公司")
    AnnualMetricsFactory(enterprise=cast.own, year=2025)
    client.force_login(cast.district)
    response = client.get("/registry/export/", {"file_format": "xlsx", "year": ""})

    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    names = [row[1] for row in rows[1:]]
    assert cast.own.name in names and cast.far.name not in names
    assert "'=HYPERLINK(\"http://evil\")有限公司" in names
    own = next(row for row in rows if row[1] == cast.own.name)
    assert own[rows[0].index("营业收入（元）")] == 80_000_000


def test_an_exported_csv_imports_back_without_changes(client, cast):
    AnnualMetricsFactory(enterprise=cast.own, year=2025)
    client.force_login(cast.city)
    exported = client.get("/registry/export/", {"file_format": "csv"}).content
    body = upload(client, exported, "export.csv").content.decode()
    assert "已导入 3 行：新增企业 0 家，更新 0 家" in body
    assert "新增年度指标 0 条，更新 0 条" in body


def test_export_command_writes_the_whole_registry(cast, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "all.xlsx"
    call_command("export_enterprises", str(path), stdout=io.StringIO())
    names = [row[1] for row in list(load_workbook(path).worksheets[0].values)[1:]]
    assert sorted(names) == sorted([cast.own.name, cast.neighbour.name, cast.far.name])
