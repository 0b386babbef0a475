"""A NUL character (\\x00 or %00) anywhere a view reads text is a 400 with a clear message, never a 500.

PostgreSQL refuses NUL in text; one middleware guards paths, query strings and forms, and the
API's JSON parser guards bodies (answering the API's usual {"code", "message", "fields"}).
"""

import pytest
from rest_framework.test import APIClient

from enterprises.models import Enterprise
from approvals.models import Step

pytestmark = pytest.mark.django_db

NUL_TEXT = "NUL character"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_refused_as_page(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    with_english = response.content.decode()
    assert "NUL" in with_english and "\\x00" in with_english


def assert_refused_as_api(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] in {"invalid", "nul_character"} and field in body["fields"]
    assert "NUL" in body["fields"][field][0]


@pytest.mark.parametrize(
    "url",
    [
        "/verify/abc%00def",
        "/verify/%00/",
        "/audit/timeline/enterprise/1%00/",
        "/registry/enterprise/?name=%00",
        "/registry/enterprise/?q=a%00b",
        "/archive/?number=%00",
        "/cultivation/ranking/?jurisdiction=%00",
        "/cultivation/ranking/export.xlsx?as_of=2024%00",
        "/queue/?kind=%00",
        "/audit/?action=%00",
    ],
)
def test_a_nul_in_a_page_path_or_query_is_a_400(client, cast, url):
    client.force_login(cast.city)
    assert_refused_as_page(client.get(url))


def test_a_nul_in_a_posted_form_is_a_400_and_changes_nothing(client, cast):
    client.force_login(cast.city)
    steps = Step.objects.count()
    assert_refused_as_page(client.post("/queue/1/reassign/", {"to": "1\x00"}))
    assert_refused_as_page(client.post("/accounts/login/", {"username": "owner\x00", "password": "x"}))
    assert Step.objects.count() == steps


def test_the_public_verify_page_refuses_a_nul_without_logging_in(client):
    assert_refused_as_page(client.get("/verify/%00"))
    assert_refused_as_page(client.get("/verify/", {"token": "a\x00"}))


def test_the_language_of_the_refusal_follows_the_user(client):
    response = client.get("/verify/%00", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "空字符" in response.content.decode()


def test_registry_create_through_the_api_refuses_a_nul_in_any_field(cast):
    body = {"credit_code": "91320000000000001X", "name": "镇江\x00有限公司", "jurisdiction": "321102"}
    assert_refused_as_api(api(cast.city).post("/api/enterprises/", body, format="json"), "name")
    assert not Enterprise.objects.filter(name__startswith="镇江").exclude(pk__in=[cast.own.pk, cast.neighbour.pk]).exists()


def test_registry_update_through_the_api_refuses_a_nul_nested_or_in_a_key(cast):
    response = api(cast.district).patch(f"/api/enterprises/{cast.own.pk}/", {"main_product": "轴承\x00"}, format="json")
    assert_refused_as_api(response, "main_product")
    response = api(cast.district).patch(f"/api/enterprises/{cast.own.pk}/", {"x\x00": "1"}, format="json")
    assert_refused_as_api(response, "x\\x00")
    before = cast.own.main_product
    cast.own.refresh_from_db()
    assert cast.own.main_product == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/enterprises/?name=%00",
        "/api/enterprises/%00/",
        "/api/verify/%00/",
        "/api/queue/?kind=%00",
        "/api/documents/?number=a%00",
    ],
)
def test_a_nul_in_an_api_path_or_query_answers_the_api_error_shape(cast, url):
    response = api(cast.city).get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "nul_character" and "NUL" in body["message"] and body["fields"]


def test_queue_reassign_through_the_api_refuses_a_nul(cast):
    response = api(cast.city).post("/api/queue/1/reassign/", {"to": "city\x00"}, format="json")
    assert_refused_as_api(response, "to")
