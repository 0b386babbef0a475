"""PostgreSQL: the on-commit task and the sweep (or a redelivered task) racing for one e-mail send it once."""

import time
from unittest import mock

import pytest

from notifications.models import Delivery
from notifications.services import delivery_send, notify
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_senders_of_one_delivery_send_it_once(step_log_flushable, cast):
    cast.owner.email = "owner@example.cn"
    cast.owner.save()
    with mock.patch("notifications.services.notify.deliveries_queue"):  # leave it pending
        notify(recipients=[cast.owner], kind="test.notice", subject="通知", body="正文")
    delivery = Delivery.objects.get(channel="email")
    sent = []

    def slow_send(subject, body, sender, to, fail_silently):
        time.sleep(0.3)  # long enough for the other sender to reach the row lock
        sent.append(to)

    with mock.patch("notifications.services.sending.send_mail", side_effect=slow_send):
        results = race([lambda: delivery_send(delivery_id=delivery.pk)] * 3)
    assert sorted(results) == [False, False, True], results
    assert sent == [["owner@example.cn"]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
