"""The inbox page and API: one's own notifications only, unread count in the menu, mark read, channels."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.models import ChannelPreference, Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, subject="新的待办提醒", link="/queue/"):
    [notice] = notify(recipients=[user], kind="test.notice", subject=subject, body="正文", link=link)
    return notice


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["owner", "district", "city", "finance", "auditor", "admin"])
def test_every_role_has_an_inbox_with_the_unread_count_in_the_menu(client, cast, who):
    user = getattr(cast, who)
    tell(user, "第一条")
    tell(user, "第二条")
    client.force_login(user)
    html = client.get(reverse("notifications:index")).content.decode()
    assert html.count('data-testid="notification"') == 2 and "第一条" in html
    assert 'data-testid="nav-unread-notifications"' in html and "2 条未读" in html


def test_no_count_when_everything_is_read(client, cast):
    tell(cast.owner).deliveries.all()  # noqa: B018
    client.force_login(cast.owner)
    client.post(reverse("notifications:read_all"))
    html = client.get(reverse("notifications:index")).content.decode()
    assert 'data-testid="nav-unread-notifications"' not in html
    assert Notification.objects.get().read_at is not None


def test_the_unread_tab_and_marking_one_read(client, cast):
    first, second = tell(cast.owner, "第一条"), tell(cast.owner, "第二条")
    client.force_login(cast.owner)
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:index")
    html = client.get(reverse("notifications:index") + "?tab=unread").content.decode()
    assert "第二条" in html and "第一条" not in html and "1 条未读" in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_open_marks_read_and_goes_to_the_link_on_this_site_only(client, cast):
    local, foreign = tell(cast.owner, link="/queue/"), tell(cast.owner, link="https://evil.example/")
    client.force_login(cast.owner)
    assert client.post(reverse("notifications:read", args=[local.pk]), {"open": "1"}).url == "/queue/"
    assert client.post(reverse("notifications:read", args=[foreign.pk]), {"open": "1"}).url == reverse(
        "notifications:index"
    )


def test_nobody_reads_or_marks_another_users_notification(client, cast):
    notice = tell(cast.owner)
    client.force_login(cast.other_owner)
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    assert "新的待办提醒" not in client.get(reverse("notifications:index")).content.decode()
    other = api(cast.admin)
    assert other.get(f"/api/notifications/{notice.pk}/").status_code == 404
    assert other.post(f"/api/notifications/{notice.pk}/read/").status_code == 404
    assert other.get("/api/notifications/").json()["count"] == 0
    other.post("/api/notifications/read-all/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_api_lists_and_marks_ones_own(cast):
    first, second = tell(cast.owner, "第一条"), tell(cast.owner, "第二条")
    owner = api(cast.owner)
    listed = owner.get("/api/notifications/").json()
    assert [row["subject"] for row in listed["results"]] == ["第二条", "第一条"]
    assert owner.post(f"/api/notifications/{first.pk}/read/").json()["is_read"] is True
    assert [row["id"] for row in owner.get("/api/notifications/?unread=1").json()["results"]] == [second.pk]
    assert owner.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert owner.get("/api/notifications/?unread=1").json()["count"] == 0


def test_the_api_needs_a_login():
    assert APIClient().get("/api/notifications/").status_code in (401, 403)


def test_the_inbox_page_needs_a_login(client):
    response = client.get(reverse("notifications:index"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_choosing_channels(client, cast):
    client.force_login(cast.owner)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="sms"' in page
    refused = client.post(reverse("notifications:preferences"), {"email": "on", "sms": "on", "phone": ""})
    assert "接收短信须填写手机号码。" in refused.content.decode()  # pages speak Chinese by default
    client.post(reverse("notifications:preferences"), {"sms": "on", "phone": "13800000000"})
    preference = ChannelPreference.objects.get(user=cast.owner)
    assert (preference.email, preference.sms, preference.phone) == (False, True, "13800000000")
