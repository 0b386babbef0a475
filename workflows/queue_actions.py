"""What the shared queue (approvals) shows and bulk-approves for each kind of case task.

approvals never imports workflows; workflows registers its kinds and actions at start-up.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _pool_entry_url(queue_task) -> str:
    return reverse("pool:detail", args=[queue_task.case_id])


def _bulk(service):
    def run(*, case_type, case_id, by, comment):
        from .models import PoolEntry

        return service(entry=PoolEntry.objects.get(pk=case_id), by=by, comment=comment)

    return run


def register_queue_actions() -> None:
    from approvals.queues import register_bulk_action, register_kind

    from .services import pool

    register_kind(pool.DISTRICT_REVIEW, _("Pool entry: district review"), _pool_entry_url)
    register_kind(pool.CITY_REVIEW, _("Pool entry: city review"), _pool_entry_url)
    register_kind(pool.REVISION, _("Pool entry: revise and resubmit"), _pool_entry_url)
    register_kind(pool.EXIT_REVIEW, _("Pool exit review"), _pool_entry_url)
    register_bulk_action(pool.DISTRICT_REVIEW, _("Approve"), _bulk(pool.pool_entry_district_approve))
    register_bulk_action(pool.CITY_REVIEW, _("Approve"), _bulk(pool.pool_entry_city_approve))
    register_bulk_action(pool.EXIT_REVIEW, _("Confirm exit"), _bulk(pool.pool_entry_confirm_exit))
