"""Concurrent clicks on PostgreSQL: two approvals of one step, two proposals of one enterprise."""

import pytest

from approvals.models import QueueTask, Step
from enterprises.exceptions import DomainError
from tests.concurrency import race
from tests.factories import UserFactory
from workflows.models import PoolEntry, PoolEntryState
from workflows.services import pool as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_approving_at_once_decide_once(step_log_flushable, cast):
    colleague = UserFactory(username="jingkou_colleague", district=True)
    entry = services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")

    results = race(
        [
            lambda: services.pool_entry_district_approve(entry=entry, by=cast.district),
            lambda: services.pool_entry_district_approve(entry=entry, by=colleague),
        ]
    )

    successes = [r for r in results if isinstance(r, PoolEntry)]
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(successes) == 1 and len(refusals) == 1, results
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.CITY_REVIEW
    assert Step.objects.filter(action="pool_entry.district_approve").count() == 1
    assert QueueTask.objects.filter(kind="pool_entry.city_review", status="open").count() == 1


def test_double_submit_of_a_proposal_creates_one_entry(step_log_flushable, cast):
    results = race(
        [lambda: services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")] * 2
    )
    assert sum(isinstance(r, PoolEntry) for r in results) == 1, results
    assert PoolEntry.objects.filter(enterprise=cast.own).count() == 1
    assert QueueTask.objects.filter(kind="pool_entry.district_review").count() == 1
