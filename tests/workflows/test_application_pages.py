"""The application pages: who reaches what, the draft page, the actions offered, the blind expert page."""

import pytest
from django.urls import reverse
from django.utils import translation

from approvals.models import Step
from tests.workflows.applications import PDF, draft, experts, open_batch, passing_innovative_data
from workflows.models import Application, ApplicationBatch, ApplicationState, ExpertReview
from workflows.selectors.application import application_actions
from workflows.services import application as services
from workflows.services import expert_review as expert_services

pytestmark = pytest.mark.django_db
S = ApplicationState
RUBRIC_FULL = {"specialised": 25, "refined": 25, "distinctive": 15, "innovative": 35}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """Pages in English, so the tests read the services' messages as written."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def batch(cast):
    passing_innovative_data(cast.own)
    return open_batch(cast)


@pytest.fixture
def submitted(cast, batch):
    application = draft(cast, batch)
    services.application_attachment_add(application=application, by=cast.owner, name="营业执照.pdf", content=PDF)
    return services.application_submit(application=application, by=cast.owner)


@pytest.fixture
def with_experts(cast, submitted):
    """The application with the experts, one review per expert drawn."""
    services.application_district_approve(application=submitted, by=cast.district)
    experts(3)
    expert_services.application_batch_draw_experts(batch=submitted.batch, by=cast.city, count=3, seed=11)
    return expert_services.application_send_to_experts(application=submitted, by=cast.city)


def detail(application):
    return reverse("applications:detail", args=[application.pk])


def test_enterprise_starts_a_draft_from_an_open_batch_and_sees_what_is_missing(client, cast, batch):
    client.force_login(cast.owner)
    page = client.get(reverse("applications:apply")).content.decode()
    opens = batch.opens_on
    assert batch.name in page and f"{opens.day} {opens:%b %Y}" in page  # the English page: 21 Nov 2026

    response = client.post(reverse("applications:apply"), {"batch": batch.pk, "statement": ""}, follow=True)

    application = Application.objects.get(enterprise=cast.own)
    body = response.content.decode()
    assert application.state == S.DRAFT
    assert "Please write the application statement." in body
    assert 'data-testid="diagnosis-verdict"' in body and reverse("cultivation:diagnosis", args=[cast.own.pk]) in body
    assert 'data-testid="action-submit"' in body


def test_enterprise_saves_uploads_and_submits_from_the_page(client, cast, batch):
    application = draft(cast, batch, statement="")
    client.force_login(cast.owner)
    client.post(reverse("applications:edit", args=[application.pk]), {"statement": "主营精密轴承"})
    client.post(reverse("applications:attach", args=[application.pk]), {"file": _upload("证书.pdf", PDF)})
    response = client.post(reverse("applications:act", args=[application.pk, "submit"]), {"submit-comment": ""}, follow=True)

    application.refresh_from_db()
    assert application.state == S.DISTRICT_REVIEW and application.statement == "主营精密轴承"
    assert application.snapshot_sha256 in response.content.decode()


def test_a_refused_upload_says_why_and_keeps_the_draft(client, cast, batch):
    application = draft(cast, batch)
    services.application_attachment_add(application=application, by=cast.owner, name="a.pdf", content=PDF)
    client.force_login(cast.owner)

    response = client.post(reverse("applications:attach", args=[application.pk]),
                           {"file": _upload("假的.pdf", b"MZ this is an executable")}, follow=True)

    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    assert "is not a PDF, JPG, PNG or XLSX file" in body
    application.refresh_from_db()
    assert application.statement == "主营精密轴承，细分市场国内第三"
    assert [a.name for a in application.attachments.all()] == ["a.pdf"]


def test_after_a_return_the_enterprise_sees_the_reason_and_one_resubmit_form(client, cast, submitted):
    services.application_return(application=submitted, by=cast.district, reason="请补充专利证书")
    client.force_login(cast.owner)
    body = client.get(detail(submitted)).content.decode()
    assert 'data-testid="returned-banner"' in body and "请补充专利证书" in body
    assert body.count('data-testid="action-resubmit"') == 1

    client.post(reverse("applications:act", args=[submitted.pk, "resubmit"]), {"resubmit-statement": "已补充专利证书"})
    submitted.refresh_from_db()
    assert (submitted.state, submitted.statement) == (S.DISTRICT_REVIEW, "已补充专利证书")


def test_case_page_shows_frozen_beside_today_with_differences_marked(client, cast, submitted):
    cast.own.main_product = "新型轴承"
    cast.own.save()
    client.force_login(cast.city)
    body = client.get(detail(submitted)).content.decode()
    assert 'data-testid="comparison"' in body and 'data-testid="differs"' in body and "新型轴承" in body
    assert submitted.snapshot_sha256 in body and "营业执照.pdf" in body


@pytest.mark.parametrize("who", ["other_owner", "other_district"])
def test_other_enterprises_and_districts_get_404_everywhere(client, cast, submitted, who):
    attachment = submitted.attachments.get()
    client.force_login(getattr(cast, who))
    assert client.get(detail(submitted)).status_code == 404
    assert client.get(reverse("applications:attachment", args=[submitted.pk, attachment.pk])).status_code == 404
    assert client.post(reverse("applications:act", args=[submitted.pk, "district_approve"])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == S.DISTRICT_REVIEW


def test_the_attachment_streams_to_those_who_may_read_the_application(client, cast, submitted):
    attachment = submitted.attachments.get()
    client.force_login(cast.district)
    response = client.get(reverse("applications:attachment", args=[submitted.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_lists_are_scoped(client, cast, submitted):
    client.force_login(cast.other_district)
    assert cast.own.name not in client.get(reverse("applications:index")).content.decode()
    client.force_login(cast.district)
    assert cast.own.name in client.get(reverse("applications:index")).content.decode()


@pytest.mark.parametrize(
    "who, state, offered",
    [
        ("owner", S.DISTRICT_REVIEW, ["withdraw"]),
        ("district", S.DISTRICT_REVIEW, ["district_approve", "return", "reject"]),
        ("other_district", S.DISTRICT_REVIEW, []),
        ("city", S.DISTRICT_REVIEW, []),
        ("auditor", S.DISTRICT_REVIEW, []),
        ("owner", S.RETURNED, ["resubmit", "withdraw"]),
        ("district", S.RETURNED, []),
        ("city", S.CITY_REVIEW, ["city_approve", "return", "reject"]),
        ("district", S.CITY_REVIEW, []),
        ("owner", S.CITY_REVIEW, ["withdraw"]),
    ],
)
def test_actions_offered_per_role_never_withdraw_to_a_reviewer(cast, submitted, who, state, offered):
    if state == S.RETURNED:
        services.application_return(application=submitted, by=cast.district, reason="补充")
    elif state == S.CITY_REVIEW:
        services.application_district_approve(application=submitted, by=cast.district)
    submitted.refresh_from_db()
    assert application_actions(application=submitted, user=getattr(cast, who)) == offered


def test_the_city_is_offered_the_experts_once_they_are_drawn_and_decides_when_all_scored(cast, with_experts):
    assert application_actions(application=with_experts, user=cast.city) == []
    for review in with_experts.expert_reviews.all():
        expert_services.expert_review_score(review=review, by=review.expert, scores=RUBRIC_FULL)
    with_experts.refresh_from_db()
    assert application_actions(application=with_experts, user=cast.city) == ["city_approve", "return", "reject"]


def test_reject_and_withdraw_ask_for_confirmation(client, cast, submitted):
    client.force_login(cast.district)
    body = client.get(detail(submitted)).content.decode()
    assert 'data-testid="action-reject" data-confirm="' in body
    assert 'name="reject-reason"' in body and "required" in body.split('name="reject-reason"')[1].split(">")[0]
    assert 'data-testid="action-withdraw"' not in body


def test_return_without_a_reason_is_refused_with_a_message(client, cast, submitted):
    client.force_login(cast.district)
    response = client.post(reverse("applications:act", args=[submitted.pk, "return"]), {"return-reason": ""}, follow=True)
    submitted.refresh_from_db()
    assert submitted.state == S.DISTRICT_REVIEW and 'role="alert"' in response.content.decode()


def test_an_out_of_order_decision_is_a_message_not_a_server_error(client, cast, submitted):
    client.force_login(cast.city)
    response = client.post(reverse("applications:act", args=[submitted.pk, "city_approve"]), {}, follow=True)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_unknown_decision_is_404(client, cast, submitted):
    client.force_login(cast.district)
    assert client.post(reverse("applications:act", args=[submitted.pk, "promote"])).status_code == 404


def test_experts_score_blind_and_never_reach_the_case_page(client, cast, with_experts):
    review = with_experts.expert_reviews.select_related("expert").first()
    other = with_experts.expert_reviews.exclude(pk=review.pk).first()
    client.force_login(review.expert)

    body = client.get(reverse("applications:review", args=[review.pk])).content.decode()
    assert cast.own.name not in body and cast.own.credit_code not in body and "营业执照" not in body
    assert cast.own.jurisdiction.name not in body
    assert 'name="score_innovative"' in body and 'max="35"' in body
    assert client.get(detail(with_experts)).status_code == 404
    assert client.get(reverse("applications:review", args=[other.pk])).status_code == 404
    assert cast.own.name not in client.get(reverse("applications:index")).content.decode()

    scores = {f"score_{key}": value for key, value in RUBRIC_FULL.items()}
    client.post(reverse("applications:review", args=[review.pk]), {**scores, "opinion": "技术领先"})
    review.refresh_from_db()
    assert review.total == 100 and review.opinion == "技术领先"


def test_an_out_of_range_score_is_shown_on_the_form(client, cast, with_experts):
    review = with_experts.expert_reviews.first()
    client.force_login(review.expert)
    scores = {f"score_{key}": value for key, value in RUBRIC_FULL.items()}
    response = client.post(reverse("applications:review", args=[review.pk]), {**scores, "score_refined": 30})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert ExpertReview.objects.get(pk=review.pk).total is None


def test_scores_are_shown_to_the_city_not_to_the_enterprise(client, cast, with_experts):
    for review in with_experts.expert_reviews.all():
        expert_services.expert_review_score(review=review, by=review.expert, scores=RUBRIC_FULL)
    client.force_login(cast.city)
    assert 'data-testid="score-average">100.00' in client.get(detail(with_experts)).content.decode()
    client.force_login(cast.owner)
    assert 'data-testid="expert-scores"' not in client.get(detail(with_experts)).content.decode()


def test_city_opens_a_batch_draws_experts_and_recommends_from_the_pages(client, cast, submitted):
    client.force_login(cast.city)
    response = client.post(reverse("applications:batches"), {
        "tier": "innovative", "kind": "new", "year": 2026, "name": "第二批", "opens_on": "2026-05-01",
        "closes_on": "2026-06-30", "quota": "", "experts_per_application": 3,
    })
    assert ApplicationBatch.objects.filter(name="第二批").exists(), response.content.decode()[:2000]

    experts(2)
    batch = submitted.batch
    client.post(reverse("applications:batch_draw", args=[batch.pk]), {"count": 2, "seed": 5})
    assert Step.objects.filter(action="application_batch.draw_experts").exists()
    body = client.post(reverse("applications:batch_recommend", args=[batch.pk]), follow=True).content.decode()
    assert "still under review" in body  # the submitted application is with the district

    services.application_district_approve(application=submitted, by=cast.district)
    services.application_city_approve(application=submitted, by=cast.city)
    body = client.post(reverse("applications:batch_recommend", args=[batch.pk]), follow=True).content.decode()
    assert 'data-testid="recommendation-letter"' in body


def test_only_the_city_overrides_a_diagnosis_and_a_reason_is_needed(client, cast, batch):
    application = draft(cast, batch)
    client.force_login(cast.owner)
    assert 'data-testid="override"' not in client.get(detail(application)).content.decode()
    client.force_login(cast.city)
    assert 'data-testid="override"' in client.get(detail(application)).content.decode()
    client.post(reverse("applications:override", args=[application.pk]), {"reason": ""})
    application.refresh_from_db()
    assert application.diagnosis_override_reason == ""
    client.post(reverse("applications:override", args=[application.pk]), {"reason": "产业链关键环节"})
    application.refresh_from_db()
    assert application.diagnosis_override_reason == "产业链关键环节"


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
