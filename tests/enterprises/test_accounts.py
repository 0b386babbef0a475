"""Log in, a failed login, password change and log out — each a step in the audit trail where it matters."""

import pytest

from steplog.models import Step

pytestmark = pytest.mark.django_db


def test_login_and_a_failed_login_leave_steps(client, cast):
    assert client.post("/accounts/login/", {"username": "owner", "password": "wrong"}).status_code == 200
    assert Step.objects.filter(action="auth.login_failed", data__username="owner").exists()
    response = client.post("/accounts/login/", {"username": "owner", "password": "pass12345"})
    assert response.status_code == 302
    assert Step.objects.filter(action="auth.login", actor=cast.owner).exists()


def test_password_change_then_log_out(client, cast):
    client.force_login(cast.owner)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {"old_password": "pass12345", "new_password1": "a-new-long-pass-7", "new_password2": "a-new-long-pass-7"},
    )
    assert response.status_code == 302
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("a-new-long-pass-7")
    assert client.post("/accounts/logout/").status_code == 302
    assert "/accounts/login/" in client.get("/")["Location"]


def test_a_wrong_old_password_is_refused_inline(client, cast):
    client.force_login(cast.owner)
    response = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "a-new-long-pass-7", "new_password2": "a-new-long-pass-7"},
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("pass12345")
