"""Importing enterprise lists: happy path, all-or-nothing, --skip-invalid, re-import, scope."""

import csv
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from enterprises.exceptions import RegistryError
from enterprises.models import AnnualMetrics, Enterprise, JurisdictionMove
from enterprises.services import enterprises_import
from steplog.models import Step
from tests.enterprises.import_files import HEADERS_ZH, code, csv_bytes, sample_rows, wrong_check, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def run_import(rows, by=None, **options):
    return enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=by, **options)


def test_a_clean_list_creates_enterprises_and_metrics_with_exact_money(cast):
    report = run_import(sample_rows(3), by=cast.city)

    assert report.ok and report.written
    assert (report.enterprises_created, report.metrics_created) == (3, 3)
    enterprise = Enterprise.objects.get(credit_code=code(2))
    assert enterprise.name == "镇江导入测试2有限公司" and enterprise.jurisdiction.code == "321102"
    metrics = enterprise.metrics.get(year=2025)
    assert metrics.operating_revenue == Decimal("8000002.50")
    assert metrics.rd_expense == Decimal("400000.00") and metrics.employees == 122


def test_one_step_records_the_whole_import(cast):
    before = Step.objects.count()
    report = run_import(sample_rows(5), by=cast.city)

    steps = Step.objects.filter(seq__gt=before)
    assert [step.action for step in steps] == ["enterprise.import"]
    step = steps.get()
    assert step.actor == cast.city
    assert step.data["sha256"] == report.sha256 and step.data["enterprises_created"] == 5
    assert step.data["file"] == "list.csv"


def test_english_headers_and_xlsx_numbers_read_without_float_artefacts(cast):
    rows = [
        ["credit_code", "name", "jurisdiction", "year", "operating_revenue", "net_profit", "cnc_rate", "listed"],
        [code(1), "镇江浮点有限公司", "321102", 2024, 1234567.89, 0.1 + 0.2, 0.655, "否"],
    ]
    content = xlsx_bytes(rows, number_formats={(2, 7): "0.0%"})
    report = enterprises_import(rows_source=content, file_name="list.xlsx", by=cast.city)

    assert report.ok, report.problems
    metrics = AnnualMetrics.objects.get(enterprise__credit_code=code(1), year=2024)
    assert metrics.operating_revenue == Decimal("1234567.89")
    assert metrics.net_profit == Decimal("0.30")
    assert metrics.cnc_rate == Decimal("65.50")  # a cell shown as 65.5% means 65.5 percent
    assert metrics.listed is False


def test_money_in_ten_thousand_yuan_when_the_header_says_so(cast):
    rows = [["统一社会信用代码", "企业名称", "所属地区", "年度", "营业收入（万元）"], [code(1), "镇江万元有限公司", "京口区", 2025, "1,234.5678"]]
    assert run_import(rows, by=cast.city).ok
    assert AnnualMetrics.objects.get(year=2025).operating_revenue == Decimal("12345678.00")


def test_one_bad_row_writes_nothing_and_reports_row_column_and_reason(cast):
    rows = sample_rows(3)
    rows[2][0] = wrong_check(rows[2][0])  # sheet row 3
    rows[3][4] = "八百万"  # sheet row 4: money that is not a number

    report = run_import(rows, by=cast.city)

    assert not report.written
    assert Enterprise.objects.filter(name__startswith="镇江导入测试").count() == 0
    assert [(p.row, p.column) for p in report.problems] == [(3, "统一社会信用代码"), (4, "营业收入（元）")]
    assert "校验位错误" in report.problems[0].message
    assert report.problems[1].message == "“八百万”不是金额。"


def test_unknown_jurisdiction_and_the_same_code_twice_are_row_problems(cast):
    rows = sample_rows(3)
    rows[2][2] = "镇江市火星区"
    rows[3][0] = rows[1][0]

    problems = run_import(rows, by=cast.city).problems

    assert problems[0].row == 3 and "无法识别的地区" in problems[0].message
    assert problems[1].row == 4 and "重复出现（首次出现在第 2 行）" in problems[1].message


def test_skip_invalid_writes_the_good_rows_and_saves_the_rejects_with_reasons(cast):
    rows = sample_rows(4)
    rows[3][0] = wrong_check(rows[3][0])

    report = run_import(rows, by=cast.city, skip_invalid=True)

    assert report.written and report.imported_rows == 3 and report.rejected_rows == 1
    assert Enterprise.objects.filter(name__startswith="镇江导入测试").count() == 3
    with open(report.rejects_path, encoding="utf-8-sig") as handle:
        rejects = list(csv.reader(handle))
    assert rejects[0] == ["行号", *HEADERS_ZH, "原因"]
    assert rejects[1][0] == "4" and rejects[1][1] == rows[3][0]
    assert "统一社会信用代码：统一社会信用代码校验位错误" in rejects[1][-1]


def test_reimport_updates_and_never_duplicates(cast):
    run_import(sample_rows(3), by=cast.city)
    rows = sample_rows(3)
    rows[1][1] = "镇江导入测试1更名有限公司"
    rows[2][4] = "9000000"
    rows.append([code(9), "镇江新增有限公司", "丹阳市", 2025, "100", "1", 1])

    report = run_import(rows, by=cast.city)

    assert (report.enterprises_created, report.enterprises_updated) == (1, 1)
    assert (report.metrics_created, report.metrics_updated) == (1, 1)
    assert Enterprise.objects.filter(credit_code__in=[code(n) for n in (1, 2, 3, 9)]).count() == 4
    assert AnnualMetrics.objects.filter(enterprise__credit_code__in=[code(n) for n in (1, 2, 3)]).count() == 3
    assert Enterprise.objects.get(credit_code=code(1)).name == "镇江导入测试1更名有限公司"
    assert AnnualMetrics.objects.get(enterprise__credit_code=code(2)).operating_revenue == Decimal("9000000.00")


def test_another_year_adds_a_metrics_row_and_blank_cells_keep_what_is_stored(cast):
    run_import(sample_rows(1), by=cast.city)
    rows = sample_rows(1, year=2024)
    rows[1][6] = ""  # employees unknown in this file
    run_import(rows, by=cast.city)
    rows = sample_rows(1)
    rows[1][6] = ""
    run_import(rows, by=cast.city)

    years = AnnualMetrics.objects.filter(enterprise__credit_code=code(1)).order_by("year")
    assert [(m.year, m.employees) for m in years] == [(2024, None), (2025, 121)]


def test_a_new_jurisdiction_is_recorded_as_a_move(cast):
    rows = [["统一社会信用代码", "企业名称", "所属地区"], [cast.own.credit_code, cast.own.name, "321181"]]
    report = run_import(rows, by=cast.city)

    assert report.enterprises_moved == 1
    move = JurisdictionMove.objects.get(enterprise=cast.own)
    assert (move.from_jurisdiction.code, move.to_jurisdiction.code) == ("321102", "321181")


def test_a_district_reviewer_imports_only_its_own_jurisdiction(cast):
    rows = sample_rows(2)
    rows[2][2] = "丹阳市"
    rows.append([cast.far.credit_code, cast.far.name, "京口区", 2025, "1", "1", 1])

    problems = run_import(rows, by=cast.district).problems

    assert [(p.row, p.column) for p in problems] == [(3, "所属地区"), (4, "统一社会信用代码")]
    assert problems[0].message == "您只能导入京口区的企业。"
    assert problems[1].message == "该企业登记在您的辖区之外。"


@pytest.mark.parametrize("role", ["owner", "finance", "auditor"])
def test_only_reviewers_and_administrators_may_import(cast, role):
    with pytest.raises(RegistryError) as refused:
        run_import(sample_rows(1), by=getattr(cast, role))
    assert refused.value.http_status == 403
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_command_exits_with_status_1_and_lists_the_problems(cast, tmp_path):
    rows = sample_rows(2)
    rows[2][0] = wrong_check(rows[2][0])
    path = tmp_path / "名单.csv"
    path.write_bytes(csv_bytes(rows))

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_enterprises", str(path), stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert (tmp_path / "名单.rejects.csv").exists()


def test_command_with_skip_invalid_imports_the_rest(cast, tmp_path, capsys):
    rows = sample_rows(2)
    rows[2][0] = wrong_check(rows[2][0])
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(rows))

    call_command("import_enterprises", str(path), "--skip-invalid")

    assert Enterprise.objects.filter(credit_code=code(1)).exists()
    out = capsys.readouterr()
    assert "已导入 1 行" in out.out and "第 3 行" in out.err
    assert (tmp_path / "list.rejects.csv").exists()


def test_command_dry_run_writes_nothing(cast, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(sample_rows(2)))
    call_command("import_enterprises", str(path), "--dry-run")
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert "试运行" in capsys.readouterr().out


def test_one_file_may_carry_several_years_of_one_enterprise_but_not_two_names(cast):
    rows = sample_rows(1, year=2024) + sample_rows(1, year=2025)[1:]
    assert run_import(rows, by=cast.city).metrics_created == 2

    rows[2][1] = "镇江别名有限公司"
    problems = run_import(rows, by=cast.city).problems
    assert [(p.row, p.column, p.message) for p in problems] == [(3, "企业名称", "与同一企业的第 2 行不一致。")]


def test_a_changed_jurisdiction_with_its_move_in_date_is_a_move_on_that_date(cast):
    """Rewards ask where an enterprise was on its recognition date: the import keeps the move's date."""
    import datetime

    report = run_import(
        [["统一社会信用代码", "企业名称", "所属地区", "迁入日期"], [cast.own.credit_code, cast.own.name, "丹阳市", "2024-03-01"]],
        by=cast.city,
    )

    assert report.ok, report.problems
    move = JurisdictionMove.objects.get(enterprise=cast.own)
    assert (move.from_jurisdiction.code, move.to_jurisdiction.code, move.effective_on) == (
        "321102", "321181", datetime.date(2024, 3, 1))
    cast.own.refresh_from_db()
    assert cast.own.jurisdiction_on(datetime.date(2024, 2, 1)).code == "321102"
