"""Claiming, releasing, reassigning and acting on queue tasks: who may, and what it leaves behind."""

import pytest
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from approvals.exceptions import QueueError
from approvals.models import QueueTaskStatus
from approvals.services import (
    queue_task_claim,
    queue_task_close,
    queue_task_for_action,
    queue_task_reassign,
    queue_task_release,
    queue_tasks_cancel,
)
from steplog.models import Step
from tests.concurrency import race

pytestmark = pytest.mark.django_db

# who → may claim a district task of 京口区 (cast.own's jurisdiction)?
CLAIMERS = {
    "district": True,
    "other_district": False,
    "city": False,
    "finance": False,
    "owner": False,
    "auditor": False,
    "admin": False,
}


@pytest.mark.parametrize("who", CLAIMERS)
def test_claim_table(cast, open_task, who):
    task = open_task(cast.own)
    user = getattr(cast, who)
    if CLAIMERS[who]:
        claimed = queue_task_claim(queue_task=task, by=user)
        assert claimed.status == QueueTaskStatus.CLAIMED and claimed.claimed_by == user
        step = Step.objects.get(action="queue.claim")
        assert (step.state_before, step.state_after, step.actor) == ("open", "claimed", user)
        assert step.object_type == "enterprises.enterprise" and step.object_id == str(cast.own.pk)
    else:
        with pytest.raises(QueueError) as refused:
            queue_task_claim(queue_task=task, by=user)
        assert refused.value.http_status == 403
        assert not Step.objects.filter(action="queue.claim").exists()


def test_city_tasks_are_claimed_by_city_reviewers_only(cast, open_task):
    task = open_task(cast.far, role="city_reviewer")
    assert task.jurisdiction is None
    with pytest.raises(QueueError):
        queue_task_claim(queue_task=task, by=cast.other_district)
    assert queue_task_claim(queue_task=task, by=cast.city).claimed_by == cast.city


def test_enterprise_tasks_belong_to_their_enterprise(cast, open_task):
    task = open_task(cast.own, role="enterprise")
    with pytest.raises(QueueError):
        queue_task_claim(queue_task=task, by=cast.other_owner)
    assert queue_task_claim(queue_task=task, by=cast.owner).status == QueueTaskStatus.CLAIMED


def test_second_claimer_is_told_who_holds_it(cast, open_task, settings):
    settings.LANGUAGE_CODE = "en"
    colleague = type(cast.district).objects.create(
        username="colleague", role="district_reviewer", jurisdiction=cast.district.jurisdiction, first_name="Li"
    )
    task = open_task(cast.own)
    queue_task_claim(queue_task=task, by=cast.district)
    with pytest.raises(QueueError) as refused:
        queue_task_claim(queue_task=task, by=colleague)
    assert refused.value.http_status == 409
    assert "jingkou_reviewer" in str(refused.value)


def test_claiming_twice_by_the_same_reviewer_changes_nothing(cast, open_task):
    task = open_task(cast.own)
    queue_task_claim(queue_task=task, by=cast.district)
    queue_task_claim(queue_task=task, by=cast.district)
    assert Step.objects.filter(action="queue.claim").count() == 1


# who → may release a task claimed by cast.district?
RELEASERS = {"district": True, "admin": True, "city": False, "other_district": False, "auditor": False}


@pytest.mark.parametrize("who", RELEASERS)
def test_release_table(cast, open_task, who):
    task = queue_task_claim(queue_task=open_task(cast.own), by=cast.district)
    if RELEASERS[who]:
        released = queue_task_release(queue_task=task, by=getattr(cast, who))
        assert released.status == QueueTaskStatus.OPEN and released.claimed_by is None
        assert Step.objects.filter(action="queue.release", actor=getattr(cast, who)).count() == 1
    else:
        with pytest.raises(QueueError):
            queue_task_release(queue_task=task, by=getattr(cast, who))
        task.refresh_from_db()
        assert task.claimed_by == cast.district


def test_releasing_an_unclaimed_task_is_refused(cast, open_task):
    with pytest.raises(QueueError):
        queue_task_release(queue_task=open_task(cast.own), by=cast.admin)


# who reassigns → to whom → allowed?
REASSIGNMENTS = [
    ("admin", "district", True),
    ("admin", "other_district", False),  # wrong jurisdiction
    ("admin", "city", False),  # wrong role (not escalated)
    ("district", "district", False),  # only administrators reassign
    ("city", "district", False),
]


@pytest.mark.parametrize("by,to,allowed", REASSIGNMENTS)
def test_reassign_table(cast, open_task, by, to, allowed):
    task = open_task(cast.own)
    if allowed:
        task = queue_task_reassign(queue_task=task, to=getattr(cast, to), by=getattr(cast, by))
        assert task.claimed_by == getattr(cast, to)
        step = Step.objects.get(action="queue.reassign")
        assert step.actor == cast.admin and step.data["to"] == getattr(cast, to).username
    else:
        with pytest.raises(QueueError):
            queue_task_reassign(queue_task=task, to=getattr(cast, to), by=getattr(cast, by))
        assert not Step.objects.filter(action="queue.reassign").exists()


def test_acting_claims_an_open_task_without_a_step_of_its_own(cast, open_task):
    open_task(cast.own)
    task = queue_task_for_action(case=cast.own, kind="test.review", by=cast.district)
    assert task.status == QueueTaskStatus.CLAIMED and task.claimed_by == cast.district
    assert not Step.objects.exists()


def test_acting_on_a_decided_step_is_refused(cast, open_task, settings):
    settings.LANGUAGE_CODE = "en"
    task = open_task(cast.own)
    queue_task_close(queue_task=queue_task_for_action(case=cast.own, kind="test.review", by=cast.district), outcome="approved")
    with pytest.raises(QueueError, match="already decided") as refused:
        queue_task_for_action(case=cast.own, kind="test.review", by=cast.district)
    assert refused.value.http_status == 409
    task.refresh_from_db()
    assert (task.status, task.outcome) == (QueueTaskStatus.DONE, "approved") and task.closed_at


def test_acting_outside_ones_scope_or_on_anothers_claim_is_refused(cast, open_task):
    open_task(cast.own)
    with pytest.raises(QueueError) as outside:
        queue_task_for_action(case=cast.own, kind="test.review", by=cast.other_district)
    assert outside.value.http_status == 403
    colleague = type(cast.district).objects.create(
        username="colleague", role="district_reviewer", jurisdiction=cast.district.jurisdiction
    )
    queue_task_for_action(case=cast.own, kind="test.review", by=cast.district)
    with pytest.raises(QueueError) as taken:
        queue_task_for_action(case=cast.own, kind="test.review", by=colleague)
    assert taken.value.http_status == 409


def test_the_refusal_reads_in_chinese_by_default(cast, open_task):
    with pytest.raises(QueueError) as refused:
        queue_task_for_action(case=cast.own, kind="test.review", by=cast.district)
    assert str(refused.value) == "该步骤已经处理过了。"


def test_cancel_closes_every_active_task_of_the_case(cast, open_task):
    open_task(cast.own)
    open_task(cast.own, role="city_reviewer", kind="test.city_review")
    open_task(cast.neighbour)
    assert queue_tasks_cancel(case=cast.own) == 2
    assert queue_tasks_cancel(case=cast.own) == 0
    with pytest.raises(QueueError):
        queue_task_for_action(case=cast.own, kind="test.review", by=cast.district)


def test_claim_and_release_keep_the_workflow_task_in_step(cast, open_task):
    process = Process.objects.create(flow_class="")  # no flow needed to mirror the claim
    workflow_task = Task.objects.create(process=process, flow_task_type="HUMAN")
    task = open_task(cast.own, task=workflow_task)

    task = queue_task_claim(queue_task=task, by=cast.district)
    workflow_task.refresh_from_db()
    assert (workflow_task.owner, workflow_task.status) == (cast.district, STATUS.ASSIGNED)
    assert workflow_task.assigned == task.claimed_at

    queue_task_release(queue_task=task, by=cast.district)
    workflow_task.refresh_from_db()
    assert (workflow_task.owner, workflow_task.status, workflow_task.assigned) == (None, STATUS.NEW, None)


@pytest.mark.postgres
def test_concurrent_claims_leave_one_claimer(step_log_flushable, cast, open_task):
    from enterprises.models import User

    task = open_task(cast.own)
    reviewers = [cast.district] + [
        User.objects.create(username=f"colleague{n}", role="district_reviewer", jurisdiction=cast.district.jurisdiction)
        for n in range(7)
    ]
    results = race([lambda user=user: queue_task_claim(queue_task=task, by=user) and user for user in reviewers])
    outcomes = [
        ("refused", r.code) if isinstance(r, QueueError) else ("ok", r.username) for r in results
    ]
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 7
    assert {code for kind, code in outcomes if kind == "refused"} == {"already_claimed"}
    task.refresh_from_db()
    assert task.claimed_by.username == next(name for kind, name in outcomes if kind == "ok")
    assert Step.objects.filter(action="queue.claim").count() == 1


def test_opening_the_same_task_twice_gives_the_same_task(cast, open_task):
    first = open_task(cast.own)
    assert open_task(cast.own) == first
    queue_task_close(queue_task=first, outcome="returned")
    assert open_task(cast.own) != first  # a new round of review is a new task
