"""Concurrent clicks on PostgreSQL: two reviewers deciding one application, two recommendations of one batch."""

import pytest

from approvals.models import QueueTask
from enterprises.exceptions import DomainError
from steplog.models import Step
from tests.concurrency import race
from tests.factories import UserFactory
from tests.workflows.applications import draft, open_batch, passing_innovative_data
from workflows.models import Application, ApplicationState
from workflows.services import application as services
from workflows.services import expert_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(step_log_flushable, cast):
    passing_innovative_data(cast.own)
    return services.application_submit(application=draft(cast, open_batch(cast)), by=cast.owner)


def test_two_reviewers_deciding_at_once_decide_once(submitted, cast):
    colleague = UserFactory(username="jingkou_colleague", district=True)

    results = race(
        [
            lambda: services.application_district_approve(application=submitted, by=cast.district),
            lambda: services.application_return(application=submitted, by=colleague, reason="请补充材料"),
        ]
    )

    decided = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(decided) == 1 and len(refused) == 1, results
    submitted.refresh_from_db()
    assert submitted.state in {ApplicationState.CITY_REVIEW, ApplicationState.RETURNED}
    steps = Step.objects.filter(object_type="workflows.application", action__in=["application.district_approve", "application.return"])
    assert steps.count() == 1
    assert QueueTask.objects.filter(case_id=str(submitted.pk), closed_at__isnull=True).count() == 1


def test_a_batch_recommended_twice_at_once_is_recommended_once(submitted, cast):
    services.application_district_approve(application=submitted, by=cast.district)
    services.application_city_approve(application=submitted, by=cast.city)
    colleague = UserFactory(username="city_colleague", city=True)

    results = race(
        [
            lambda: expert_review.application_batch_recommend(batch=submitted.batch, by=cast.city),
            lambda: expert_review.application_batch_recommend(batch=submitted.batch, by=colleague),
        ]
    )

    assert sum(isinstance(r, list) for r in results) == 1, results
    assert Step.objects.filter(action="application_batch.recommend").count() == 1
    assert Step.objects.filter(action="application.recommend").count() == 1
