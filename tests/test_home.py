"""Each role lands where its work is."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, lands_on",
    [("district", "/queue/"), ("city", "/queue/"), ("auditor", "/audit/"), ("finance", "/archive/"), ("admin", "/queue/")],
)
def test_role_landing_pages(client, cast, who, lands_on):
    client.force_login(getattr(cast, who))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == lands_on
    assert client.get(response["Location"]).status_code == 200


def test_enterprise_lands_on_its_own_diagnosis(client, cast):
    client.force_login(cast.owner)
    response = client.get("/")
    assert response["Location"] == f"/cultivation/diagnosis/{cast.own.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_anonymous_goes_to_login(client, db):
    assert "/accounts/login/" in client.get("/")["Location"]
