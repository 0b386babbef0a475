"""The awards and import_awards commands, the award history page and the entitlements API."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enterprises.models import Tier
from rewards.models import AwardLevel, Entitlement, PastAward
from rewards.services import entitlements_request
from tests.factories import TitleFactory

from .conftest import recognize

pytestmark = pytest.mark.django_db


def _awards_json(credit_code) -> list[dict]:
    out = StringIO()
    call_command("awards", credit_code, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_awards_command_lists_each_recognition_with_its_keys(zj2023, cast):
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2022, 7, 1))
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    lines = _awards_json(cast.own.credit_code)
    assert [line["recognized_on"] for line in lines] == ["2022-07-01", "2023-07-01"]
    assert {"tier", "recognized_on", "policy", "amount", "status", "explanation"} <= set(lines[0])
    assert lines[0]["policy"] is None and lines[0]["amount"] == "0.00"
    assert (lines[1]["policy"], lines[1]["amount"]) == ("ZJ-2023", "0.00")
    assert "非首次认定" in lines[1]["explanation_zh"]  # lost and regained: no ZJ-2023 money
    table = StringIO()
    call_command("awards", cast.own.credit_code, stdout=table)
    assert cast.own.name in table.getvalue()


def test_awards_command_shows_the_top_up(zj2023, cast):
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 12, 1))
    lines = _awards_json(cast.own.credit_code)
    assert [(line["tier"], line["policy"], line["amount"], line["status"]) for line in lines] == [
        ("little_giant", "ZJ-2023", "300000.00", "computed"),
        ("champion", "ZJ-2023", "200000.00", "computed"),
    ]


def test_awards_command_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="没有统一社会信用代码为 91320000000000000X 的企业"):
        call_command("awards", "91320000000000000X")


def test_import_awards_happy_path_counts_and_then_deducts(zj2023, cast, tmp_path):
    path = tmp_path / "awards.csv"
    path.write_text(
        "统一社会信用代码,层级,金额,级别,发放日期\n"
        f"{cast.own.credit_code},小巨人,300000,市级,2021-05-10\n"
        f"{cast.neighbour.credit_code},little_giant,\"1,000,000\",国家级,2022/03/01\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_awards", str(path), stdout=out)
    assert "2" in out.getvalue()
    award = PastAward.objects.get(enterprise=cast.own)
    assert (award.tier, award.amount, award.level) == (Tier.LITTLE_GIANT, Decimal("300000.00"), AwardLevel.CITY)
    call_command("import_awards", str(path), stdout=StringIO())  # again: nothing new
    assert PastAward.objects.count() == 2
    _title, [champion] = recognize(cast.own, Tier.CHAMPION, datetime.date(2024, 1, 1))
    assert champion.amount == Decimal("200000.00")


def test_import_awards_bad_row_writes_nothing_unless_skipped(cast, tmp_path):
    path = tmp_path / "awards.csv"
    path.write_text(
        "credit_code,tier,amount,level,awarded_on\n"
        f"{cast.own.credit_code},champion,500000,national,2021-05-10\n"
        f"{cast.neighbour.credit_code},champion,500000,世界级,2021-05-10\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据：1 行有问题"):
        call_command("import_awards", str(path), stderr=err)
    assert "第 3 行，level" in err.getvalue() and "世界级" in err.getvalue()
    assert not PastAward.objects.exists()
    call_command("import_awards", str(path), "--skip-invalid", stdout=StringIO(), stderr=StringIO())
    assert PastAward.objects.count() == 1


def test_entitlements_request_computes_only_after_commit(zj2023, cast, django_capture_on_commit_callbacks):
    title = TitleFactory(enterprise=cast.own, tier=Tier.LITTLE_GIANT, recognized_on=datetime.date(2024, 6, 1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entitlements_request(title=title)
    assert len(callbacks) == 1 and not Entitlement.objects.exists()
    callbacks[0]()
    assert Entitlement.objects.get(title=title).amount == Decimal("300000.00")


def test_award_page_is_scoped(zj2023, cast, client):
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    client.force_login(cast.owner)
    page = client.get("/rewards/awards/").content.decode()
    assert "ZJ-2023" in page and "30万元" in page
    client.force_login(cast.other_owner)
    assert "ZJ-2023" not in client.get(f"/rewards/awards/?enterprise={cast.own.pk}").content.decode()
    client.force_login(cast.other_district)
    assert client.get(f"/rewards/awards/?enterprise={cast.own.pk}").status_code == 404
    client.force_login(cast.district)
    assert client.get(f"/rewards/awards/?enterprise={cast.own.pk}").status_code == 200


def test_entitlements_api_is_scoped_with_decimal_strings(zj2023, cast):
    from rest_framework.test import APIClient

    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    recognize(cast.far, Tier.LITTLE_GIANT, datetime.date(2023, 7, 1))
    api = APIClient()
    api.force_authenticate(cast.owner)
    body = api.get("/api/entitlements/").json()
    rows = body.get("results", body)
    assert [(r["credit_code"], r["amount"], r["policy"]) for r in rows] == [
        (cast.own.credit_code, "300000.00", "ZJ-2023")
    ]
    api.force_authenticate(cast.other_district)
    rows = api.get("/api/entitlements/").json()
    assert [r["credit_code"] for r in rows.get("results", rows)] == [cast.far.credit_code]
