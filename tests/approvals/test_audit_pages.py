"""The auditor's view: filters, timeline, exports, chain status, and nobody else gets in."""

import csv
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from approvals.selectors import steps_for
from steplog.models import ChainVerification, Step
from steplog.services import step_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(cast):
    step_record(action="pool_entry.submit", actor=cast.owner, obj=cast.own, state_before="draft",
                state_after="district_review", comment="请审核")
    step_record(action="pool_entry.district_approve", actor=cast.district, obj=cast.own,
                state_before="district_review", state_after="city_review", comment="=HYPERLINK(\"http://x\")")
    step_record(action="pool_entry.submit", actor=cast.other_owner, obj=cast.neighbour, comment="邻居")
    step_record(action="enterprise.update", actor=cast.other_district, obj=cast.far, comment="丹阳")
    return list(Step.objects.order_by("seq"))


PAGES = ["audit:index", "audit:status", "audit:export_csv", "audit:export_xlsx"]


@pytest.mark.parametrize("who", ["owner", "district", "city", "finance"])
@pytest.mark.parametrize("page", PAGES)
def test_only_auditors_and_administrators_get_in(client, cast, log, who, page):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(page)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, log):
    assert client.get(reverse("audit:index"))["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["auditor", "admin"])
def test_the_log_page_lists_every_step_with_status(client, cast, log, who):
    client.force_login(getattr(cast, who))
    html = client.get(reverse("audit:index")).content.decode()
    assert html.count('data-testid="step-row"') == Step.objects.count() == 5  # with the login
    assert "尚未校验" in html


@pytest.mark.parametrize(
    "query,expected",
    [
        ("enterprise=精工", {1, 2}),
        ("actor=jingkou_reviewer", {2}),
        ("actor_role=enterprise", {1, 3}),
        ("action=pool_entry.submit", {1, 3}),
        ("action=pool_entry.", {1, 2, 3}),
        ("jurisdiction=321181", {4}),
        ("created_at_after=2000-01-01&created_at_before=2000-01-02", set()),
        ("object_type=enterprises.enterprise&object_id=", {1, 2, 3, 4}),
    ],
)
def test_filters(client, cast, log, query, expected):
    client.force_login(cast.auditor)
    response = client.get(reverse("audit:index") + "?" + query)
    assert {step.seq for step, _ in response.context["steps"]} == expected


def test_keyset_paging(client, cast, log, monkeypatch):
    monkeypatch.setattr("approvals.views.audit.PAGE_SIZE", 3)
    client.force_login(cast.auditor)
    first = client.get(reverse("audit:index"))
    first = client.get(reverse("audit:index") + "?action=pool_entry.")
    assert [s.seq for s, _ in first.context["steps"]] == [3, 2, 1] and first.context["next_before"] is None
    first = client.get(reverse("audit:index"))
    assert [s.seq for s, _ in first.context["steps"]] == [5, 4, 3] and first.context["next_before"] == 3
    second = client.get(reverse("audit:index") + "?before=3")
    assert [s.seq for s, _ in second.context["steps"]] == [2, 1]


def test_timeline_of_a_case(client, cast, log):
    client.force_login(cast.auditor)
    html = client.get(reverse("audit:timeline", args=["enterprises.enterprise", cast.own.pk])).content.decode()
    assert "请审核" in html and "邻居" not in html


def test_timeline_include_for_case_pages_is_scoped(cast, log):
    assert [s.seq for s in steps_for(obj=cast.own, user=cast.owner)] == [1, 2]
    assert list(steps_for(obj=cast.own, user=cast.other_owner)) == []
    assert list(steps_for(obj=cast.own, user=cast.other_district)) == []
    html = render_to_string("approvals/includes/timeline.html", {"steps": steps_for(obj=cast.own, user=cast.owner)})
    assert "请审核" in html and "district_review → city_review" in html
    assert "jingkou_reviewer (区县审核人员, 321102)" in html


def test_csv_export_escapes_formulas(client, cast, log):
    client.force_login(cast.auditor)
    response = client.get(reverse("audit:export_csv") + "?enterprise=精工")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 3  # header + two steps
    assert rows[2][13] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][13] == "请审核"


def test_xlsx_export_escapes_formulas(client, cast, log):
    client.force_login(cast.auditor)
    response = client.get(reverse("audit:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 1 + Step.objects.count()
    assert values[2][13] == "'=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=3, column=14).data_type == "s"


def test_verify_now_stores_the_result_shown_on_the_page(client, cast, log, django_capture_on_commit_callbacks):
    client.force_login(cast.auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("audit:verify"))
    result = ChainVerification.objects.get()
    assert result.ok and result.verified_seq == Step.objects.count() == 5 and result.by == cast.auditor
    html = client.get(reverse("audit:status")).content.decode()
    assert "校验至第 5 步" in html


def test_api_steps_for_auditors_only(cast, log):
    api = APIClient()
    api.force_authenticate(cast.district)
    assert api.get("/api/audit/steps/").status_code == 403
    assert api.get("/api/audit/status/").status_code == 403
    api.force_authenticate(cast.auditor)
    body = api.get("/api/audit/steps/?actor_role=enterprise").json()
    assert [row["seq"] for row in body["results"]] == [3, 1]
    assert body["results"][0]["hash"] == log[2].hash


def test_api_status_and_verify(cast, log, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(cast.auditor)
    assert api.get("/api/audit/status/").json()["ok"] is None
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/api/audit/status/").status_code == 202
    status = api.get("/api/audit/status/").json()
    assert status["ok"] is True and status["verified_seq"] == 4 and status["head_seq"] == 4


def test_an_administrator_changing_a_users_role_leaves_one_step(client, cast):
    client.force_login(cast.admin)
    user = cast.other_district
    response = client.post(
        f"/admin/enterprises/user/{user.pk}/change/",
        {
            "username": user.username, "role": "city_reviewer", "jurisdiction": "", "enterprise": "",
            "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    step = Step.objects.get(action="user.role_change")
    assert (step.actor, step.state_before, step.state_after) == (cast.admin, "district_reviewer", "city_reviewer")
    assert step.data["changed"]["role"] == ["district_reviewer", "city_reviewer"]
    assert "jurisdiction_id" in step.data["changed"]


def test_verify_now_with_the_broker_down_says_it_did_not_start(client, cast, log, monkeypatch):
    """Nothing records a requested verification, so a lost request must not read as started."""
    from kombu.exceptions import OperationalError

    from approvals.tasks import verify_chain

    def broker_down(*args):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(verify_chain, "delay", broker_down)
    client.force_login(cast.auditor)
    html = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "校验没有开始" in html and "已开始校验" not in html
    api = APIClient()
    api.force_authenticate(cast.auditor)
    with translation.override("en"):  # the request activates English; leave the thread as found
        response = api.post("/api/audit/status/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response.json()["code"] == "service_unavailable"
    assert "task queue cannot be reached" in response.json()["message"]
    assert not ChainVerification.objects.exists()
