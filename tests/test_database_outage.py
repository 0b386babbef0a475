"""A view that loses its database answers 503 saying so (page or API JSON), with nothing half-saved."""

from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from steplog.models import Step
from workflows.models import PoolEntry
from workflows.services.pool import pool_entry_propose

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


def test_a_page_that_loses_the_database_answers_503_in_the_users_language(client, cast):
    client.force_login(cast.district)
    with mock.patch("approvals.views.queue.queue_for_user", side_effect=LOST):
        response = client.get("/queue/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "暂时无法服务" in page and "没有保存一半" in page and 'data-testid="error-page"' in page


def test_a_decision_that_loses_the_database_answers_503_json_and_saves_nothing(cast):
    entry = pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")
    steps = Step.objects.count()
    api = APIClient()
    api.force_authenticate(cast.district)
    with mock.patch("approvals.cases.kernel.case_step_record", side_effect=LOST):
        response = api.post(f"/api/pool-entries/{entry.pk}/decide/district_approve/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response.json()["code"] == "service_unavailable"
    assert "nothing of it was half-saved" in response.json()["message"]
    assert PoolEntry.objects.get(pk=entry.pk).state == entry.state and Step.objects.count() == steps


def test_other_errors_stay_server_errors(client, cast):
    client.raise_request_exception = False
    client.force_login(cast.district)
    with mock.patch("approvals.views.queue.queue_for_user", side_effect=RuntimeError("a bug")):
        assert client.get("/queue/").status_code == 500
