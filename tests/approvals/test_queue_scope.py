"""Who sees which queue tasks, counts, and a queue page's constant query count."""

import datetime

import pytest
from django.utils import timezone

from approvals.selectors import queue_counts, queue_for_user
from approvals.services import queue_task_claim, queue_task_close
from tests.factories import EnterpriseFactory, jurisdiction

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(cast, open_task):
    """One task of every kind of scope."""
    return {
        "own_district": open_task(cast.own),
        "neighbour_district": open_task(cast.neighbour),
        "far_district": open_task(cast.far),
        "city": open_task(cast.far, role="city_reviewer", kind="test.city_review"),
        "finance": open_task(cast.own, role="finance", kind="test.payout"),
        "own_enterprise": open_task(cast.own, role="enterprise", kind="test.revise"),
        "neighbour_enterprise": open_task(cast.neighbour, role="enterprise", kind="test.revise"),
    }


SCOPES = {
    "district": {"own_district", "neighbour_district"},
    "other_district": {"far_district"},
    "city": {"city"},
    "finance": {"finance"},
    "owner": {"own_enterprise"},
    "other_owner": {"neighbour_enterprise"},
    "auditor": set(),
    "admin": {"own_district", "neighbour_district", "far_district", "city", "finance", "own_enterprise",
              "neighbour_enterprise"},
}


@pytest.mark.parametrize("who", SCOPES)
def test_each_user_sees_the_tasks_of_their_role_and_jurisdiction(cast, tasks, who):
    seen = set(queue_for_user(user=getattr(cast, who)).values_list("pk", flat=True))
    assert seen == {tasks[name].pk for name in SCOPES[who]}


def test_escalated_district_tasks_reach_the_city_queue(cast, tasks):
    escalated = tasks["far_district"]
    escalated.escalate(at=timezone.now())
    escalated.save()
    assert set(queue_for_user(user=cast.city)) == {tasks["city"], tasks["far_district"]}
    assert set(queue_for_user(user=cast.other_district)) == {tasks["far_district"]}


def test_closed_tasks_leave_the_queue_and_filters_apply(cast, tasks):
    queue_task_close(queue_task=tasks["own_district"], outcome="approved")
    assert set(queue_for_user(user=cast.district)) == {tasks["neighbour_district"]}
    assert set(queue_for_user(user=cast.district, status="done")) == {tasks["own_district"]}
    assert not queue_for_user(user=cast.admin, kind="test.nothing").exists()


def test_counts_open_mine_and_overdue(cast, open_task):
    open_task(cast.own)
    claimed = queue_task_claim(queue_task=open_task(cast.neighbour), by=cast.district)
    late = open_task(cast.own, kind="test.other_review")
    type(late).objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    open_task(cast.far)
    assert queue_counts(user=cast.district) == {"open": 3, "mine": 1, "overdue": 1}
    assert claimed.claimed_by == cast.district
    assert queue_counts(user=cast.auditor) == {"open": 0, "mine": 0, "overdue": 0}


def test_a_page_of_the_queue_costs_the_same_queries_however_many_tasks(cast, open_task, django_assert_max_num_queries):
    for _ in range(30):
        enterprise = EnterpriseFactory(jurisdiction=jurisdiction("321102"))
        queue_task_claim(queue_task=open_task(enterprise), by=cast.district)
    with django_assert_max_num_queries(1):
        rows = [(t.title, t.enterprise.name, t.jurisdiction.name, t.claimed_by.username)
                for t in queue_for_user(user=cast.district)[:20]]
    assert len(rows) == 20


def test_the_database_keeps_status_and_city_queue_consistent(cast, tasks):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        type(tasks["city"]).objects.filter(pk=tasks["city"].pk).update(in_city_queue=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(tasks["city"]).objects.filter(pk=tasks["city"].pk).update(closed_at=timezone.now())


def test_sla_sets_a_due_date_on_working_days(cast, open_task):
    task = open_task(cast.own, sla_working_days=5)
    assert task.due_on > timezone.localdate()
    assert open_task(cast.neighbour).due_on is None


def test_workers_counts_are_live_and_the_city_figures_for_administrators_are_reused(cast, open_task):
    from django.core.cache import cache

    cache.clear()
    open_task(cast.own)
    assert queue_counts(user=cast.admin)["open"] == 1
    open_task(cast.neighbour)
    assert queue_counts(user=cast.district)["open"] == 2  # a reviewer's counts are exact
    assert queue_counts(user=cast.admin)["open"] == 1  # the whole-city figure is a minute old at most
    cache.clear()
    assert queue_counts(user=cast.admin)["open"] == 2
