"""Diagnosis, what-if, cultivation list and criteria pages: what each role sees, nothing more."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from enterprises.models import AnnualMetrics
from tests.factories import EnterpriseFactory, TitleFactory
from workflows.models import PoolEntry, RuleSet

pytestmark = pytest.mark.django_db
D = Decimal
LAST = timezone.localdate().year - 1


def with_metrics(enterprise, **values):
    defaults = {"operating_revenue": D("100000000"), "main_business_revenue": D("90000000"), "rd_expense": D("2400000")}
    return AnnualMetrics.objects.create(enterprise=enterprise, year=LAST, **{**defaults, **values})


def pooled(enterprise):
    return PoolEntry.objects.create(enterprise=enterprise, year=LAST + 1, source="district", statement="入库", state="pooled")


@pytest.fixture
def client_for(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def test_the_enterprise_lands_on_its_own_diagnosis_and_cannot_see_the_neighbours(cast, client_for):
    client = client_for(cast.owner)
    response = client.get("/cultivation/")
    assert response.status_code == 302 and response["Location"] == f"/cultivation/diagnosis/{cast.own.pk}/"
    assert client.get(f"/cultivation/diagnosis/{cast.own.pk}/").status_code == 200
    assert client.get(f"/cultivation/diagnosis/{cast.neighbour.pk}/").status_code == 404


def test_the_diagnosis_page_shows_every_rule_with_value_points_and_remedy(cast, client_for):
    with_metrics(cast.own)
    page = client_for(cast.district).get(f"/cultivation/diagnosis/{cast.own.pk}/?tier=innovative").content.decode()
    assert 'data-testid="rule-rd_ratio" data-status="not_met"' in page
    assert "2.4% → 3%" in page and "240万元 → 300万元" in page  # Chinese by default
    assert "得5分" in page
    assert 'data-testid="open-plan"' in page
    assert client_for(cast.district).get(f"/cultivation/diagnosis/{cast.far.pk}/").status_code == 404


def test_a_what_if_run_rescores_at_once_and_saves_nothing(cast, client_for):
    with_metrics(cast.own)
    response = client_for(cast.owner).post(
        f"/cultivation/diagnosis/{cast.own.pk}/",
        {"tier": "innovative", f"m-{LAST}-rd_expense": "5000000", f"m-{LAST}-strategic_emerging": "true"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="what-if-banner"' in page
    assert 'data-testid="rule-rd_ratio" data-status="met"' in page
    assert 'data-testid="rule-strategic" data-status="met"' in page
    assert AnnualMetrics.objects.get(enterprise=cast.own).rd_expense == D("2400000")


def test_a_what_if_value_that_cannot_be_read_is_reported(cast, client_for):
    with_metrics(cast.own)
    response = client_for(cast.owner).post(
        f"/cultivation/diagnosis/{cast.own.pk}/", {"tier": "innovative", f"m-{LAST}-rd_expense": "lots"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert "数值无效，已忽略" in response.content.decode()


def test_the_cultivation_list_ranks_the_closest_first_and_exports(cast, client_for):
    near, far_off = cast.own, cast.neighbour
    for enterprise in (near, far_off, cast.far):
        pooled(enterprise)
        TitleFactory(enterprise=enterprise, tier="innovative", recognized_on=timezone.localdate().replace(year=LAST - 1))
    with_metrics(near, rd_expense=D("6000000"))
    with_metrics(far_off, rd_expense=D("100000"))
    client = client_for(cast.district)
    page = client.get("/cultivation/ranking/?tier=srdi").content.decode()
    assert page.index(near.name) < page.index(far_off.name)
    assert cast.far.name not in page  # another district
    response = client.get("/cultivation/ranking/export.xlsx?tier=srdi")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [near.name, far_off.name]
    assert client.get(f"/cultivation/ranking/?tier=srdi&jurisdiction={cast.far.jurisdiction.code}").content.decode().count(
        'data-testid="ranking-row"') == 0


def test_holders_of_the_title_are_left_out_of_the_list(cast, client_for):
    pooled(cast.own)
    TitleFactory(enterprise=cast.own, tier="innovative", recognized_on=timezone.localdate().replace(year=LAST))
    page = client_for(cast.city).get("/cultivation/ranking/?tier=innovative").content.decode()
    assert cast.own.name not in page


def test_enterprises_do_not_get_the_cultivation_list(cast, client_for):
    assert client_for(cast.owner).get("/cultivation/ranking/").status_code == 404
    assert client_for(cast.owner).get("/cultivation/ranking/export.xlsx").status_code == 404


def test_everyone_reads_the_criteria_only_administrators_correct_them(cast, client_for):
    ruleset = RuleSet.objects.get(code="MIIT-2022", tier="innovative")
    page = client_for(cast.owner).get(f"/cultivation/criteria/{ruleset.pk}/").content.decode()
    assert "上年度研发费用占营业收入比重" in page and "figure-rules" not in page
    client_for(cast.city).post(f"/cultivation/criteria/{ruleset.pk}/", {"pass_total": "70", "note": "x"})
    assert RuleSet.objects.filter(code="MIIT-2022", tier="innovative").count() == 1
    response = client_for(cast.admin).post(
        f"/cultivation/criteria/{ruleset.pk}/",
        {"rules.rd_ratio.options.1.when.value": "3.5", "note": "核实后更正"},
    )
    revised = RuleSet.objects.get(code="MIIT-2022", tier="innovative", is_current=True)
    assert response["Location"] == f"/cultivation/criteria/{revised.pk}/"
    assert revised.version == 2 and revised.change_note == "核实后更正"
    assert client_for(cast.owner).get("/cultivation/criteria/").status_code == 200


def test_the_province_group_is_flagged_as_not_configured(cast, client_for):
    url = f"/cultivation/diagnosis/{cast.own.pk}/?tier=srdi&as_of=2026-03-01"  # MIIT-2022 in force
    assert "尚未配置" in client_for(cast.owner).get(url).content.decode()


def test_a_date_without_criteria_says_so(cast, client_for):
    page = client_for(cast.owner).get(f"/cultivation/diagnosis/{cast.own.pk}/?tier=srdi&as_of=2021-01-01")
    assert "没有适用于" in page.content.decode()


def test_finance_has_no_cultivation_area(cast, client_for):
    other = EnterpriseFactory()
    assert client_for(cast.finance).get(f"/cultivation/diagnosis/{other.pk}/").status_code in (403, 404, 302)
