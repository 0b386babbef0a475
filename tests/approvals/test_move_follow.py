"""Open tasks follow the enterprise when it moves; every action checks scope when it acts."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from approvals.models import QueueTask, QueueTaskStatus
from approvals.selectors import queue_for_user
from approvals.services import queue_task_claim, queue_tasks_bulk_approve
from enterprises.services import enterprise_move
from steplog.models import Step
from tests.factories import jurisdiction
from workflows.models import PoolEntryState
from workflows.services import pool as pool_services

pytestmark = pytest.mark.django_db
DANYANG = "321181"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def entry(cast):
    """A pool entry of ``cast.own`` (京口区) waiting for its district's review."""
    return pool_services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="精密轴承")


def district_task(entry) -> QueueTask:
    return QueueTask.objects.get(case_type="workflows.poolentry", case_id=str(entry.pk), closed_at__isnull=True)


def move_to_danyang(cast, effective_on=None):
    return enterprise_move(
        enterprise=cast.own,
        to=cast.other_district.jurisdiction,
        effective_on=effective_on or timezone.localdate(),
        by=cast.city,
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_open_district_task_moves_with_one_step(cast, entry):
    task = district_task(entry)
    assert task.jurisdiction == cast.own.jurisdiction
    move_to_danyang(cast)
    task.refresh_from_db()
    assert task.jurisdiction == cast.other_district.jurisdiction and task.status == QueueTaskStatus.OPEN
    [step] = Step.objects.filter(action="queue.follow_move")
    assert step.object_id == str(entry.pk) and step.actor_id == cast.city.pk
    assert step.data["from"] == cast.district.jurisdiction.code and step.data["to"] == DANYANG
    assert list(Step.objects.filter(action__in=["enterprise.move", "queue.follow_move"]).values_list("action", flat=True)
                .order_by("seq")) == ["enterprise.move", "queue.follow_move"]


def test_a_claim_by_the_old_district_is_released(cast, entry):
    task = queue_task_claim(queue_task=district_task(entry), by=cast.district)
    move_to_danyang(cast)
    task.refresh_from_db()
    assert (task.status, task.claimed_by, task.jurisdiction) == (
        QueueTaskStatus.OPEN, None, cast.other_district.jurisdiction
    )
    step = Step.objects.get(action="queue.follow_move")
    assert (step.state_before, step.state_after, step.data["released"]) == ("claimed", "open", "jingkou_reviewer")
    assert task.task.owner is None  # viewflow's row follows the release


def test_the_old_district_loses_the_task_everywhere(client, cast, entry):
    task = district_task(entry)
    move_to_danyang(cast)

    assert not queue_for_user(user=cast.district).filter(pk=task.pk).exists()
    [outcome] = queue_tasks_bulk_approve(queue_task_ids=[task.pk], by=cast.district, comment="ok")
    assert not outcome.ok and outcome.message == "This task is not in your queue any more."
    client.force_login(cast.district)
    queue_page = client.get(reverse("queue:index")).content.decode()
    assert cast.own.name not in queue_page
    assert client.get(reverse("pool:detail", args=[entry.pk])).status_code == 404
    assert client.post(reverse("pool:act", args=[entry.pk, "district_approve"]), {"comment": "ok"}).status_code == 404
    assert api(cast.district).post(f"/api/pool-entries/{entry.pk}/decide/district_approve/", {}).status_code == 404
    client.post(reverse("queue:bulk_approve"), {"tasks": [task.pk], "comment": "ok"})
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.DISTRICT_REVIEW
    assert district_task(entry).status == QueueTaskStatus.OPEN


def test_the_new_district_sees_and_decides(client, cast, entry):
    task = district_task(entry)
    move_to_danyang(cast)
    assert list(queue_for_user(user=cast.other_district)) == [task]
    client.force_login(cast.other_district)
    assert cast.own.name in client.get(reverse("queue:index")).content.decode()
    assert client.get(reverse("pool:detail", args=[entry.pk])).status_code == 200
    response = api(cast.other_district).post(f"/api/pool-entries/{entry.pk}/decide/district_approve/", {})
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.CITY_REVIEW


def test_the_new_district_can_bulk_approve(client, cast, entry):
    task = district_task(entry)
    move_to_danyang(cast)
    client.force_login(cast.other_district)
    client.post(reverse("queue:bulk_approve"), {"tasks": [task.pk], "comment": "材料齐全"})
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.CITY_REVIEW


def test_bulk_approve_checks_scope_when_it_acts_not_when_it_selects(cast, entry):
    """The move lands between the bulk approval's selection and its action on the task."""
    from approvals.services import queues

    task = district_task(entry)
    real = queues.bulk_action

    def move_first(kind):
        action = real(kind)

        def func(**kwargs):
            move_to_danyang(cast)
            return action.func(**kwargs)

        return mock.Mock(func=func)

    with mock.patch.object(queues, "bulk_action", move_first):
        [outcome] = queue_tasks_bulk_approve(queue_task_ids=[task.pk], by=cast.district, comment="ok")
    assert not outcome.ok and outcome.message == "This task is not in your queue."
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.DISTRICT_REVIEW


def test_a_future_dated_move_moves_the_tasks_now(cast, entry):
    """The registry applies every move at once; ``effective_on`` dates the history only."""
    move_to_danyang(cast, effective_on=timezone.localdate() + datetime.timedelta(days=30))
    assert district_task(entry).jurisdiction == cast.other_district.jurisdiction


def test_tasks_that_are_not_district_bound_stay(cast, entry):
    pool_services.pool_entry_district_approve(entry=entry, by=cast.district)
    city_task = district_task(entry)
    assert city_task.role == "city_reviewer"
    move_to_danyang(cast)
    city_task.refresh_from_db()
    assert city_task.jurisdiction is None
    assert not Step.objects.filter(action="queue.follow_move").exists()


def test_other_enterprises_tasks_stay(cast, entry):
    other = pool_services.pool_entry_propose(enterprise=cast.neighbour, by=cast.other_owner, statement="邻居")
    move_to_danyang(cast)
    assert district_task(other).jurisdiction == cast.district.jurisdiction


def test_a_failing_hook_undoes_the_move(cast, entry, settings):
    settings.TIDU_JURISDICTION_MOVED_HOOKS = [
        "approvals.services.queues.queue_tasks_follow_move",
        "tests.approvals.test_move_follow.refusing_hook",
    ]
    with pytest.raises(IntegrityError):
        move_to_danyang(cast)
    cast.own.refresh_from_db()
    assert cast.own.jurisdiction == cast.district.jurisdiction
    assert district_task(entry).jurisdiction == cast.district.jurisdiction
    assert not Step.objects.filter(action__in=["enterprise.move", "queue.follow_move"]).exists()


def refusing_hook(*, move, by):
    raise IntegrityError("refused")


def test_danyang_is_the_other_district(cast):
    assert cast.other_district.jurisdiction == jurisdiction(DANYANG)


def test_a_move_by_list_import_moves_the_tasks_too(cast, entry, settings, tmp_path):
    from enterprises.services import enterprises_import
    from tests.enterprises.import_files import csv_bytes

    settings.VAR_DIR = tmp_path
    rows = [["统一社会信用代码", "企业名称", "所属地区"], [cast.own.credit_code, cast.own.name, DANYANG]]
    report = enterprises_import(rows_source=csv_bytes(rows), file_name="list.csv", by=cast.city)
    assert report.written and report.enterprises_moved == 1
    assert district_task(entry).jurisdiction == cast.other_district.jurisdiction
    assert Step.objects.get(action="queue.follow_move").actor_id == cast.city.pk
