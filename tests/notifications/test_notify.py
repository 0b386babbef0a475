"""notify(): rows in the caller's transaction, sent after commit, per channel, once; failures kept and retried."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import ChannelPreference, Delivery, Notification
from notifications.selectors import city_reviewers, district_reviewers, enterprise_users
from notifications.services import channel_preference_save, delivery_send, notifications_send_due, notify

pytestmark = pytest.mark.django_db


def tell(*recipients, **kwargs):
    kwargs = {"kind": "test.notice", "subject": "您有一条新通知", "body": "请查看。", "link": "/queue/", **kwargs}
    return notify(recipients=recipients, **kwargs)


@pytest.fixture
def owner(cast):
    cast.owner.email = "owner@example.cn"
    cast.owner.save()
    return cast.owner


def test_the_notice_is_written_with_the_callers_transaction_and_mailed_after_commit(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            [notice] = tell(owner, enterprise=owner.enterprise)
            assert not mail.outbox  # nothing leaves before the commit
    assert (notice.recipient, notice.enterprise, notice.read_at) == (owner, owner.enterprise, None)
    assert len(callbacks) == 1 and not mail.outbox
    callbacks[0]()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["owner@example.cn"], "您有一条新通知")]
    assert "http://127.0.0.1:8000/queue/" in mail.outbox[0].body
    channels = dict(notice.deliveries.values_list("channel", "status"))
    assert channels == {"inbox": "sent", "email": "sent"}


def test_a_rolled_back_step_leaves_no_notice_and_sends_nothing(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                tell(owner)
                raise RuntimeError("the step failed")
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_recipients_are_deduplicated_and_inactive_users_skipped(cast):
    cast.other_owner.is_active = False
    cast.other_owner.save()
    tell(cast.owner, cast.owner, cast.other_owner, None)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["owner"]


def test_channel_preferences_are_respected(cast, sms_outbox, django_capture_on_commit_callbacks):
    cast.owner.email = "owner@example.cn"
    cast.owner.save()
    cast.district.email = "district@example.cn"
    cast.district.save()
    channel_preference_save(user=cast.owner, email=False, sms=True, phone="13800000000")
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast.owner, cast.district, cast.city)  # the city reviewer has no e-mail address: inbox only
    channels = set(Delivery.objects.values_list("notification__recipient__username", "channel"))
    assert channels == {
        ("owner", "inbox"), ("owner", "sms"),
        ("jingkou_reviewer", "inbox"), ("jingkou_reviewer", "email"),
        ("city_reviewer", "inbox"),
    }
    assert [m.to for m in mail.outbox] == [["district@example.cn"]]
    assert sms_outbox == [{"phone": "13800000000", "text": "您有一条新通知: 请查看。"}]


def test_sms_needs_a_phone_number(cast):
    from notifications.exceptions import NotificationError

    with pytest.raises(NotificationError) as error:
        channel_preference_save(user=cast.owner, email=True, sms=True, phone=" ")
    assert str(error.value) == "Enter a mobile phone number to receive SMS."
    assert not ChannelPreference.objects.exists()


def test_a_failed_email_is_recorded_then_retried_by_the_sweep_and_sent_once(owner, django_capture_on_commit_callbacks):
    with mock.patch("notifications.services.sending.send_mail", side_effect=ConnectionRefusedError("smtp down")):
        with django_capture_on_commit_callbacks(execute=True):
            tell(owner)
    delivery = Delivery.objects.get(channel="email")
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("failed", 1, None)
    assert delivery.last_error == "ConnectionRefusedError: smtp down"
    assert mail.outbox == []

    now = timezone.now()
    assert notifications_send_due(now=now) == {"notifications_sent": 0, "notifications_failed": 0}  # backoff
    later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
    assert notifications_send_due(now=later) == {"notifications_sent": 1, "notifications_failed": 0}
    assert notifications_send_due(now=later + datetime.timedelta(hours=1))["notifications_sent"] == 0
    assert delivery_send(delivery_id=delivery.pk) is False  # a redelivered task finds it sent
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [["owner@example.cn"]]


def test_the_sweep_gives_up_after_the_configured_attempts(owner, settings):
    settings.TIDU_NOTIFICATION_MAX_ATTEMPTS = 2
    tell(owner)  # on_commit never runs inside the test transaction: the delivery stays pending
    far = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("notifications.services.sending.send_mail", side_effect=OSError("no route")):
        assert notifications_send_due(now=far)["notifications_failed"] == 1
        assert notifications_send_due(now=far + datetime.timedelta(days=1))["notifications_failed"] == 1
        assert notifications_send_due(now=far + datetime.timedelta(days=2)) == {
            "notifications_sent": 0, "notifications_failed": 0
        }
    delivery = Delivery.objects.get(channel="email")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 2, "OSError: no route")


def test_a_fresh_pending_delivery_is_left_to_its_task(owner):
    tell(owner)
    assert notifications_send_due()["notifications_sent"] == 0
    assert notifications_send_due(now=timezone.now() + datetime.timedelta(minutes=5))["notifications_sent"] == 1


def test_recipient_helpers(cast):
    assert list(enterprise_users(enterprise=cast.own)) == [cast.owner]
    assert list(district_reviewers(jurisdiction=cast.own.jurisdiction)) == [cast.district]
    assert list(city_reviewers()) == [cast.city]


def test_the_sms_backend_is_a_setting(cast, settings, caplog):
    settings.TIDU_SMS_BACKEND = "notifications.sms.LoggingSmsBackend"
    channel_preference_save(user=cast.owner, email=False, sms=True, phone="13900000000")
    tell(cast.owner)
    delivery = Delivery.objects.get(channel="sms")
    with caplog.at_level("INFO", logger="notifications.sms"):
        assert delivery_send(delivery_id=delivery.pk) is True
    assert "SMS to 13900000000" in caplog.text


def test_a_notice_worded_by_the_system_reads_in_each_readers_language(owner):
    """Stored in the site's language (what e-mail and SMS carry); the inbox and the API show the
    reader's language; text a person typed is shown as typed."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from rest_framework.test import APIClient

    [notice] = tell(owner, subject=lambda: _("Notifications"), body="请补充研发费用明细。")
    assert (notice.subject, notice.body) == ("站内信", "请补充研发费用明细。")
    assert notice.wording == {"en": {"subject": "Notifications", "body": "请补充研发费用明细。"}}
    with translation.override("en"):
        assert (notice.shown_subject, notice.shown_body) == ("Notifications", "请补充研发费用明细。")
    with translation.override("zh-hans"):
        assert notice.shown_subject == "站内信"
    api = APIClient()
    api.force_authenticate(owner)
    with translation.override("en"):  # the request activates English; leave the thread as found
        assert api.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["subject"] == "Notifications"
    assert api.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]["subject"] == "站内信"


def test_a_notice_given_as_final_text_is_shown_as_written(owner):
    [notice] = tell(owner)
    assert notice.wording == {}
    from django.utils import translation

    with translation.override("en"):
        assert notice.shown_subject == "您有一条新通知"
