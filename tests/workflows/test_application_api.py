"""/api/application-batches/, /api/applications/ and /api/expert-reviews/: scope, decisions, uploads, blind scoring."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.workflows.applications import PDF, draft, experts, open_batch, passing_innovative_data
from workflows.models import Application, ApplicationBatch, ApplicationState
from workflows.services import application as services
from workflows.services import expert_review as expert_services

pytestmark = pytest.mark.django_db
S = ApplicationState
RUBRIC_FULL = {"specialised": 25, "refined": 25, "distinctive": 15, "innovative": 35}


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
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


def test_city_opens_a_batch_and_everyone_reads_it(cast):
    response = api(cast.city).post("/api/application-batches/", {
        "tier": "innovative", "year": 2026, "name": "2026年第二批", "opens_on": "2026-05-01", "closes_on": "2026-06-30",
        "quota": 10,
    }, format="json")
    assert response.status_code == 201, response.data
    assert response.data["ruleset"] and response.data["rubric"] and response.data["quota"] == 10
    assert [b["name"] for b in api(cast.owner).get("/api/application-batches/").data["results"]] == ["2026年第二批"]


def test_only_the_city_opens_a_batch(cast):
    response = api(cast.owner).post("/api/application-batches/", {
        "tier": "innovative", "year": 2026, "opens_on": "2026-05-01", "closes_on": "2026-06-30"}, format="json")
    assert response.status_code == 403 and response.data["code"] == "forbidden"
    assert not ApplicationBatch.objects.exists()


def test_enterprise_drafts_edits_uploads_and_submits(cast, batch):
    client = api(cast.owner)
    created = client.post("/api/applications/", {"batch": batch.pk, "statement": "初稿"}, format="json")
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["state"] == "draft" and created.data["actions"] == ["submit", "withdraw"]

    patched = client.patch(f"/api/applications/{pk}/", {"statement": "主营精密轴承"}, format="json")
    assert patched.status_code == 200 and patched.data["statement"] == "主营精密轴承"
    uploaded = client.post(f"/api/applications/{pk}/attachments/", {"file": SimpleUploadedFile("证书.pdf", PDF)},
                           format="multipart")
    assert uploaded.status_code == 201 and uploaded.data["content_type"] == "application/pdf"

    submitted = client.post(f"/api/applications/{pk}/decide/submit/", {"text": ""}, format="json")
    assert submitted.status_code == 200 and submitted.data["state"] == "district_review"
    assert len(submitted.data["snapshot_sha256"]) == 64


def test_a_refused_upload_is_400_with_the_reason_and_keeps_the_draft(cast, batch):
    application = draft(cast, batch)
    response = api(cast.owner).post(f"/api/applications/{application.pk}/attachments/",
                                    {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}, format="multipart")
    assert response.status_code == 400 and response.data["code"] == "wrong_type"
    assert "checked, not its name" in response.data["message"]
    application.refresh_from_db()
    assert application.statement and not application.attachments.exists()


@pytest.mark.parametrize("who", ["other_owner", "other_district"])
def test_out_of_scope_is_404(cast, submitted, who):
    client = api(getattr(cast, who))
    assert client.get(f"/api/applications/{submitted.pk}/").status_code == 404
    assert client.post(f"/api/applications/{submitted.pk}/decide/district_approve/", {}, format="json").status_code == 404
    assert submitted.pk not in [a["id"] for a in client.get("/api/applications/").data["results"]]


def test_experts_read_no_application(cast, submitted):
    expert = experts(1)[0]
    assert api(expert).get("/api/applications/").data["results"] == []
    assert api(expert).get(f"/api/applications/{submitted.pk}/").status_code == 404


def test_district_decides_and_the_enterprise_is_never_offered_a_reviewers_decision(cast, submitted):
    assert api(cast.district).get(f"/api/applications/{submitted.pk}/").data["actions"] == [
        "district_approve", "return", "reject"]
    response = api(cast.district).post(f"/api/applications/{submitted.pk}/decide/return/", {"text": "请补充"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "returned" and response.data["last_reason"] == "请补充"
    assert api(cast.owner).get(f"/api/applications/{submitted.pk}/").data["actions"] == ["resubmit", "withdraw"]


def test_unknown_decision_is_404_and_out_of_order_is_409(cast, submitted):
    unknown = api(cast.district).post(f"/api/applications/{submitted.pk}/decide/promote/", {}, format="json")
    assert unknown.status_code == 404 and unknown.data["code"] == "unknown_decision"
    early = api(cast.city).post(f"/api/applications/{submitted.pk}/decide/city_approve/", {}, format="json")
    assert early.status_code == 409, early.data
    assert set(early.data) >= {"code", "message"}
    submitted.refresh_from_db()
    assert submitted.state == S.DISTRICT_REVIEW


def test_a_return_without_reason_is_400(cast, submitted):
    response = api(cast.district).post(f"/api/applications/{submitted.pk}/decide/return/", {"text": ""}, format="json")
    assert response.status_code == 400 and response.data["code"] == "reason_required"


def test_an_expert_scores_their_own_review_blind(cast, submitted):
    services.application_district_approve(application=submitted, by=cast.district)
    experts(3)
    expert_services.application_batch_draw_experts(batch=submitted.batch, by=cast.city, count=3, seed=3)
    expert_services.application_send_to_experts(application=submitted, by=cast.city)
    review, other = list(submitted.expert_reviews.select_related("expert"))[:2]
    client = api(review.expert)

    listed = client.get("/api/expert-reviews/").data["results"]
    assert [r["id"] for r in listed] == [review.pk]
    text = str(listed[0])
    assert cast.own.name not in text and cast.own.credit_code not in text and "营业执照" not in text
    assert client.get(f"/api/expert-reviews/{other.pk}/").status_code == 404

    bad = client.post(f"/api/expert-reviews/{review.pk}/score/", {"scores": {**RUBRIC_FULL, "refined": 30}}, format="json")
    assert bad.status_code == 400 and bad.data["code"] == "invalid_score"
    scored = client.post(f"/api/expert-reviews/{review.pk}/score/", {"scores": RUBRIC_FULL, "opinion": "好"}, format="json")
    assert scored.status_code == 200 and scored.data["state"] == "scored" and scored.data["total"] == "100.00"


def test_enterprise_cannot_start_a_draft_in_a_batch_twice(cast, batch):
    client = api(cast.owner)
    assert client.post("/api/applications/", {"batch": batch.pk, "statement": "一"}, format="json").status_code == 201
    again = client.post("/api/applications/", {"batch": batch.pk, "statement": "二"}, format="json")
    assert again.status_code == 409 and again.data["code"] == "duplicate"
    assert Application.objects.count() == 1


def test_a_reviewer_cannot_start_a_draft(cast, batch):
    response = api(cast.district).post("/api/applications/", {"batch": batch.pk}, format="json")
    assert response.status_code == 403
