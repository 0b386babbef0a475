"""The OpenAPI schema is served and generates without warnings; the docs page needs no CDN."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/pool-entries/" in (tmp_path / "schema.yaml").read_text()


def test_schema_and_docs_are_served(client, cast):
    client.force_login(cast.city)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs


def test_token_authentication_works(cast):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=cast.district)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/enterprises/").status_code == 200
    assert APIClient(HTTP_AUTHORIZATION="Token wrong").get("/api/enterprises/").status_code == 401
