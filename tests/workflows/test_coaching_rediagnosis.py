"""A criteria correction re-diagnoses the open coaching plans the replaced figures measured."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from approvals.models import Step
from tests.workflows.test_coaching import short_of_innovative
from workflows.models import CoachingPlan, RuleSet
from workflows.selectors.coaching import REDIAGNOSIS_PROGRESS_KEY, coaching_plans_stale
from workflows.services import coaching
from workflows.services.diagnosis import ruleset_revise
from workflows.services.rediagnosis import coaching_rediagnosis_owed

pytestmark = pytest.mark.django_db
# The lowest band of the R&D-ratio rule moves from 1% down to 0.5%: the plan's enterprise, at 0.5%,
# now earns 5 of its 20 points, and the remedy names the next band.
LOWER_BAND = {"rules.rd_ratio.options.3.when.value": "0.5"}


@pytest.fixture
def plan(cast):
    short_of_innovative(cast.own)
    with translation.override("en"):
        return coaching.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district)


@pytest.fixture(autouse=True)
def no_run_left():
    cache.delete(REDIAGNOSIS_PROGRESS_KEY)
    yield
    cache.delete(REDIAGNOSIS_PROGRESS_KEY)


def current_ruleset():
    return RuleSet.objects.get(code="MIIT-2022", tier="innovative", is_current=True)


def rd_item(plan):
    return plan.items.get(rule_id="rd_ratio")


def test_a_correction_re_diagnoses_the_open_plans_it_measured(plan, cast, django_capture_on_commit_callbacks):
    assert rd_item(plan).points_lost == 20
    with django_capture_on_commit_callbacks(execute=True):
        revised = ruleset_revise(ruleset=current_ruleset(), by=cast.admin, changes=LOWER_BAND, note="省厅口径")

    plan.refresh_from_db()
    assert plan.diagnosis.ruleset == revised
    item = rd_item(plan)
    assert item.points_lost == 15 and "0.5% → 2%" in item.remedy  # the item now reads the corrected bands
    step = Step.objects.get(action="coaching_plan.rediagnose")
    assert (step.actor_id, step.object_id, step.enterprise_id) == (None, str(plan.pk), cast.own.pk)
    assert not coaching_plans_stale().exists()
    assert cache.get(REDIAGNOSIS_PROGRESS_KEY) is None


def test_closed_plans_and_plans_on_other_criteria_are_left_alone(plan, cast, django_capture_on_commit_callbacks):
    coaching.coaching_plan_close(plan=plan, by=cast.district, reason="企业放弃")
    with django_capture_on_commit_callbacks(execute=True):
        ruleset_revise(ruleset=current_ruleset(), by=cast.admin, changes=LOWER_BAND, note="x")
    assert not Step.objects.filter(action="coaching_plan.rediagnose").exists()
    assert CoachingPlan.objects.get().diagnosis.ruleset.version == 1  # a closed plan keeps what it was measured by


def test_what_a_lost_worker_left_is_owed_and_swept_once(plan, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # committed, but the worker never ran
        revised = ruleset_revise(ruleset=current_ruleset(), by=cast.admin, changes=LOWER_BAND, note="x")
    assert list(coaching_plans_stale()) == [plan]
    assert coaching_rediagnosis_owed() == {"coaching_plans_rediagnosed": 0}  # within the worker's grace

    RuleSet.objects.filter(pk=revised.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert coaching_rediagnosis_owed() == {"coaching_plans_rediagnosed": 1}
    assert coaching_rediagnosis_owed() == {"coaching_plans_rediagnosed": 0}
    assert Step.objects.filter(action="coaching_plan.rediagnose").count() == 1
    plan.refresh_from_db()
    assert plan.diagnosis.ruleset == revised


def test_the_administrator_is_told_and_sees_the_progress(plan, cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    v1 = current_ruleset()
    with django_capture_on_commit_callbacks(execute=False):  # the run is queued, not yet done
        response = client.post(f"/cultivation/criteria/{v1.pk}/",
                               {"rules.rd_ratio.options.3.when.value": "0.5", "note": "核实后更正"}, follow=True)
    page = response.content.decode()
    assert "已保存为第2版。" in page and "按旧版本诊断的 1 个在办培育计划将按新版本重新诊断。" in page
    assert "1 个在办培育计划仍按已被替换的版本诊断" in page  # owed, nothing running

    cache.set(REDIAGNOSIS_PROGRESS_KEY, 3)  # the worker started with three plans; two are done
    page = client.get(f"/cultivation/criteria/{current_ruleset().pk}/").content.decode()
    assert 'data-testid="rediagnosis"' in page and "<progress max=\"3\" value=\"2\">" in page
    assert client.get("/cultivation/criteria/rediagnosis/progress/").json() == {"done": 2, "total": 3, "finished": False}
    cache.delete(REDIAGNOSIS_PROGRESS_KEY)
    assert client.get("/cultivation/criteria/rediagnosis/progress/").json()["finished"] is True


@pytest.mark.parametrize("who", ["city", "district", "owner", "auditor"])
def test_only_administrators_see_the_rediagnosis(plan, cast, client, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        revised = ruleset_revise(ruleset=current_ruleset(), by=cast.admin, changes=LOWER_BAND, note="x")
    client.force_login(getattr(cast, who))
    assert 'data-testid="rediagnosis"' not in client.get(f"/cultivation/criteria/{revised.pk}/").content.decode()
    assert client.get("/cultivation/criteria/rediagnosis/progress/").status_code == 404
