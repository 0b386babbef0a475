"""The queue pages and API: tabs, counts in the navigation, claim/release, bulk approval, reassignment."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import QueueTask, QueueTaskStatus
from approvals.selectors import QueuePaginator, queue_for_user
from approvals.services import queue_task_claim, queue_task_close
from steplog.models import Step
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_queue_page_lists_the_scope_with_labels_and_counts(client, cast, open_task, approve_kind):
    open_task(cast.own)
    late = open_task(cast.neighbour)
    QueueTask.objects.filter(pk=late.pk).update(due_on=datetime.date(2026, 1, 5), due_provisional=True)
    open_task(cast.far)
    client.force_login(cast.district)
    response = client.get(reverse("queue:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="queue-row"') == 2
    assert "Test review" in html and "/cases/test/" in html
    assert 'data-testid="overdue"' in html and "暂定" in html
    assert 'data-testid="nav-queue-counts"' in html and "2 项待办" in html


def test_tabs_mine_and_overdue(client, cast, open_task):
    queue_task_claim(queue_task=open_task(cast.own), by=cast.district)
    open_task(cast.neighbour)
    client.force_login(cast.district)
    assert client.get(reverse("queue:index") + "?tab=mine").content.decode().count('data-testid="queue-row"') == 1
    assert client.get(reverse("queue:index") + "?tab=overdue").content.decode().count('data-testid="queue-row"') == 0


def test_claim_and_release_from_the_page(client, cast, open_task):
    task = open_task(cast.own)
    client.force_login(cast.district)
    client.post(reverse("queue:claim", args=[task.pk]), {"next": "/queue/?tab=mine"})
    task.refresh_from_db()
    assert task.claimed_by == cast.district
    response = client.post(reverse("queue:release", args=[task.pk]), follow=True)
    task.refresh_from_db()
    assert task.status == QueueTaskStatus.OPEN
    assert "任务已释放" in response.content.decode()


def test_a_second_claim_tells_who_has_it(client, cast, open_task):
    task = queue_task_claim(queue_task=open_task(cast.own), by=cast.district)
    colleague = type(cast.district).objects.create(
        username="colleague", role="district_reviewer", jurisdiction=cast.district.jurisdiction
    )
    client.force_login(colleague)
    response = client.post(reverse("queue:claim", args=[task.pk]), follow=True)
    assert "已被 jingkou_reviewer 认领" in response.content.decode()


def test_out_of_scope_tasks_do_not_exist(client, cast, open_task):
    task = open_task(cast.far)
    client.force_login(cast.district)
    assert client.post(reverse("queue:claim", args=[task.pk])).status_code == 404


def test_the_next_parameter_cannot_leave_the_site(client, cast, open_task):
    task = open_task(cast.own)
    client.force_login(cast.district)
    response = client.post(reverse("queue:claim", args=[task.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("queue:index")


def test_bulk_approve_reports_each_task(client, cast, open_task, approve_kind):
    good = open_task(cast.own)
    bad = open_task(EnterpriseFactory(name="refuse me 有限公司"))
    client.force_login(cast.district)
    response = client.post(
        reverse("queue:bulk_approve"), {"tasks": [good.pk, bad.pk], "comment": "材料齐全"}, follow=True
    )
    html = response.content.decode()
    assert "1 个任务已批准" in html and "refused by the case" in html
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == (QueueTaskStatus.DONE, QueueTaskStatus.OPEN)
    assert Step.objects.get(action="test.approve").comment == "材料齐全"


def test_bulk_approve_needs_a_comment(client, cast, open_task, approve_kind):
    task = open_task(cast.own)
    client.force_login(cast.district)
    client.post(reverse("queue:bulk_approve"), {"tasks": [task.pk], "comment": ""})
    task.refresh_from_db()
    assert task.status == QueueTaskStatus.OPEN


def test_bulk_approve_cannot_reach_other_districts(client, cast, open_task, approve_kind):
    task = open_task(cast.far)
    client.force_login(cast.district)
    client.post(reverse("queue:bulk_approve"), {"tasks": [task.pk], "comment": "ok"})
    task.refresh_from_db()
    assert task.status == QueueTaskStatus.OPEN


def test_administrators_reassign(client, cast, open_task):
    task = open_task(cast.own)
    client.force_login(cast.admin)
    page = client.get(reverse("queue:reassign", args=[task.pk]))
    assert page.status_code == 200 and "jingkou_reviewer" in page.content.decode()
    assert "danyang_reviewer" not in page.content.decode()  # only people who can work it are offered
    client.post(reverse("queue:reassign", args=[task.pk]), {"to": cast.district.pk})
    task.refresh_from_db()
    assert task.claimed_by == cast.district
    client.force_login(cast.district)
    assert client.get(reverse("queue:reassign", args=[task.pk])).status_code == 403


def test_the_queue_page_costs_a_fixed_number_of_queries(client, cast, open_task, django_assert_max_num_queries):
    for n in range(45):
        task = open_task(EnterpriseFactory())
        if n % 2:
            queue_task_claim(queue_task=task, by=cast.district)
    client.force_login(cast.district)
    client.get(reverse("queue:index"))  # warm the session and the content-type cache
    with django_assert_max_num_queries(8):
        response = client.get(reverse("queue:index"))
    assert response.content.decode().count('data-testid="queue-row"') == 20


def test_a_deep_page_lists_the_same_rows_in_the_same_order(cast, open_task, django_assert_max_num_queries):
    """Past the first pages a queue page is read by id first (QueuePaginator), with the same rows."""
    for _ in range(130):
        open_task(EnterpriseFactory())
    tasks = queue_for_user(user=cast.district)
    expected = [task.pk for task in Paginator(tasks, 20).page(7)]
    with django_assert_max_num_queries(3):  # the count, the ids, the rows with what they show
        page = QueuePaginator(tasks, 20).page(7)
        assert [task.pk for task in page] == expected and page[0].enterprise.name
    assert len(expected) == 10


def test_api_lists_claims_and_releases(cast, open_task):
    task = open_task(cast.own)
    open_task(cast.far)
    api = APIClient()
    api.force_authenticate(cast.district)
    listed = api.get("/api/queue/").json()
    assert [row["id"] for row in listed["results"]] == [task.pk]
    claimed = api.post(f"/api/queue/{task.pk}/claim/").json()
    assert claimed["status"] == "claimed" and claimed["claimed_by"] == "jingkou_reviewer"
    assert api.get("/api/queue/?tab=mine").json()["count"] == 1
    assert api.post(f"/api/queue/{task.pk}/release/").json()["status"] == "open"


def test_api_refusals_carry_a_code(cast, open_task):
    task = open_task(cast.own)
    queue_task_close(queue_task=task, outcome="approved")
    api = APIClient()
    api.force_authenticate(cast.district)
    response = api.post(f"/api/queue/{task.pk}/claim/")
    assert response.status_code == 409 and response.json()["code"] == "already_decided"
    api.force_authenticate(cast.other_district)
    assert api.post(f"/api/queue/{task.pk}/claim/").status_code == 404


def test_api_reassign_is_for_administrators(cast, open_task):
    task = open_task(cast.own)
    api = APIClient()
    api.force_authenticate(cast.district)
    assert api.post(f"/api/queue/{task.pk}/reassign/", {"to": "jingkou_reviewer"}).status_code == 403
    api.force_authenticate(cast.admin)
    response = api.post(f"/api/queue/{task.pk}/reassign/", {"to": "jingkou_reviewer"})
    assert response.status_code == 200 and response.json()["claimed_by"] == "jingkou_reviewer"


def test_a_task_title_is_told_in_the_readers_language(client, cast, open_task, approve_kind):
    # The stored title is in the language of the request that opened the task; the row is built from its parts.
    open_task(cast.own, title=f"测试审核 · {cast.own.name}")
    client.force_login(cast.district)
    html = client.get(reverse("queue:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Test review · {cast.own.name}" in html and "测试审核" not in html


def test_the_queue_finds_by_name_or_title_and_the_city_narrows_to_a_jurisdiction(client, cast, open_task):
    for enterprise in (cast.own, cast.neighbour, cast.far):
        open_task(enterprise, role="city_reviewer", kind="test.city")
    client.force_login(cast.city)
    rows = lambda **query: client.get(reverse("queue:index"), query).content.decode().count('data-testid="queue-row"')  # noqa: E731
    assert rows() == 3
    assert rows(query="丹阳远方") == 1 and rows(query="Review of 镇江") == 2
    assert rows(jurisdiction=cast.far.jurisdiction.code) == 1
    assert rows(jurisdiction=cast.own.jurisdiction.code, query="邻居") == 1
    assert 'name="jurisdiction"' in client.get(reverse("queue:index")).content.decode()
    client.force_login(cast.district)
    assert 'name="jurisdiction"' not in client.get(reverse("queue:index")).content.decode()  # its own scope only


def test_a_searched_queue_page_costs_a_fixed_number_of_queries(client, cast, open_task, django_assert_max_num_queries):
    for _ in range(45):
        open_task(EnterpriseFactory(), role="city_reviewer", kind="test.city")
    client.force_login(cast.city)
    client.get(reverse("queue:index"))
    with django_assert_max_num_queries(11):  # one of them reads the enterprises the search names
        response = client.get(reverse("queue:index"), {"query": "Review", "jurisdiction": cast.own.jurisdiction.code})
    assert response.content.decode().count('data-testid="queue-row"') == 20
