"""Concurrent clicks on PostgreSQL: one plan per tier, one re-diagnosis at a time, one correction per version."""

import pytest

from approvals.models import Step
from enterprises.exceptions import DomainError
from tests.concurrency import race
from tests.factories import UserFactory
from workflows.models import CoachingPlan, RuleSet
from workflows.services import coaching as services
from workflows.services.diagnosis import ruleset_revise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_opening_a_plan_at_once_make_one(step_log_flushable, cast):
    colleague = UserFactory(username="jingkou_colleague", district=True)
    results = race([
        lambda: services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district),
        lambda: services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=colleague),
    ])
    assert sum(isinstance(r, CoachingPlan) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert CoachingPlan.objects.count() == 1
    assert Step.objects.filter(action="coaching_plan.open").count() == 1


def test_two_administrators_correcting_one_version_make_one_new_version(step_log_flushable, cast):
    other_admin = UserFactory(username="admin2", admin=True)
    v1 = RuleSet.objects.get(code="MIIT-2022", tier="innovative")
    results = race([
        lambda: ruleset_revise(ruleset=v1, by=cast.admin, changes={"pass_total": "61"}, note="a"),
        lambda: ruleset_revise(ruleset=v1, by=other_admin, changes={"pass_total": "62"}, note="b"),
    ])
    assert sum(isinstance(r, RuleSet) for r in results) == 1, results
    assert RuleSet.objects.filter(code="MIIT-2022", tier="innovative").count() == 2
    assert RuleSet.objects.filter(code="MIIT-2022", tier="innovative", is_current=True).count() == 1


def test_concurrent_re_diagnoses_each_leave_one_step(step_log_flushable, cast):
    plan = services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district)
    results = race([
        lambda: services.coaching_plan_rediagnose(plan=plan, by=cast.district),
        lambda: services.coaching_plan_rediagnose(plan=plan, by=cast.owner),
    ])
    assert all(isinstance(r, CoachingPlan) for r in results), results
    assert Step.objects.filter(action__startswith="coaching_plan.").count() == 3
