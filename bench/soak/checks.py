"""After the soak: the chain verifies, no payout is paid twice, no queue task is orphaned.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidu_soak .venv/bin/python bench/soak/checks.py

Prints one line per check and exits 1 if any fails.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# viewflow task statuses of a task still waiting for someone.
LIVE_STATUSES = ("NEW", "ASSIGNED", "STARTED")


def chain_verifies() -> tuple[bool, str]:
    from steplog.services import chain_verify

    result = chain_verify()
    if result.ok:
        return True, f"{result.verified_seq:,} steps verified in {result.seconds:.1f} s"
    return False, f"broken at step {result.broken_seq}: {result.reason}"


def payouts_paid_once() -> tuple[bool, str]:
    """Each entitlement has at most one paid payout, and each payout was paid by one step."""
    from django.db.models import Count

    from rewards.models import Payout
    from rewards.models.payouts import PAID_STATES
    from steplog.models import Step

    paid = Payout.objects.filter(state__in=PAID_STATES)
    twice_per_entitlement = paid.values("entitlement").annotate(n=Count("id")).filter(n__gt=1).count()
    pay_steps = (
        Step.objects.filter(object_type="rewards.payout", action="payout.pay")
        .values("object_id").annotate(n=Count("id"))
    )
    paid_twice = pay_steps.filter(n__gt=1).count()
    unpaid_with_pay_step = (
        Payout.objects.exclude(state__in=PAID_STATES)
        .filter(pk__in=[int(row["object_id"]) for row in pay_steps]).count()
    )
    ok = twice_per_entitlement == 0 and paid_twice == 0 and unpaid_with_pay_step == 0
    return ok, (f"{paid.count():,} paid payouts; entitlements paid twice {twice_per_entitlement}, "
                f"payouts with two payment steps {paid_twice}, payment steps on an unpaid payout {unpaid_with_pay_step}")


def no_orphan_tasks() -> tuple[bool, str]:
    """Every open queue task linked to viewflow points at a live task, and every live human task has one."""
    from viewflow.workflow.models import Task

    from approvals.models import QueueTask
    from approvals.models.queues import ACTIVE

    open_tasks = QueueTask.objects.filter(ACTIVE)
    dead_links = open_tasks.filter(task__isnull=False).exclude(task__status__in=LIVE_STATUSES).count()
    live_human = Task.objects.filter(flow_task_type="HUMAN", status__in=LIVE_STATUSES)
    unqueued = live_human.exclude(pk__in=open_tasks.filter(task__isnull=False).values("task_id")).count()
    queue_only = open_tasks.filter(task__isnull=True).count()
    ok = dead_links == 0 and unqueued == 0
    return ok, (f"{open_tasks.count():,} open queue tasks, {live_human.count():,} live viewflow human tasks; "
                f"open queue tasks on a finished viewflow task {dead_links}, live tasks with no open queue task "
                f"{unqueued} ({queue_only} queue-only tasks such as expert scoring have no viewflow task by design)")


def main() -> int:
    import django

    django.setup()
    failed = 0
    for name, check in [("chain verifies", chain_verifies), ("no payout duplicated", payouts_paid_once),
                        ("no orphan task", no_orphan_tasks)]:
        ok, detail = check()
        failed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
