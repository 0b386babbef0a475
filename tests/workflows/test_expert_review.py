"""Expert review (双随机), the city's decision after it, the recommendation and the recognition that closes the case."""

import pytest
from django.utils import timezone, translation

from approvals.models import QueueTask, Step
from approvals.selectors import queue_for_user
from documents.models import Document, DocumentKind
from enterprises.exceptions import DomainError
from tests.factories import EnterpriseFactory, UserFactory
from tests.workflows.applications import draft, experts, open_batch, passing_innovative_data
from workflows.exceptions import CaseError
from workflows.models import ApplicationState, ExpertConflict, ExpertReviewState
from workflows.services import application as services
from workflows.services import expert_review as experts_services
from workflows.services.recognition import recognition_record

pytestmark = pytest.mark.django_db
S = ApplicationState
RUBRIC_FULL = {"specialised": 25, "refined": 25, "distinctive": 15, "innovative": 35}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def at_city(cast):
    """An application approved by the district, waiting for the city; four experts in the pool."""
    passing_innovative_data(cast.own)
    batch = open_batch(cast, experts_per_application=2, quota=1)
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    services.application_district_approve(application=application, by=cast.district)
    experts()
    return application


def test_the_draw_is_random_recorded_and_reproducible(cast, at_city):
    batch = at_city.batch
    drawn = experts_services.application_batch_draw_experts(batch=batch, by=cast.city, count=3, seed=20261130)
    again = __import__("random").Random(20261130).sample(list(experts_services.expert_pool()), 3)
    assert drawn == again
    step = Step.objects.get(action="application_batch.draw_experts")
    assert step.data["seed"] == 20261130 and step.data["drawn"] == [u.username for u in drawn]
    with pytest.raises(CaseError, match="already drawn"):
        experts_services.application_batch_draw_experts(batch=batch, by=cast.city, count=3)


def test_conflicts_and_the_applicants_own_jurisdiction_are_never_assigned(cast, at_city):
    local = UserFactory(username="jingkou_expert", role="expert", jurisdiction=cast.own.jurisdiction)
    conflicted = UserFactory(username="conflicted_expert", role="expert")
    ExpertConflict.objects.create(expert=conflicted, enterprise=cast.own, note="曾任顾问")
    experts_services.application_batch_draw_experts(batch=at_city.batch, by=cast.city, count=6, seed=7)

    assigned = experts_services.experts_for(at_city)
    assert len(assigned) == 2 and local not in assigned and conflicted not in assigned


def test_experts_score_blind_and_the_last_score_hands_the_case_back_to_the_city(cast, at_city):
    experts_services.application_batch_draw_experts(batch=at_city.batch, by=cast.city, count=4, seed=1)
    application = experts_services.application_send_to_experts(application=at_city, by=cast.city)
    assert application.state == S.EXPERT_REVIEW
    reviews = list(application.expert_reviews.select_related("expert"))
    assert len(reviews) == 2

    first, second = reviews
    task = queue_for_user(user=first.expert).get()
    assert cast.own.name not in task.title  # blind: the expert's queue does not name the applicant
    assert not queue_for_user(user=second.expert).filter(case_id=str(first.pk)).exists()
    with pytest.raises(DomainError, match="not in your queue"):
        experts_services.expert_review_score(review=first, by=second.expert, scores=RUBRIC_FULL)
    with pytest.raises(CaseError, match="between 0 and 25"):
        experts_services.expert_review_score(review=first, by=first.expert, scores={**RUBRIC_FULL, "refined": 30})

    experts_services.expert_review_score(review=first, by=first.expert, scores=RUBRIC_FULL, opinion="技术领先")
    assert not QueueTask.objects.filter(kind="application.city_decision", closed_at__isnull=True).exists()
    experts_services.expert_review_score(review=second, by=second.expert, scores={**RUBRIC_FULL, "innovative": 25})

    assert QueueTask.objects.filter(kind="application.city_decision", closed_at__isnull=True).count() == 1
    scores = experts_services.expert_scores(application)
    assert (str(scores["average"]), str(scores["spread"]), scores["scored"]) == ("95.00", "10.00", 2)
    assert all(r.state == ExpertReviewState.SCORED for r in application.expert_reviews.all())

    application = services.application_city_approve(application=application, by=cast.city, comment="专家意见一致")
    assert application.state == S.APPROVED


def test_sending_to_experts_needs_the_draw_first(cast, at_city):
    with pytest.raises(CaseError, match="Draw the batch's experts first"):
        experts_services.application_send_to_experts(application=at_city, by=cast.city)


def test_recommendation_in_rank_order_within_the_quota_then_recognition_closes_the_case(cast, at_city):
    services.application_city_approve(application=at_city, by=cast.city)
    second = EnterpriseFactory(name="镇江第二精密有限公司")
    passing_innovative_data(second)
    owner2 = UserFactory(username="owner2", role="enterprise", enterprise=second)
    other = services.application_draft(enterprise=second, batch=at_city.batch, by=owner2, statement="申报")
    other = services.application_submit(application=other, by=owner2)
    services.application_district_approve(application=other, by=cast.district)
    services.application_city_approve(application=other, by=cast.city)

    recommended = experts_services.application_batch_recommend(batch=at_city.batch, by=cast.city)

    assert len(recommended) == 1 and recommended[0].rank == 1  # quota of one
    at_city.refresh_from_db(), other.refresh_from_db()
    assert sorted([at_city.state, other.state]) == sorted([S.RECOMMENDED, S.REJECTED])
    letter = Document.objects.get(kind=DocumentKind.RECOMMENDATION_LETTER)
    assert at_city.batch.__class__.objects.get(pk=at_city.batch_id).recommendation == letter
    with pytest.raises(CaseError, match="already recommended"):
        experts_services.application_batch_recommend(batch=at_city.batch, by=cast.city)

    winner = recommended[0]
    recognition_record(
        enterprise=winner.enterprise, tier="innovative", recognized_on=timezone.localdate(), kind="first", by=cast.city
    )
    winner.refresh_from_db()
    assert winner.state == S.RECOGNIZED and winner.decided_on == timezone.localdate()
    assert Step.objects.filter(action="application.recognize", object_id=str(winner.pk)).count() == 1


def test_recommendation_waits_for_every_review_to_end(cast, at_city):
    with pytest.raises(CaseError, match="still under review"):
        experts_services.application_batch_recommend(batch=at_city.batch, by=cast.city)
