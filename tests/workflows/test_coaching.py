"""Coaching plans: opened from a diagnosis, worked item by item, re-diagnosed when the data changes."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from approvals.models import Step
from enterprises.models import AnnualMetrics
from enterprises.services import metrics_save
from workflows.exceptions import CaseError
from workflows.models import CoachingActivity, CoachingItem, CoachingPlan, DiagnosisRecord
from workflows.selectors.coaching import coaching_plan_list, ready_notices
from workflows.services import coaching as services

pytestmark = pytest.mark.django_db
D = Decimal
LAST = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def short_of_innovative(enterprise):
    """Growth, debt and specialisation full (60 points); innovation 0 — below its minimum of 20."""
    AnnualMetrics.objects.create(
        enterprise=enterprise, year=LAST, operating_revenue=D("80000000"), main_business_revenue=D("72000000"),
        total_assets=D("90000000"), total_liabilities=D("40000000"), rd_expense=D("400000"),
        ip_class1_high_value_count=0, ip_class1_own_count=0, ip_class1_count=0, ip_class2_count=0,
        strategic_emerging=True, st_award_level="none", rd_institution_level="none", equity_financing=D("0"),
    )
    AnnualMetrics.objects.create(enterprise=enterprise, year=LAST - 1, main_business_revenue=D("60000000"),
                                 equity_financing=D("0"))
    AnnualMetrics.objects.create(enterprise=enterprise, year=LAST - 2, equity_financing=D("0"))


def close_the_gaps(enterprise, by):
    metrics_save(enterprise=enterprise, year=LAST, by=by,
                 values={"rd_expense": D("4000000"), "ip_class1_high_value_count": 1})


@pytest.fixture
def plan(cast):
    short_of_innovative(cast.own)
    return services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district, owner="财务部 王经理")


def test_a_district_reviewer_opens_a_plan_with_one_item_per_gap(plan, cast):
    items = {item.rule_id: item for item in plan.items.all()}
    assert set(items) == {"ip", "rd_ratio"}
    assert (items["rd_ratio"].points_lost, items["ip"].points_lost) == (20, 20)
    assert items["rd_ratio"].remedy.startswith("R&D expense as a share of revenue, last year 0.5% → 1%")
    assert {item.owner for item in items.values()} == {"财务部 王经理"}
    assert plan.state == "coaching"
    assert plan.diagnosis.ruleset.code == "MIIT-2022" and plan.diagnosis.passed is False
    step = Step.objects.get(action="coaching_plan.open")
    assert (step.actor_id, step.enterprise_id, step.state_after, step.data["items"]) == (cast.district.pk, cast.own.pk, "coaching", 2)


@pytest.mark.parametrize("who", ["owner", "other_district", "auditor", "finance"])
def test_only_the_enterprises_reviewers_open_plans(cast, who):
    short_of_innovative(cast.own)
    with pytest.raises(CaseError) as error:
        services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=getattr(cast, who))
    assert error.value.http_status == 403
    assert "Only the enterprise's district or city reviewers may do this." == str(error.value)
    assert not CoachingPlan.objects.exists() and not DiagnosisRecord.objects.exists()


def test_one_open_plan_per_tier(plan, cast):
    with pytest.raises(CaseError) as error:
        services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.city)
    assert error.value.code == "duplicate"


def test_new_metrics_re_diagnose_the_plan_and_tell_the_enterprise(plan, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        close_the_gaps(cast.own, cast.owner)
    plan.refresh_from_db()
    assert (plan.state, plan.ready_since, plan.diagnosis.passed) == ("ready", timezone.localdate(), True)
    assert {(i.rule_id, i.status, i.met_by_data) for i in plan.items.all()} == {("ip", "done", True), ("rd_ratio", "done", True)}
    notice = Step.objects.get(action="coaching_plan.ready")
    assert notice.actor_id == cast.owner.pk
    assert "is ready to apply" in notice.comment
    assert list(ready_notices(user=cast.owner, enterprise=cast.own)) == [plan]
    assert DiagnosisRecord.objects.filter(enterprise=cast.own).count() == 2


def test_a_ready_plan_falls_back_to_coaching_when_the_data_does(plan, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        close_the_gaps(cast.own, cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        metrics_save(enterprise=cast.own, year=LAST, by=cast.owner,
                     values={"rd_expense": D("400000"), "ip_class1_high_value_count": 0})
    plan.refresh_from_db()
    assert plan.state == "coaching" and plan.ready_since is None
    # reopened: the data no longer shows them met
    assert {(i.rule_id, i.status, i.met_by_data) for i in plan.items.all()} == {("ip", "open", False), ("rd_ratio", "open", False)}
    assert Step.objects.filter(action="coaching_plan.reopen").count() == 1


def test_a_plan_opened_on_a_passing_diagnosis_is_ready_at_once(cast):
    short_of_innovative(cast.own)
    AnnualMetrics.objects.filter(enterprise=cast.own, year=LAST).update(rd_expense=4_000_000 * 100, ip_class1_count=1)
    plan = services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.city)
    assert plan.state == "ready"
    assert "is ready to apply" in Step.objects.get(action="coaching_plan.open").comment


ITEM_MOVES = [
    ("open", "start", "in_progress"),
    ("open", "complete", "done"),
    ("open", "drop", "dropped"),
    ("in_progress", "complete", "done"),
    ("in_progress", "drop", "dropped"),
    ("done", "reopen", "open"),
    ("dropped", "reopen", "open"),
    ("in_progress", "start", None),
    ("done", "complete", None),
    ("done", "drop", None),
    ("dropped", "start", None),
    ("open", "reopen", None),
    ("open", "explode", None),
]


def _item_in(plan, status, by):
    item = plan.items.get(rule_id="rd_ratio")
    path = {"open": [], "in_progress": ["start"], "done": ["complete"], "dropped": ["drop"]}[status]
    for move in path:
        item = services.coaching_item_move(item=item, by=by, move=move)
    return item


@pytest.mark.parametrize(("source", "move", "target"), ITEM_MOVES)
def test_item_moves(plan, cast, source, move, target):
    item = _item_in(plan, source, cast.owner)
    if target is None:
        with pytest.raises(CaseError) as error:
            services.coaching_item_move(item=item, by=cast.owner, move=move)
        assert error.value.code == "wrong_state"
        assert CoachingItem.objects.get(pk=item.pk).status == source
    else:
        item = services.coaching_item_move(item=item, by=cast.owner, move=move, note="见附件")
        assert (item.status, item.note) == (target, "见附件")
        assert Step.objects.filter(action=f"coaching_plan.item_{move}").last().data["status"] == [source, target]


@pytest.mark.parametrize("who", ["other_owner", "other_district", "auditor"])
def test_others_cannot_move_items(plan, cast, who):
    with pytest.raises(CaseError) as error:
        services.coaching_item_move(item=plan.items.first(), by=getattr(cast, who), move="start")
    assert error.value.http_status == 403


def test_reviewers_set_owner_and_due_date_but_the_enterprise_cannot(plan, cast):
    item = plan.items.first()
    due = timezone.localdate().replace(month=12, day=31)
    item = services.coaching_item_update(item=item, by=cast.district, owner="研发中心 李工", due_on=due)
    assert (item.owner, item.due_on) == ("研发中心 李工", due)
    with pytest.raises(CaseError):
        services.coaching_item_update(item=item, by=cast.owner, owner="me", due_on=None)


def test_trainings_and_visits_are_recorded(plan, cast):
    day = timezone.localdate()
    activity = services.coaching_activity_record(plan=plan, by=cast.district, kind="visit", held_on=day,
                                                 participants="区工信局 张三；企业 王经理", notes="现场查看研发台账")
    assert (activity.kind, activity.held_on, activity.recorded_by) == ("visit", day, cast.district)
    assert Step.objects.get(action="coaching_plan.activity").data["kind"] == "visit"
    with pytest.raises(CaseError) as error:
        services.coaching_activity_record(plan=plan, by=cast.district, kind="training", held_on=day, participants=" ")
    assert str(error.value) == "Say who took part."
    with pytest.raises(CaseError):
        services.coaching_activity_record(plan=plan, by=cast.owner, kind="training", held_on=day, participants="x")


def test_a_closed_plan_takes_no_more_actions(plan, cast, django_capture_on_commit_callbacks):
    with pytest.raises(CaseError):
        services.coaching_plan_close(plan=plan, by=cast.district, reason="")
    plan = services.coaching_plan_close(plan=plan, by=cast.district, reason="企业已提交申报")
    assert (plan.state, plan.closed_reason) == ("closed", "企业已提交申报")
    with pytest.raises(CaseError) as error:
        services.coaching_item_move(item=plan.items.first(), by=cast.owner, move="start")
    assert error.value.code == "wrong_state"
    with django_capture_on_commit_callbacks(execute=True):
        close_the_gaps(cast.own, cast.owner)  # the hook leaves closed plans alone
    assert CoachingPlan.objects.get(pk=plan.pk).state == "closed"
    # a closed plan frees the tier for a new one
    assert services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district).state == "ready"


def test_opening_fails_whole_when_the_step_cannot_be_written(cast, monkeypatch):
    short_of_innovative(cast.own)

    def broken(**kwargs):
        raise RuntimeError("step log unavailable")

    monkeypatch.setattr("approvals.cases.kernel.step_record", broken)
    with pytest.raises(RuntimeError):
        services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district)
    assert not CoachingPlan.objects.exists()
    assert not CoachingItem.objects.exists()
    assert not DiagnosisRecord.objects.exists()


def test_plans_are_scoped_like_everything_else(plan, cast):
    assert list(coaching_plan_list(user=cast.owner)) == [plan]
    assert list(coaching_plan_list(user=cast.other_owner)) == []
    assert list(coaching_plan_list(user=cast.other_district)) == []
    assert list(coaching_plan_list(user=cast.auditor)) == [plan]


def test_the_demo_step_opens_a_few_plans_once(cast):
    for enterprise in (cast.own, cast.neighbour, cast.far):
        short_of_innovative(enterprise)

    class Out:
        text = ""

        def write(self, text):
            self.text += text

    services.demo_coaching_plans(stdout=Out())
    opened = CoachingPlan.objects.count()
    assert opened == 3
    assert CoachingActivity.objects.count() == 3
    services.demo_coaching_plans(stdout=Out())
    assert CoachingPlan.objects.count() == opened
