"""Bad files get a clear error and lose nothing; every encoding Chinese offices use is read."""

import io
import os
import zipfile

import pytest

from enterprises.models import AnnualMetrics, Enterprise
from enterprises.services import enterprises_import
from enterprises.services.sheets import SpreadsheetError
from tests.enterprises.import_files import code, csv_bytes, sample_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def import_bytes(content: bytes, name: str, by, **options):
    return enterprises_import(rows_source=content, file_name=name, by=by, **options)


def refused(content: bytes, name: str, by) -> str:
    with pytest.raises(SpreadsheetError) as error:
        import_bytes(content, name, by)
    assert not Enterprise.objects.filter(name__startswith="镇江导入测试").exists()
    return str(error.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_office_encoding_is_read(cast, encoding):
    report = import_bytes(csv_bytes(sample_rows(2), encoding=encoding), "list.csv", cast.city)
    assert report.ok and report.enterprises_created == 2
    assert Enterprise.objects.get(credit_code=code(1)).name == "镇江导入测试1有限公司"


def test_tab_separated_and_a_title_line_above_the_header_are_fine(cast):
    rows = [["2025年度京口区企业名单"], *sample_rows(2)]
    report = import_bytes(csv_bytes(rows, delimiter="\t"), "list.csv", cast.city)
    assert report.ok and report.enterprises_created == 2


def test_row_numbers_are_the_sheet_rows_even_after_blank_lines(cast):
    rows = sample_rows(2)
    rows.insert(2, ["", "", ""])
    rows[3][4] = "abc"
    report = import_bytes(xlsx_bytes(rows), "list.xlsx", cast.city)
    assert [(p.row, p.column) for p in report.problems] == [(4, "营业收入（元）")]


def test_an_empty_file_is_refused(cast):
    assert refused(b"", "list.csv", cast.city) == "文件为空。"
    assert refused(b"\r\n\r\n", "list.csv", cast.city) == "文件为空。"


def test_a_header_without_rows_is_refused(cast):
    assert refused(csv_bytes(sample_rows(0)), "list.csv", cast.city) == "文件只有表头，没有数据行。"


def test_a_missing_required_column_is_named(cast):
    rows = [[row[0], row[1], row[3]] for row in sample_rows(1)]  # no 所属地区
    message = refused(csv_bytes(rows), "list.csv", cast.city)
    assert message.startswith("缺少必填列：所属地区。")


def test_metrics_without_a_year_column_ask_for_one(cast):
    rows = [[row[0], row[1], row[2], row[4]] for row in sample_rows(1)]
    assert "没有“年度”列" in refused(csv_bytes(rows), "list.csv", cast.city)
    report = import_bytes(csv_bytes(rows), "list.csv", cast.city, year=2024)
    assert report.ok and AnnualMetrics.objects.get(enterprise__credit_code=code(1)).year == 2024


def test_a_fake_xlsx_is_refused(cast):
    assert "不是有效的 Excel 工作簿" in refused(csv_bytes(sample_rows(1)), "list.xlsx", cast.city)


def test_a_damaged_xlsx_is_refused(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "无法读取该 Excel 工作簿" in refused(buffer.getvalue(), "list.xlsx", cast.city)


def test_binary_garbage_named_csv_is_refused(cast):
    garbage = bytes(range(256)) * 4 + os.urandom(512)
    assert "不是可读的 CSV 文本文件" in refused(garbage, "list.csv", cast.city)


def test_a_workbook_named_csv_and_an_old_xls_get_told_what_to_do(cast):
    assert "改名为 .xlsx" in refused(xlsx_bytes(sample_rows(1)), "list.csv", cast.city)
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "旧版 Excel" in refused(old_xls, "list.xls", cast.city)


def test_other_file_types_are_refused(cast):
    assert refused(b"%PDF-1.7 ...", "list.pdf", cast.city) == "只能导入 .xlsx 或 .csv 文件。"


def test_an_oversized_file_is_refused_before_it_is_read(cast, settings):
    settings.TIDU_MAX_IMPORT_BYTES = 1024
    content = csv_bytes(sample_rows(40))
    assert len(content) > 1024
    assert refused(content, "list.csv", cast.city) == "文件超过 1.0\xa0KB，请拆分后分批导入。"


def test_a_credit_code_typed_as_a_number_in_excel_is_explained(cast):
    rows = sample_rows(1)
    rows[1][0] = 913211020000000001
    report = import_bytes(xlsx_bytes(rows), "list.xlsx", cast.city)
    assert "存成了数字" in report.problems[0].message


def test_formula_escaped_text_from_an_export_imports_back_unchanged(cast):
    rows = sample_rows(1)
    rows[1][1] = "'=镇江公式有限公司"
    assert import_bytes(csv_bytes(rows), "list.csv", cast.city).ok
    assert Enterprise.objects.get(credit_code=code(1)).name == "=镇江公式有限公司"
