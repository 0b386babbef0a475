"""The pool-entry API: same services, same scope, JSON errors with a stable code."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_propose_review_and_pool_through_the_api(cast):
    created = api(cast.owner).post("/api/pool-entries/", {"statement": "精密轴承"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "district_review"

    assert api(cast.district).post(f"/api/pool-entries/{pk}/decide/district_approve/", {"text": "同意"}).status_code == 200
    done = api(cast.city).post(f"/api/pool-entries/{pk}/decide/city_approve/", {})
    assert done.json()["state"] == "pooled"


def test_double_decision_answers_409_with_a_code(cast):
    pk = api(cast.owner).post("/api/pool-entries/", {"statement": "x"}, format="json").json()["id"]
    api(cast.district).post(f"/api/pool-entries/{pk}/decide/district_approve/", {})
    again = api(cast.district).post(f"/api/pool-entries/{pk}/decide/district_approve/", {})
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided" and again.json()["message"]


def test_return_without_reason_answers_400(cast):
    pk = api(cast.owner).post("/api/pool-entries/", {"statement": "x"}, format="json").json()["id"]
    response = api(cast.district).post(f"/api/pool-entries/{pk}/decide/return/", {"text": ""})
    assert response.status_code == 400 and response.json()["code"] == "reason_required"


def test_other_district_cannot_see_or_decide(cast):
    pk = api(cast.owner).post("/api/pool-entries/", {"statement": "x"}, format="json").json()["id"]
    assert api(cast.other_district).get(f"/api/pool-entries/{pk}/").status_code == 404
    assert api(cast.other_district).post(f"/api/pool-entries/{pk}/decide/district_approve/", {}).status_code == 404


def test_a_reviewer_cannot_propose_an_enterprise_outside_the_district(cast):
    response = api(cast.district).post("/api/pool-entries/", {"statement": "x", "enterprise": cast.far.pk}, format="json")
    assert response.status_code == 400 and "enterprise" in response.json()["fields"]


def test_unknown_decision_is_404(cast):
    pk = api(cast.owner).post("/api/pool-entries/", {"statement": "x"}, format="json").json()["id"]
    assert api(cast.district).post(f"/api/pool-entries/{pk}/decide/teleport/", {}).status_code == 404
