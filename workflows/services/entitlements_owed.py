"""The sweep of 免申即享: a final recognition whose title has no entitlement yet is still owed one.

Recognition queues ``rewards.compute_entitlements`` after commit; when the broker was down
or the worker died mid-computation, nothing else records the debt, but the title without any
entitlement does (``entitlements_compute`` keeps a row for every outcome, zero included).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from enterprises.models import Title
from rewards.services import entitlements_compute

from ..models import RecognitionStatus

SWEEP_BATCH = 200


def entitlements_owed_compute() -> dict[str, int]:
    """Compute the entitlements of titles recognized over ``TIDU_SWEEP_STALLED_SECONDS`` ago
    that have none. Idempotent (``entitlements_compute`` locks the enterprise and keeps what
    exists); beat runs it (``workflows.entitlements_owed``), and ``manage.py run_due_timers``."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.TIDU_SWEEP_STALLED_SECONDS)
    owed = Title.objects.filter(
        recognitions__status=RecognitionStatus.FINAL, recognitions__created_at__lt=cutoff, entitlements__isnull=True
    ).distinct()
    titles = list(owed.order_by("pk")[:SWEEP_BATCH])
    for title in titles:
        entitlements_compute(title=title)
    return {"entitlements_computed": len(titles)}
