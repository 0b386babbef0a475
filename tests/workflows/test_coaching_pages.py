"""Coaching plan pages: opened from the diagnosis page, worked by the enterprise, visited by the district."""

from decimal import Decimal
from html import escape

import pytest
from django.utils import timezone

from enterprises.models import AnnualMetrics
from workflows.models import CoachingPlan, Rule
from workflows.services.reports import diagnosis_report_available, diagnosis_report_context

pytestmark = pytest.mark.django_db
D = Decimal
LAST = timezone.localdate().year - 1


@pytest.fixture
def client_for(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def plan(cast, client_for):
    AnnualMetrics.objects.create(enterprise=cast.own, year=LAST, operating_revenue=D("100000000"),
                                 main_business_revenue=D("90000000"), rd_expense=D("2400000"))
    response = client_for(cast.district).post(
        f"/cultivation/diagnosis/{cast.own.pk}/open-plan/", {"tier": "innovative", "kind": "new", "owner": "王经理"}
    )
    plan = CoachingPlan.objects.get()
    assert response["Location"] == f"/cultivation/plans/{plan.pk}/"
    return plan


def test_the_enterprise_sees_its_plan_and_moves_an_item(plan, cast, client_for):
    client = client_for(cast.owner)
    page = client.get(f"/cultivation/plans/{plan.pk}/").content.decode()
    assert "王经理" in page and 'data-testid="item"' in page
    assert 'data-testid="record-activity"' not in page  # visits are the district's to record
    item = plan.items.get(rule_id="rd_ratio")
    client.post(f"/cultivation/plans/{plan.pk}/items/{item.pk}/start/")
    assert plan.items.get(pk=item.pk).status == "in_progress"
    assert client.get(f"/cultivation/plans/{plan.pk}/report/").status_code == 200


def test_other_enterprises_and_districts_cannot_reach_the_plan(plan, cast, client_for):
    assert client_for(cast.other_owner).get(f"/cultivation/plans/{plan.pk}/").status_code == 404
    assert client_for(cast.other_district).get(f"/cultivation/plans/{plan.pk}/report/").status_code == 404
    item = plan.items.first()
    assert client_for(cast.other_owner).post(f"/cultivation/plans/{plan.pk}/items/{item.pk}/drop/").status_code == 404


def test_the_district_records_a_visit_and_closes_the_plan(plan, cast, client_for):
    client = client_for(cast.district)
    client.post(f"/cultivation/plans/{plan.pk}/activity/",
                {"kind": "visit", "held_on": str(timezone.localdate()), "participants": "张三、王经理", "notes": "看研发台账"})
    assert plan.activities.get().participants == "张三、王经理"
    client.post(f"/cultivation/plans/{plan.pk}/close/", {"reason": ""})
    assert CoachingPlan.objects.get().state == "coaching"  # a reason is required
    client.post(f"/cultivation/plans/{plan.pk}/close/", {"reason": "企业转入申报"})
    assert CoachingPlan.objects.get().state == "closed"
    page = client.get(f"/cultivation/plans/{plan.pk}/").content.decode()
    assert "关闭辅导计划" in page and 'data-testid="rediagnose"' not in page


def test_the_plan_list_shows_open_plans_in_scope(plan, cast, client_for):
    assert cast.own.name in client_for(cast.city).get("/cultivation/plans/").content.decode()
    assert cast.own.name not in client_for(cast.other_district).get("/cultivation/plans/").content.decode()


def test_the_report_context_is_plain_data_for_the_documents_app(plan):
    context = diagnosis_report_context(plan)
    assert context["addressee"] == plan.enterprise.name
    table = next(block for block in context["body"] if isinstance(block, dict) and block.get("type") == "table")
    assert len(table["rows"]) == len(plan.diagnosis.result["rules"])


def test_the_official_report_is_issued_when_documents_exist(plan, cast, client_for):
    if not diagnosis_report_available():
        pytest.skip("the documents capability is not installed")
    from documents.models import Document

    client_for(cast.district).post(f"/cultivation/plans/{plan.pk}/issue_report/")
    document = Document.objects.get()
    assert (document.kind, document.enterprise_id) == ("diagnosis_report", cast.own.pk)
    client_for(cast.owner).post(f"/cultivation/plans/{plan.pk}/issue_report/")
    assert Document.objects.count() == 1  # the enterprise cannot issue it


def test_a_gap_the_data_has_met_leaves_the_report_and_its_item_says_met(plan, cast, client_for):
    item = plan.items.get(rule_id="rd_ratio")
    assert "→" in item.remedy  # "2.4% → 3%" while open
    AnnualMetrics.objects.filter(enterprise=cast.own, year=LAST).update(rd_expense=D("9000000"))
    client = client_for(cast.district)
    client.post(f"/cultivation/plans/{plan.pk}/rediagnose/")
    plan, item = CoachingPlan.objects.get(pk=plan.pk), plan.items.get(rule_id="rd_ratio")  # protected FSM fields
    assert item.met_by_data and not item.is_open
    page = client.get(f"/cultivation/plans/{plan.pk}/").content.decode()
    assert 'data-testid="item-met"' in page and item.remedy not in page  # no stale "2.4% → 3%"

    context = diagnosis_report_context(plan)
    lines = [block for block in context["body"] if isinstance(block, str)]
    assert not any(line.split("：")[0].endswith(item.label) for line in lines)
    assert not any("—，" in line or "：—" in line for line in lines)  # never "责任人: —，完成期限: —"
    table = next(block for block in context["body"] if isinstance(block, dict) and block.get("type") == "table")
    assert all(row[3] != "—" for row in table["rows"])  # requirements say 达标 / 未达标
    assert {"达标", "未达标"} & {row[3] for row in table["rows"]}


def test_an_open_gap_names_only_what_is_known_of_its_owner_and_due_date(plan):
    lines = [block for block in diagnosis_report_context(plan)["body"] if isinstance(block, str)]
    gap = next(line for line in lines if "王经理" in line)
    assert gap.endswith("（责任人：王经理）")


def test_items_and_report_read_in_the_readers_language_not_the_diagnosing_one(plan, cast, client_for):
    rule = Rule.objects.get(ruleset_id=plan.diagnosis.ruleset_id, rule_id="rd_ratio")
    assert plan.items.get(rule_id="rd_ratio").label == rule.label_zh  # diagnosed by a Chinese request
    client = client_for(cast.owner)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for url in (f"/cultivation/plans/{plan.pk}/", f"/cultivation/plans/{plan.pk}/report/"):
        page = client.get(url).content.decode()
        assert escape(rule.label_en) in page and rule.label_zh not in page, url
    # data changed without a re-diagnosis: the report stands on the record, as it was worded
    AnnualMetrics.objects.filter(enterprise=cast.own).update(rd_expense=D("9000000"))
    assert rule.label_zh in client.get(f"/cultivation/plans/{plan.pk}/report/").content.decode()
