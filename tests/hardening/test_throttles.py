"""Public doors are throttled: login lockout (django-axes), the API (DRF), signup and /verify/ (429 saying when)."""

import pytest
from rest_framework.test import APIClient

from approvals.models import Step
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def rates(settings, **scopes):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **scopes},
    }


def assert_try_again(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert "Try again in" in text or "分钟后" in text


# ---------------------------------------------------------------- login lockout


def fail(client, username="owner", password="wrong"):
    return client.post("/accounts/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en")


def test_five_failures_lock_the_name_from_that_address_for_fifteen_minutes(client, cast):
    for _attempt in range(4):
        assert fail(client).status_code == 200
    assert_try_again(fail(client))  # the fifth failure locks
    locked = client.post("/accounts/login/", {"username": "owner", "password": "pass12345"}, HTTP_ACCEPT_LANGUAGE="en")
    assert_try_again(locked)
    assert "15 minutes" in locked.content.decode()
    assert 840 <= int(locked["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    # Every attempt, the locked one included, is still a step for the auditor.
    assert Step.objects.filter(action="auth.login_failed", data__username="owner").count() == 6
    assert not Step.objects.filter(action="auth.login").exists()


def test_the_lock_is_per_name_and_address(client, cast):
    for _attempt in range(5):
        fail(client)
    other_name = client.post("/accounts/login/", {"username": "city_reviewer", "password": "pass12345"})
    assert other_name.status_code == 302
    elsewhere = client.post("/accounts/login/", {"username": "owner", "password": "pass12345"}, REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, cast):
    for _attempt in range(4):
        fail(client)
    assert client.post("/accounts/login/", {"username": "owner", "password": "pass12345"}).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert fail(client).status_code == 200


def test_the_lockout_speaks_chinese_too(client, cast):
    for _attempt in range(5):
        fail(client)
    locked = client.post("/accounts/login/", {"username": "owner", "password": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert locked.status_code == 429 and "15 分钟后" in locked.content.decode()


# ---------------------------------------------------------------- API


def test_the_token_api_is_throttled_per_user(settings, cast):
    rates(settings, user="3/minute")
    client = APIClient()
    client.force_authenticate(cast.city)
    assert [client.get("/api/jurisdictions/").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/jurisdictions/")
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert "seconds" in response.json()["message"] or "秒" in response.json()["message"]
    assert int(response["Retry-After"]) > 0


def test_the_anonymous_api_is_throttled_per_address(settings, db):
    rates(settings, anon="2/minute")
    client = APIClient()
    assert client.get("/api/verify/nope/").status_code == 404
    assert client.get("/api/verify/nope/").status_code == 404
    assert client.get("/api/verify/nope/").status_code == 429


# ---------------------------------------------------------------- signup and /verify/


SIGNUP = {"credit_code": "91330100716105852E", "name": "镇江新来有限公司", "jurisdiction": "", "main_product": "轴承",
          "statement": "申请入库", "username": "newcomer", "password": "a-long-pass-9"}


def test_signup_posts_are_limited_per_address(client, settings, db):
    rates(settings, signup="3/hour")
    for _attempt in range(3):
        assert client.post("/cases/signup/", SIGNUP).status_code == 200
    assert_try_again(client.post("/cases/signup/", SIGNUP, HTTP_ACCEPT_LANGUAGE="en"))
    assert client.get("/cases/signup/").status_code == 200  # reading the form is never limited
    assert not Enterprise.objects.filter(name="镇江新来有限公司").exists()


def test_signup_does_not_reveal_the_right_check_character(client, db):
    page = client.post("/cases/signup/", SIGNUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "check character (the last character) of the credit code is wrong" in page
    assert "91330100716105852F" not in page and "expected F" not in page


def test_verify_code_lookups_are_limited_per_address(client, settings, db):
    rates(settings, verify="3/minute")
    for _attempt in range(3):
        assert client.get("/verify/not-a-token").status_code == 404
    assert_try_again(client.get("/verify/not-a-token", HTTP_ACCEPT_LANGUAGE="en"))
    assert client.get("/verify/not-a-token", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_verify_uploads_are_limited_per_address(client, settings, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rates(settings, verify_upload="2/hour")
    for _attempt in range(2):
        client.post("/verify/", {"pdf": SimpleUploadedFile("a.pdf", b"%PDF-1.7 nothing", "application/pdf")})
    response = client.post("/verify/", {"pdf": SimpleUploadedFile("a.pdf", b"%PDF-1.7", "application/pdf")})
    assert_try_again(response)


def test_a_scope_set_to_none_is_not_limited(client, settings, db):
    rates(settings, verify=None)
    assert all(client.get("/verify/x").status_code == 404 for _ in range(80))
