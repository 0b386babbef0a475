"""Redis down: decisions still succeed, every side effect they queue stays recorded in the
database, and the sweeps do it once the broker is back — once."""

import pytest
from celery.app.task import Task
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from approvals.services.sla import due_sweeps_run
from documents.models import Document, DocumentKind, RenderState
from enterprises.models import Tier
from notifications.models import Delivery, DeliveryStatus
from rewards.models import Entitlement
from steplog.models import Step
from workflows.services.recognition import recognition_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch, settings):
    """Every publish fails as Celery's does with Redis stopped; ``.undo()`` brings the broker back."""

    def refused(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refused)
    settings.TIDU_SWEEP_STALLED_SECONDS = 0  # owed work is due for its sweep at once
    return monkeypatch


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_decision_succeeds_and_its_document_waits_for_the_broker(cast, broker_down):
    pk = api(cast.owner).post("/api/pool-entries/", {"statement": "精密轴承"}, format="json").json()["id"]
    assert api(cast.district).post(f"/api/pool-entries/{pk}/decide/district_approve/", {}).status_code == 200
    done = api(cast.city).post(f"/api/pool-entries/{pk}/decide/city_approve/", {})

    assert done.status_code == 200 and done.json()["state"] == "pooled"
    [notice] = Document.objects.filter(kind=DocumentKind.POOL_ENTRY_NOTICE)
    assert notice.render_state == RenderState.PENDING and notice.number
    owed = set(Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))

    broker_down.undo()
    due_sweeps_run()
    notice = Document.objects.get(pk=notice.pk)
    assert notice.render_state == RenderState.READY and notice.pdf
    sent = Delivery.objects.filter(pk__in=owed, status=DeliveryStatus.SENT, attempts=1)
    assert sent.count() == len(owed) and not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    assert Document.objects.filter(kind=DocumentKind.POOL_ENTRY_NOTICE).count() == 1


def test_a_recognition_owes_its_entitlements_until_the_sweep(cast, broker_down):
    import datetime

    recorded = recognition_record(enterprise=cast.own, tier=Tier.LITTLE_GIANT, recognized_on=datetime.date(2024, 7, 15),
                                  kind="first", by=cast.city, batch="第六批")
    assert recorded.title is not None and not Entitlement.objects.exists()

    broker_down.undo()
    assert due_sweeps_run()["entitlements_computed"] == 1
    computed = list(Entitlement.objects.filter(title=recorded.title))
    assert computed and Step.objects.filter(action__startswith="entitlement").count() >= len(computed)
    assert due_sweeps_run()["entitlements_computed"] == 0  # nothing twice
    assert Entitlement.objects.filter(title=recorded.title).count() == len(computed)
