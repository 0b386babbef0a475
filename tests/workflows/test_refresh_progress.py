"""The annual refresh of a large pool is evaluated by the worker while the refresh page shows how far it is
(done / total and a bar, polled by tidu/progress.js) until it is done; a small pool is evaluated at once."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import EnterpriseFactory
from workflows.exceptions import CaseError
from workflows.models import PoolEntry, PoolEntryState
from workflows.selectors.pool import evaluation_progress_key, pool_refresh_evaluation_progress
from workflows.services import pool as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def refresh(cast):
    """Three pooled enterprises (none has updated its metrics) and a refresh whose deadline has passed."""
    for _ in range(3):
        entry = services.pool_entry_propose(enterprise=EnterpriseFactory(), by=cast.city, statement="入库")
        services.pool_entry_district_approve(entry=entry, by=cast.district)
        services.pool_entry_city_approve(entry=entry, by=cast.city)
    deadline = timezone.localdate() - datetime.timedelta(days=1)
    refresh = services.pool_refresh_open(year=deadline.year, deadline=deadline, by=cast.city)
    yield refresh
    cache.delete(evaluation_progress_key(refresh))


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages in English, as the messages below
    return client


def evaluate_from_the_page(client, refresh):
    return client.post(reverse("pool:refresh"), {"evaluate": refresh.pk}, follow=True)


def test_a_large_pool_is_evaluated_in_the_background_and_the_page_shows_its_progress(
    cast, client, refresh, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "EVALUATE_IN_BACKGROUND_FROM", 3)
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks() as queued:
        page = evaluate_from_the_page(client, refresh).content.decode()
    assert "being evaluated in the background" in page
    assert 'data-testid="evaluation-progress"' in page and "0 / 3" in page and "tidu/progress.js" in page
    progress_url = reverse("pool:refresh_progress", args=[refresh.pk])
    assert client.get(progress_url).json() == {"done": 0, "total": 3, "finished": False}
    assert not PoolEntry.objects.filter(state=PoolEntryState.EXIT_PROPOSED).exists()

    with mock.patch.object(services, "_progress_set", wraps=services._progress_set) as reported:
        for task in queued:
            task()  # the worker (eager in tests)
    assert [call.kwargs["done"] for call in reported.call_args_list] == [0, 1, 2]
    assert {call.kwargs["total"] for call in reported.call_args_list} == {3}

    assert client.get(progress_url).json()["finished"] is True
    page = client.get(reverse("pool:refresh")).content.decode()
    assert 'data-testid="evaluation-progress"' not in page and "tidu/progress.js" not in page
    assert PoolEntry.objects.filter(state=PoolEntryState.EXIT_PROPOSED).count() == 3


def test_a_small_pool_is_evaluated_at_once(cast, client, refresh, django_capture_on_commit_callbacks):
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks(execute=True):
        page = evaluate_from_the_page(client, refresh).content.decode()
    assert "3 enterprises proposed for exit" in page and 'data-testid="evaluation-progress"' not in page


def test_a_second_evaluation_is_refused_while_one_runs(cast, refresh, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "EVALUATE_IN_BACKGROUND_FROM", 1)
    with django_capture_on_commit_callbacks():
        assert services.pool_refresh_evaluate_submit(refresh=refresh, by=cast.city) is None
    with pytest.raises(CaseError, match="being evaluated already"):
        services.pool_refresh_evaluate_submit(refresh=refresh, by=cast.city)


def test_only_the_city_starts_an_evaluation(cast, refresh, monkeypatch):
    monkeypatch.setattr(services, "EVALUATE_IN_BACKGROUND_FROM", 1)
    with pytest.raises(CaseError, match="Only the city bureau"):
        services.pool_refresh_evaluate_submit(refresh=refresh, by=cast.district)
    assert pool_refresh_evaluation_progress(refresh) is None
