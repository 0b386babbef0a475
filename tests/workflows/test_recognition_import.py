"""Importing published recognition lists: row report, all-or-nothing, tiers, real names, queue, re-import, pages, API."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from enterprises.models import Tier, Title
from tests.factories import DANYANG, EnterpriseFactory, jurisdiction
from workflows.exceptions import CaseError
from workflows.models import Recognition, RecognitionMatch, RecognitionMatchState
from workflows.services.recognition_import import recognitions_import, tier_from_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; one test checks the Chinese catalogue."""
    with translation.override("en"):
        yield

PUBLISHED = Path("/work/shared/data/published-lists/jiangsu_recognitions_from_pages.csv")
HEADER = ["企业名称", "层级", "认定日期", "批次", "类型", "产品", "状态"]


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def published_rows() -> dict[str, dict]:
    with PUBLISHED.open(encoding="utf-8") as handle:
        return {row["name_as_published"]: row for row in csv.DictReader(handle)}


def run(content: bytes, by, name="list.csv", **options):
    return recognitions_import(rows_source=content, file_name=name, by=by, **options)


@pytest.fixture
def zhenjiang_firms(db):
    """Registered names as the registry writes them (full-width parentheses, simplified characters)."""
    return {
        "hengshen": EnterpriseFactory(name="江苏恒神股份有限公司", jurisdiction=jurisdiction(DANYANG)),
        "shuangfeng": EnterpriseFactory(name="双峰格雷斯海姆医药玻璃（丹阳）有限公司", jurisdiction=jurisdiction(DANYANG)),
        "dongsheng": EnterpriseFactory(name="泰兴市东圣生物科技有限公司"),
        "hengli": EnterpriseFactory(name="江苏恒立液压股份有限公司"),
        "hengli_tech": EnterpriseFactory(name="江苏恒立液压科技有限公司"),
    }


def test_happy_path_import_records_every_row(cast):
    content = csv_bytes([
        [cast.own.name, "little_giant", "2024-07-15", "第六批", "首次", "", "公布"],
        [cast.far.name, "专精特新中小企业", "2024/07/15", "", "first", "", ""],
    ])
    report = run(content, cast.city)
    assert report.written and report.ok and (report.recorded, report.titles, report.queued) == (2, 2, 0)
    assert set(Title.objects.values_list("enterprise__name", "tier")) == {
        (cast.own.name, Tier.LITTLE_GIANT), (cast.far.name, Tier.SRDI)}
    assert "2 results recorded (2 titles)" in report.summary()


def test_an_xlsx_with_english_headers_and_codes_imports(cast):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["credit_code", "name", "tier", "recognized_on", "batch", "kind"])
    sheet.append([cast.own.credit_code, "a name the registry does not know", "champion", datetime.date(2024, 3, 4),
                  "第八批", "first"])
    data = io.BytesIO()
    book.save(data)
    report = run(data.getvalue(), cast.city, name="list.xlsx")
    assert report.recorded == 1 and Title.objects.get().enterprise == cast.own


@pytest.mark.parametrize("text", [
    "little_giant", "专精特新“小巨人”企业", '专精特新"小巨人"企业', "专精特新「小巨人」企业", "专精特新小巨人",
    "专精特新“小巨人”", "国家级专精特新“小巨人”企业", "专精特新＂小巨人＂企业",
])
def test_little_giant_in_every_spelling(text):
    assert tier_from_text(text) == Tier.LITTLE_GIANT


@pytest.mark.parametrize("text, tier", [
    ("innovative", Tier.INNOVATIVE), ("创新型中小企业", Tier.INNOVATIVE), ("创新型中小", Tier.INNOVATIVE),
    ("科技和创新型中小企业", Tier.INNOVATIVE), ("srdi", Tier.SRDI), ("专精特新中小企业", Tier.SRDI),
    ("专精特新中小", Tier.SRDI), ("champion", Tier.CHAMPION), ("制造业单项冠军", Tier.CHAMPION),
    ("制造业单项冠军企业", Tier.CHAMPION), ("制造业单项冠军产品", Tier.CHAMPION), ("制造业单项冠军示范企业", Tier.CHAMPION),
    (" Champion ", Tier.CHAMPION),
])
def test_tiers_as_codes_or_chinese_names(text, tier):
    assert tier_from_text(text) == tier


def test_invalid_rows_are_reported_and_nothing_is_written(cast, tmp_path):
    content = csv_bytes([
        [cast.own.name, "little_giant", "2024-07-15", "", "首次", "", ""],
        [cast.far.name, "江苏省专精特新产品企业", "2024-07-15", "", "首次", "", ""],
        [cast.neighbour.name, "srdi", "July 2024", "", "again", "", "拟公布"],
        [cast.neighbour.name, "srdi", "2024-07-15", "", "首次", "轴承", ""],
    ])
    report = run(content, cast.city, rejects_path=tmp_path / "rejects.csv")
    assert not report.written and not Recognition.objects.exists() and not Title.objects.exists()
    by_row = {(p.row, p.column) for p in report.problems}
    assert by_row == {(3, "层级"), (4, "认定日期"), (4, "类型"), (4, "状态"), (5, "产品")}
    assert "“江苏省专精特新产品企业” is not a tier" in report.problems[0].message
    assert report.rejected_rows == 3 and "Nothing was written: 3 rows have problems" in report.summary()
    assert (tmp_path / "rejects.csv").read_text(encoding="utf-8-sig").count("\n") == 4


def test_skip_invalid_writes_the_good_rows(cast, tmp_path):
    content = csv_bytes([
        [cast.own.name, "little_giant", "2024-07-15", "", "首次", "", ""],
        [cast.far.name, "no such tier", "2024-07-15", "", "首次", "", ""],
    ])
    report = run(content, cast.city, skip_invalid=True, rejects_path=tmp_path / "rejects.csv")
    assert report.written and report.recorded == 1 and report.rejected_rows == 1
    assert Title.objects.get().enterprise == cast.own


def test_missing_columns_refuse_the_file(cast):
    with pytest.raises(Exception, match="Required columns are missing"):
        run(csv_bytes([["x", "2024-01-01"]], header=["企业名称", "认定日期"]), cast.city)


def test_real_published_names_match_their_registered_variants(cast, zhenjiang_firms):
    """Rows of the real lists: half-width parentheses, traditional characters, one group's two entities."""
    real = published_rows()
    picked = ["双峰格雷斯海姆医药玻璃(丹阳)有限公司", "江蘇恒神股份有限公司", "泰興市東圣生物科技有限公司",
              "江苏恒立液压股份有限公司", "江苏恒立液压科技有限公司", "天工国际", "江苏奇一科技有限公司"]
    rows = []
    for name in picked:
        row = real[name]
        tier = row["recognition_type"].split("(")[0].replace("江苏省专精特新产品企业", "srdi")
        kind = "复核" if "复核" in row["batch"] else "首次"
        rows.append([name, tier, f"{row['year'] or 2024}-06-30", row["batch"], kind, row["product"], "公布"])
    report = run(csv_bytes(rows), cast.city)
    assert report.ok, report.problems
    firms = zhenjiang_firms
    recorded = dict(Recognition.objects.values_list("enterprise__name", "tier"))
    assert recorded == {
        firms["shuangfeng"].name: Tier.LITTLE_GIANT,
        firms["hengshen"].name: Tier.CHAMPION,
        firms["dongsheng"].name: Tier.SRDI,
        firms["hengli"].name: Tier.CHAMPION,
        firms["hengli_tech"].name: Tier.CHAMPION,
    }
    assert Recognition.objects.get(enterprise=firms["hengshen"]).product.startswith("干喷湿纺12K")
    queued = set(RecognitionMatch.objects.values_list("name", "reason"))
    assert queued == {("天工国际", "unmatched"), ("江苏奇一科技有限公司", "unmatched")}
    assert report.warnings and report.warnings[0].column == "江苏恒立液压股份有限公司"  # 复核 without earlier title


def test_ambiguous_and_unmatched_rows_are_queued_then_resolved(cast, client):
    twin_a = EnterpriseFactory(name="镇江重名机械有限公司")
    EnterpriseFactory(name="镇江重名机械有限公司", jurisdiction=jurisdiction(DANYANG))
    content = csv_bytes([
        ["镇江重名机械有限公司", "srdi", "2024-07-15", "", "首次", "", ""],
        ["天工国际", "champion", "2018-12-01", "第三批", "首次", "高速工具钢", ""],
    ])
    report = run(content, cast.city)
    assert (report.recorded, report.queued) == (0, 2) and not Recognition.objects.exists()
    ambiguous = RecognitionMatch.objects.get(reason="ambiguous")
    assert ambiguous.candidates.count() == 2

    client.force_login(cast.city)
    page = client.get("/cases/recognitions/queue/").content.decode()
    assert "镇江重名机械有限公司" in page and "天工国际" in page
    client.post(f"/cases/recognitions/queue/{ambiguous.pk}/resolve/", {"enterprise": twin_a.pk})
    brand = RecognitionMatch.objects.get(name="天工国际")
    client.post(f"/cases/recognitions/queue/{brand.pk}/resolve/", {"credit_code": cast.far.credit_code.lower()})
    assert set(Recognition.objects.values_list("enterprise", "tier", "product")) == {
        (twin_a.pk, Tier.SRDI, ""), (cast.far.pk, Tier.CHAMPION, "高速工具钢")}
    assert not RecognitionMatch.objects.filter(state=RecognitionMatchState.OPEN).exists()
    assert "No rows wait to be matched" in client.get("/cases/recognitions/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    again = run(content, cast.city)
    assert (again.recorded, again.queued, again.already_queued) == (0, 0, 2)


def test_reimporting_the_same_list_changes_nothing(cast):
    from approvals.models import Step
    from documents.models import Document

    content = csv_bytes([
        [cast.own.name, "little_giant", "2024-07-15", "第六批", "首次", "", "公布"],
        ["没有这家公司", "srdi", "2024-07-15", "", "首次", "", ""],
    ])
    run(content, cast.city)
    counts = (Recognition.objects.count(), Title.objects.count(), RecognitionMatch.objects.count(),
              Step.objects.count(), Document.objects.count())
    report = run(content, cast.city)
    assert (report.recorded, report.unchanged, report.queued, report.already_queued) == (0, 1, 0, 1)
    assert counts == (Recognition.objects.count(), Title.objects.count(), RecognitionMatch.objects.count(),
                      Step.objects.count(), Document.objects.count())


def test_publicity_rows_create_no_title(cast):
    report = run(csv_bytes([[cast.own.name, "little_giant", "2024-07-15", "", "首次", "", "公示"]]), cast.city)
    assert report.recorded == 1 and report.titles == 0 and not Title.objects.exists()


def test_only_the_city_or_an_administrator_imports(cast):
    content = csv_bytes([[cast.own.name, "srdi", "2024-07-15", "", "首次", "", ""]])
    for user in (cast.owner, cast.district, cast.auditor, cast.finance):
        with pytest.raises(CaseError):
            run(content, user)
    assert run(content, cast.admin).recorded == 1


def test_the_command_is_all_or_nothing_unless_told(cast, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([
        [cast.own.name, "little_giant", "2024-07-15", "", "首次", "", ""],
        [cast.far.name, "bogus", "2024-07-15", "", "首次", "", ""],
    ]))
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_recognitions", str(path))
    assert not Recognition.objects.exists() and (tmp_path / "list.rejects.csv").exists()
    call_command("import_recognitions", str(path), "--skip-invalid")
    assert Recognition.objects.count() == 1 and "1 results recorded" in capsys.readouterr().out


def test_the_upload_page_is_for_city_reviewers_and_administrators(cast, client):
    content = csv_bytes([[cast.own.name, "srdi", "2024-07-15", "", "首次", "", ""]])
    for user in (cast.owner, cast.district, cast.auditor):
        client.force_login(user)
        assert client.get("/cases/recognitions/import/").status_code == 403
        assert client.get("/cases/recognitions/queue/").status_code == 403
    client.force_login(cast.city)
    response = client.post("/cases/recognitions/import/", {"file": SimpleUploadedFile("list.csv", content)})
    assert 'data-testid="import-summary"' in response.content.decode() and Recognition.objects.count() == 1
    listing = client.get("/cases/recognitions/").content.decode()
    assert cast.own.name in listing


def test_the_record_page_records_one_result(cast, client):
    client.force_login(cast.city)
    response = client.post("/cases/recognitions/record/", {
        "enterprise": cast.own.pk, "tier": "srdi", "recognized_on": "2024-07-15", "kind": "renewal",
        "status": "final", "batch": "", "product": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert Recognition.objects.get().title.tier == Tier.SRDI
    assert "not on record" in response.content.decode()


def test_pages_and_api_show_each_user_only_their_scope(cast, client):
    from workflows.services.recognition import recognition_record

    for enterprise in (cast.own, cast.neighbour, cast.far):
        recognition_record(enterprise=enterprise, tier=Tier.SRDI, recognized_on=datetime.date(2024, 7, 15),
                           kind="first", by=cast.city)
    expected = {
        cast.owner: {cast.own.name}, cast.other_owner: {cast.neighbour.name},
        cast.district: {cast.own.name, cast.neighbour.name}, cast.other_district: {cast.far.name},
        cast.city: {cast.own.name, cast.neighbour.name, cast.far.name},
    }
    for user, names in expected.items():
        client.force_login(user)
        api = client.get("/api/recognitions/").json()
        rows = api["results"] if isinstance(api, dict) else api
        assert {row["enterprise_name"] for row in rows} == names, user
        page = client.get("/cases/recognitions/").content.decode()
        assert all((name in page) == (name in names) for name in (cast.own.name, cast.neighbour.name, cast.far.name))


def test_the_api_imports_for_the_city_only(cast, client):
    content = csv_bytes([[cast.own.name, "srdi", "2024-07-15", "", "首次", "", ""]])
    client.force_login(cast.district)
    refused = client.post("/api/recognitions/import/", {"file": SimpleUploadedFile("list.csv", content)})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    client.force_login(cast.city)
    answer = client.post("/api/recognitions/import/", {"file": SimpleUploadedFile("list.csv", content)})
    assert answer.status_code == 200 and answer.json()["recorded"] == 1
    bad = client.post("/api/recognitions/import/", {"file": SimpleUploadedFile("list.csv", csv_bytes(
        [[cast.far.name, "bogus", "2024-07-15", "", "首次", "", ""]]))})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "层级"


def test_the_report_page_links_the_queued_rows_and_the_rejects(cast, client):
    content = csv_bytes([
        ["镇江查无此名机械有限公司", "srdi", "2024-07-15", "", "首次", "", ""],  # no such firm: queued for a reviewer
        [cast.own.name, "no-such-tier", "2024-07-15", "", "首次", "", ""],  # rejected
    ])
    client.force_login(cast.city)
    page = client.post("/cases/recognitions/import/", {"file": SimpleUploadedFile("list.csv", content), "skip_invalid": "on"})
    html = page.content.decode()
    assert 'href="/cases/recognitions/queue/"' in html and 'data-testid="import-rejects"' in html
    assert 'data-testid="import-problems"' in html
