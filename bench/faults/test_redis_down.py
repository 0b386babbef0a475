"""Redis (the broker) stopped while reviewers decide: pages and decisions keep working at their
usual speed, each side effect they queue (the pool notice's PDF, the e-mail to the enterprise,
the entitlements of a recognition) stays recorded in the database, and once Redis is back the
worker and the sweeps do all of it, once. Measures seconds from broker recovery to the last
side effect done."""

import datetime
import statistics
import time

import pytest
import requests
from django.db.models import Q
from django.test import Client
from harness import api_token, celery_worker, outcome, redis_start, redis_stop, sweeper, wait_for

from documents.models import Document, RenderState
from enterprises.models import Tier, Title
from notifications.models import Channel, Delivery, DeliveryStatus
from rewards.models import Entitlement
from tests.factories import EnterpriseFactory, UserFactory
from workflows.services.pool import pool_entry_propose
from workflows.services.recognition import recognition_record

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

DECISIONS = 8  # before the outage, and again during it
RECOGNITIONS = 6
OUTAGE_SECONDS = 5


def city_review_entries(cast, count: int) -> list[int]:
    """Entries a district reviewer proposed (so they wait for the city), each firm with an owner who gets mail."""
    pks = []
    for serial in range(count):
        enterprise = EnterpriseFactory()
        UserFactory(role="enterprise", enterprise=enterprise, email=f"owner{serial}@example.test")
        pks.append(pool_entry_propose(enterprise=enterprise, by=cast.district, statement="申请入库").pk)
    return pks


def decide(web: str, token: str, pk: int) -> float:
    started = time.monotonic()
    response = requests.post(f"{web}/api/pool-entries/{pk}/decide/city_approve/", json={},
                             headers={"Authorization": f"Token {token}"}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response.json()["state"] == "pooled", response.text[:300]
    return elapsed


def owed() -> dict[str, int]:
    return {
        "documents": Document.objects.exclude(render_state=RenderState.READY).count(),
        "entitlements": Title.objects.filter(recognitions__isnull=False, entitlements__isnull=True).count(),
        "deliveries": Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]).count(),
    }


def test_redis_down_decisions_work_and_side_effects_follow(step_log_flushable, cast, zj2023, children, web):
    token = api_token(cast.city)
    before, during = city_review_entries(cast, DECISIONS), city_review_entries(cast, DECISIONS)
    session = Client()
    session.force_login(cast.city)
    cookies = {"sessionid": session.cookies["sessionid"].value}
    children(celery_worker())
    children(sweeper())

    usual = [decide(web, token, pk) for pk in before]
    redis_stop()
    outage = [decide(web, token, pk) for pk in during]
    page = requests.get(f"{web}/queue/", cookies=cookies, timeout=30)
    assert page.status_code == 200 and "<html" in page.text
    recorded = []
    for _ in range(RECOGNITIONS):  # the city records results (this process publishes to the dead broker too)
        started = time.monotonic()
        recognition_record(enterprise=EnterpriseFactory(), tier=Tier.LITTLE_GIANT, recognized_on=datetime.date(2024, 6, 1),
                           kind="first", by=cast.city, batch="第六批")
        recorded.append(time.monotonic() - started)
    owed_in_outage = owed()
    assert owed_in_outage["documents"] >= DECISIONS  # the notices issued in the outage wait for their PDF
    time.sleep(OUTAGE_SECONDS)  # the sweeps run meanwhile and must survive the dead broker

    redis_start()
    recovered_at = time.monotonic()
    assert wait_for(lambda: not any(owed().values()), 180, every=0.1), f"still owed: {owed()}"
    recovery = time.monotonic() - recovered_at

    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert emails.exists() and not emails.filter(~Q(status=DeliveryStatus.SENT) | ~Q(attempts=1)).exists()
    assert Document.objects.count() == len({d.number for d in Document.objects.all()})
    per_title = Entitlement.objects.values_list("title", "policy")
    assert len(per_title) == len(set(per_title))
    usual_p50, outage_p50, outage_max = statistics.median(usual), statistics.median(outage), max(outage)
    assert outage_max < 3.0 and outage_p50 < usual_p50 + 1.5, (usual, outage)
    outcome(
        f"Redis down: {DECISIONS} decisions answered 200 (median {outage_p50 * 1000:.0f} ms, slowest "
        f"{outage_max * 1000:.0f} ms; {usual_p50 * 1000:.0f} ms with Redis up), the queue page 200, {RECOGNITIONS} "
        f"recognitions recorded (slowest {max(recorded) * 1000:.0f} ms); owed meanwhile: {owed_in_outage['documents']} "
        f"PDFs, {owed_in_outage['entitlements']} titles' entitlements, {owed_in_outage['deliveries']} deliveries "
        f"(the sweeps compute entitlements and send mail without the broker); Redis back → last side effect done "
        f"in {recovery:.1f} s; {emails.count()} e-mails sent once each, numbers and entitlements unique — PASS"
    )
