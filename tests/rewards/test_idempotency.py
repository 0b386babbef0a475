"""Every rewards action endpoint takes an Idempotency-Key: a retry gets the first answer, a new body a 422."""

import pytest
from rest_framework.test import APIClient

from approvals.models import Step
from rewards.models import IdempotencyKey, Payout
from tests.rewards.conftest import ACCOUNT, drive, due_payout

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _confirm_body(payout, **changes):
    return {"account_name": payout.enterprise.name, **ACCOUNT, **changes}


def test_a_retry_with_the_same_key_answers_the_first_result_and_decides_once(cast, zj2023):
    payout = due_payout(cast.own)
    client = _client(cast.owner)
    url = f"/api/payouts/{payout.pk}/confirm/"

    first = client.post(url, _confirm_body(payout), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(url, _confirm_body(payout), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json() and first.json()["state"] == "confirmed"
    assert first.json()["amount"] == "300000.00"
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Step.objects.filter(action="payout.confirm").count() == 1


def test_the_same_key_with_a_different_body_is_refused(cast, zj2023):
    payout = due_payout(cast.own)
    client = _client(cast.owner)
    url = f"/api/payouts/{payout.pk}/confirm/"
    client.post(url, _confirm_body(payout), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    conflict = client.post(url, _confirm_body(payout, account_number="6222020200199998888"), format="json",
                           HTTP_IDEMPOTENCY_KEY="k-2")

    assert conflict.status_code == 422
    assert conflict.json()["code"] == "idempotency_key_reused"
    assert Payout.objects.get(pk=payout.pk).account_number == ACCOUNT["account_number"]


def test_a_refused_action_stores_no_answer(cast, zj2023):
    payout = due_payout(cast.own)
    response = _client(cast.owner).post(f"/api/payouts/{payout.pk}/confirm/", _confirm_body(payout, account_name="别人"),
                                        format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 400 and response.json()["code"] == "account_name_mismatch"
    assert not IdempotencyKey.objects.exists()


def test_without_a_key_a_double_click_is_refused_the_second_time(cast, zj2023):
    payout = due_payout(cast.own)
    client = _client(cast.owner)
    url = f"/api/payouts/{payout.pk}/confirm/"
    assert client.post(url, _confirm_body(payout), format="json").status_code == 200
    second = client.post(url, _confirm_body(payout), format="json")
    assert second.status_code == 409 and second.json()["code"] == "already_decided"


def test_round_and_finance_endpoints_take_keys_too(cast, zj2023, budget):
    payout = drive(due_payout(cast.own), "confirmed", cast)
    city = _client(cast.city)
    created = city.post("/api/reward-rounds/", {"fund": zj2023.fund.code}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = city.post("/api/reward-rounds/", {"fund": zj2023.fund.code}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert created.status_code == again.status_code == 201 and created.json() == again.json()
    round_id = created.json()["id"]
    for path in ("approve", "open-notice"):
        for _ in range(2):
            assert city.post(f"/api/reward-rounds/{round_id}/{path}/", HTTP_IDEMPOTENCY_KEY=f"r-{path}").status_code == 200
    assert Step.objects.filter(action="reward_round.approve").count() == 1
    payout = drive(Payout.objects.get(pk=payout.pk), "notice_done", cast)
    finance = _client(cast.finance)
    for _ in range(2):
        assert finance.post(f"/api/payouts/{payout.pk}/confirm-budget/", {}, format="json",
                            HTTP_IDEMPOTENCY_KEY="f-1").status_code == 200
    body = {"bank_reference": "BR-API-1", "value_date": "2026-01-05"}
    paid = [finance.post(f"/api/payouts/{payout.pk}/pay/", body, format="json", HTTP_IDEMPOTENCY_KEY="f-2")
            for _ in range(2)]
    assert [r.status_code for r in paid] == [200, 200] and paid[0].json()["paid_amount"] == "300000.00"
    assert Step.objects.filter(action="payout.pay").count() == 1


def test_finance_sees_payouts_an_enterprise_only_its_own(cast, zj2023):
    mine, theirs = due_payout(cast.own), due_payout(cast.neighbour)
    assert [p["id"] for p in _client(cast.owner).get("/api/payouts/").json()["results"]] == [mine.pk]
    assert {p["id"] for p in _client(cast.finance).get("/api/payouts/").json()["results"]} == {mine.pk, theirs.pk}
    assert _client(cast.owner).get(f"/api/payouts/{theirs.pk}/").status_code == 404
