"""The scoping matrix: every role × own / neighbour / other-jurisdiction enterprise, by page and API."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# role → which of (own, neighbour, far) it may read
MATRIX = {
    "owner": (True, False, False),
    "other_owner": (False, True, False),
    "district": (True, True, False),
    "other_district": (False, False, True),
    "city": (True, True, True),
    "finance": (True, True, True),
    "auditor": (True, True, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("role", MATRIX)
def test_api_detail_answers_404_outside_scope(cast, role):
    client = APIClient()
    client.force_authenticate(getattr(cast, role))
    for enterprise, visible in zip((cast.own, cast.neighbour, cast.far), MATRIX[role]):
        response = client.get(f"/api/enterprises/{enterprise.pk}/")
        assert response.status_code == (200 if visible else 404), (role, enterprise.name)


@pytest.mark.parametrize("role", MATRIX)
def test_api_list_shows_only_the_scope(cast, role):
    client = APIClient()
    client.force_authenticate(getattr(cast, role))
    names = {row["name"] for row in client.get("/api/enterprises/").json()["results"]}
    expected = {e.name for e, visible in zip((cast.own, cast.neighbour, cast.far), MATRIX[role]) if visible}
    assert names == expected


@pytest.mark.parametrize("role", MATRIX)
def test_page_detail_answers_404_outside_scope(client, cast, role):
    client.force_login(getattr(cast, role))
    for enterprise, visible in zip((cast.own, cast.neighbour, cast.far), MATRIX[role]):
        response = client.get(f"/registry/enterprise/{enterprise.pk}/detail/")
        assert response.status_code == (200 if visible else 404), (role, enterprise.name)
        if visible:
            assert enterprise.name in response.content.decode()


def test_page_list_of_a_district_reviewer_shows_only_its_district(client, cast):
    client.force_login(cast.district)
    body = client.get("/registry/enterprise/").content.decode()
    assert cast.own.name in body and cast.neighbour.name in body
    assert cast.far.name not in body


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get("/api/enterprises/").status_code in (401, 403)
    response = client.get("/registry/enterprise/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enterprise_user_cannot_edit_a_neighbour_through_the_api(cast):
    client = APIClient()
    client.force_authenticate(cast.owner)
    response = client.patch(f"/api/enterprises/{cast.neighbour.pk}/", {"name": "篡改"}, format="json")
    assert response.status_code == 404
    cast.neighbour.refresh_from_db()
    assert cast.neighbour.name != "篡改"


def test_auditor_reads_but_cannot_write(cast):
    client = APIClient()
    client.force_authenticate(cast.auditor)
    response = client.patch(f"/api/enterprises/{cast.own.pk}/", {"name": "审计改名"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
