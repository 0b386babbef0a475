"""Seed the soak database: the demo city, then enterprises, open cases, payouts and steps at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidu_soak .venv/bin/python bench/soak/seed.py

Run on a freshly created, migrated PostgreSQL database (``run_load.sh`` makes one). Sizes come
from the environment: ``SOAK_ENTERPRISES`` (100,000; each gets a pool entry awaiting district
review with a live viewflow process and task, and its queue task), ``SOAK_PAYOUTS`` (3,000
payouts waiting for finance to confirm the budget) and ``SOAK_STEPS`` (1,000,000 steps in all,
the demo's included).

The cases are not invented column by column: one case of each kind is made by the demo
through the real services, and each table row that case owns (the case, its viewflow process,
tasks and task links, its queue tasks; for a payout also the title and entitlement) is copied
server-side with ``INSERT … SELECT … generate_series``, ids and links rewritten. The steps
continue the demo's chain, each hashed by ``steplog.models.chain_hash`` (what the app and the
verifier compute) and loaded with ``COPY``.
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

ENTERPRISES = int(os.environ.get("SOAK_ENTERPRISES", 100_000))
PAYOUTS = min(int(os.environ.get("SOAK_PAYOUTS", 3_000)), ENTERPRISES)
STEPS = int(os.environ.get("SOAK_STEPS", 1_000_000))
# Synthetic credit codes sit under a region code no demo enterprise uses, so they never collide.
CREDIT_CODE_PREFIX = "91321199"
STEP_BATCH = 50_000

began = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - began:7.1f} s] {message}", flush=True)


def columns_of(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    return [name for (name,) in cursor.fetchall()]


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def clone(cursor, table: str, template_id: int, count: int, overrides: dict[str, str]) -> None:
    """``count`` copies of row ``template_id`` of ``table``; ``overrides`` are SQL over ``g`` (1…count) and ``t``."""
    names = columns_of(cursor, table)
    select = ", ".join(overrides.get(name, f"t.{name}") for name in names)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} "
        f"FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
        [count, template_id],
    )


def sync_sequences(cursor, tables: list[str]) -> None:
    """Rows were inserted with explicit ids: move each identity on past them."""
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def load_demo() -> None:
    from django.core.management import call_command

    from enterprises.models import Enterprise

    if Enterprise.objects.filter(credit_code__startswith=CREDIT_CODE_PREFIX).exists():
        sys.exit("this database is already seeded: start from a freshly created one")
    call_command("demo", stdout=open(os.devnull, "w"))
    say("demo city loaded (jurisdictions, users of every role, cases and payouts at every stage)")


def seed_enterprises(cursor, jurisdiction_ids: list[int]) -> int:
    """``ENTERPRISES`` enterprises, jurisdictions round-robin; returns the id before the first."""
    from enterprises.validators import credit_code_complete

    base = next_id(cursor, "enterprises_enterprise")
    now = datetime.datetime.now(datetime.timezone.utc)
    raw = cursor.cursor
    with raw.copy(
        "COPY enterprises_enterprise (id, credit_code, name, main_product, niche_market, created_at, updated_at,"
        " jurisdiction_id) FROM STDIN"
    ) as copy:
        for g in range(1, ENTERPRISES + 1):
            copy.write_row((
                base + g,
                credit_code_complete(f"{CREDIT_CODE_PREFIX}{g:09d}"),
                f"镇江梯度{g}号精密制造有限公司",
                "精密零部件",
                "高端装备配套",
                now,
                now,
                jurisdiction_ids[g % len(jurisdiction_ids)],
            ))
    return base


def jurisdiction_of(jurisdiction_ids: list[int]) -> str:
    """SQL for the jurisdiction of the g-th seeded enterprise (the round-robin of ``seed_enterprises``)."""
    return f"(ARRAY[{','.join(map(str, jurisdiction_ids))}])[mod(g, {len(jurisdiction_ids)}) + 1]"


def template_rows(cursor, process_id: int) -> tuple[list[int], list[tuple[int, int, int]]]:
    cursor.execute("SELECT id FROM viewflow_task WHERE process_id = %s ORDER BY id", [process_id])
    tasks = [task_id for (task_id,) in cursor.fetchall()]
    cursor.execute("SELECT id, from_task_id, to_task_id FROM viewflow_task_previous WHERE from_task_id = ANY(%s)", [tasks])
    return tasks, cursor.fetchall()


def clone_process(cursor, *, process_id: int, count: int, process_base: int, case_base: int,
                  enterprise_base: int, jurisdictions: list[int]) -> None:
    """The case's viewflow process, its tasks, their links and its queue tasks, ``count`` times."""
    tasks, links = template_rows(cursor, process_id)
    clone(cursor, "viewflow_process", process_id, count,
          {"id": f"{process_base} + g", "artifact_object_id": f"{case_base} + g", "created": "now()"})
    task_base = next_id(cursor, "viewflow_task")
    task_id = {old: f"{task_base} + (g - 1) * {len(tasks)} + {k + 1}" for k, old in enumerate(tasks)}
    for old in tasks:
        clone(cursor, "viewflow_task", old, count, {"id": task_id[old], "process_id": f"{process_base} + g"})
    link_base = next_id(cursor, "viewflow_task_previous")
    for k, (link, from_task, to_task) in enumerate(links):
        clone(cursor, "viewflow_task_previous", link, count, {
            "id": f"{link_base} + (g - 1) * {len(links)} + {k + 1}",
            "from_task_id": task_id[from_task], "to_task_id": task_id[to_task],
        })
    cursor.execute("SELECT id, task_id, jurisdiction_id FROM approvals_queuetask WHERE task_id = ANY(%s) ORDER BY id",
                   [tasks])
    queue_rows = cursor.fetchall()
    queue_base = next_id(cursor, "approvals_queuetask")
    for k, (queue_id, old_task, jurisdiction) in enumerate(queue_rows):
        clone(cursor, "approvals_queuetask", queue_id, count, {
            "id": f"{queue_base} + (g - 1) * {len(queue_rows)} + {k + 1}",
            "task_id": task_id[old_task],
            "case_id": f"({case_base} + g)::text",
            "enterprise_id": f"{enterprise_base} + g",
            "jurisdiction_id": jurisdiction_of(jurisdictions) if jurisdiction else "NULL",
            "title": f"split_part(t.title, ' · ', 1) || ' · 镇江梯度' || g || '号精密制造有限公司'",
            # due dates spread over five weeks around today, some overdue, as a real queue
            "due_on": "CURRENT_DATE + (mod(g, 35) - 10)" if queue_rows and old_task == tasks[-1] else "t.due_on",
            "created_at": "now()",
        })


def seed_pool_entries(cursor, enterprise_base: int, jurisdictions: list[int]) -> tuple[int, int]:
    """A pool entry awaiting district review for every seeded enterprise; returns (entry base, template)."""
    from workflows.models import PoolEntry, PoolEntryState

    template = PoolEntry.objects.filter(state=PoolEntryState.DISTRICT_REVIEW).order_by("id").first()
    entry_base, process_base = next_id(cursor, "workflows_poolentry"), next_id(cursor, "viewflow_process")
    clone(cursor, "workflows_poolentry", template.pk, ENTERPRISES, {
        "id": f"{entry_base} + g", "enterprise_id": f"{enterprise_base} + g", "process_id": f"{process_base} + g",
        "created_at": "now()",
    })
    clone_process(cursor, process_id=template.process_id, count=ENTERPRISES, process_base=process_base,
                  case_base=entry_base, enterprise_base=enterprise_base, jurisdictions=jurisdictions)
    return entry_base, template.pk


def seed_payouts(cursor, enterprise_base: int, jurisdictions: list[int]) -> tuple[int, int]:
    """``PAYOUTS`` payouts past their public notice, awaiting finance's budget confirmation."""
    from rewards.models import FundBudget, Payout, PayoutState

    template = Payout.objects.select_related("entitlement").filter(state=PayoutState.NOTICE_DONE).first()
    title_base, entitlement_base = next_id(cursor, "enterprises_title"), next_id(cursor, "rewards_entitlement")
    payout_base, process_base = next_id(cursor, "rewards_payout"), next_id(cursor, "viewflow_process")
    clone(cursor, "enterprises_title", template.entitlement.title_id, PAYOUTS,
          {"id": f"{title_base} + g", "enterprise_id": f"{enterprise_base} + g"})
    clone(cursor, "rewards_entitlement", template.entitlement_id, PAYOUTS, {
        "id": f"{entitlement_base} + g", "enterprise_id": f"{enterprise_base} + g", "title_id": f"{title_base} + g",
    })
    clone(cursor, "rewards_payout", template.pk, PAYOUTS, {
        "id": f"{payout_base} + g", "entitlement_id": f"{entitlement_base} + g",
        "enterprise_id": f"{enterprise_base} + g", "process_id": f"{process_base} + g",
        "account_name": "'镇江梯度' || g || '号精密制造有限公司'",
    })
    clone_process(cursor, process_id=template.process_id, count=PAYOUTS, process_base=process_base,
                  case_base=payout_base, enterprise_base=enterprise_base, jurisdictions=jurisdictions)
    # The year's budget covers every payout finance may confirm during the run.
    FundBudget.objects.filter(fund=template.fund).update(amount=template.amount * (PAYOUTS + 100) * 10)
    return payout_base, template.pk


def step_templates(*, entry_template: int, payout_template: int) -> tuple[dict, list[dict]]:
    from steplog.models import HASHED_FIELDS, Step

    def values(step):
        return {name: getattr(step, name) for name in HASHED_FIELDS}

    submit = Step.objects.get(object_type="workflows.poolentry", object_id=str(entry_template), action="pool_entry.submit")
    payout_steps = Step.objects.filter(object_type="rewards.payout", object_id=str(payout_template)).order_by("seq")
    return values(submit), [values(step) for step in payout_steps]


def seeded_steps(*, enterprise_base, entry_base, payout_base, jurisdiction_codes, submit, payout_steps):
    """What the seeded world's log holds, oldest first: each enterprise's registry import (as many
    rounds as the step budget leaves), each pool entry's submission, each payout's path so far."""
    for g in range(1, PAYOUTS + 1):
        for step in payout_steps:
            yield {**step, "object_id": str(payout_base + g), "enterprise_id": enterprise_base + g,
                   "jurisdiction": jurisdiction_codes[g % len(jurisdiction_codes)]}
    for g in range(1, ENTERPRISES + 1):
        yield {**submit, "object_id": str(entry_base + g), "enterprise_id": enterprise_base + g,
               "jurisdiction": jurisdiction_codes[g % len(jurisdiction_codes)], "data": {"revision": 0}}


def filler_steps(count: int, *, enterprise_base, jurisdiction_codes):
    for n in range(count):
        g = n % ENTERPRISES + 1
        yield {
            "actor_id": None, "actor_name": "system", "actor_role": "", "actor_jurisdiction": "",
            "object_type": "enterprises.enterprise", "object_id": str(enterprise_base + g),
            "enterprise_id": enterprise_base + g, "jurisdiction": jurisdiction_codes[g % len(jurisdiction_codes)],
            "action": "enterprise.import", "state_before": "", "state_after": "",
            "comment": f"企业名录导入第{n // ENTERPRISES + 1}批", "request_id": f"{n:032x}",
            "client_ip": f"10.{n % 250}.{n % 199}.{n % 251}", "data": {"row": g},
        }


def seed_steps(cursor, history, total: int) -> int:
    """Append the steps to the demo's chain (hashes by the app's ``chain_hash``) with COPY."""
    from steplog.models import HASHED_FIELDS, ChainHead, chain_hash

    head = ChainHead.objects.get(pk=1)
    seq, prev = head.seq, head.hash
    # Spread over the last 200 days, oldest first, ending before the demo's own steps.
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=200)
    spacing = datetime.timedelta(days=199) / max(total, 1)
    columns = [*HASHED_FIELDS, "prev_hash", "hash"]
    raw = cursor.cursor
    with raw.copy(f"COPY approvals_step ({', '.join(columns)}) FROM STDIN") as copy:
        for n, values in enumerate(history):
            seq += 1
            values = {**values, "seq": seq, "created_at": start + spacing * n}
            digest = chain_hash(prev, values)
            row = [values[name] for name in HASHED_FIELDS]
            row[-1] = json.dumps(values["data"], ensure_ascii=False)
            copy.write_row((*row, prev, digest))
            prev = digest
            if (n + 1) % 200_000 == 0:
                say(f"  {n + 1:,} steps hashed and copied")
    ChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return seq - head.seq


def mark_overdue_swept() -> tuple[int, int]:
    """A queue in a running system: its overdue tasks were reminded and the late ones escalated by
    the due sweep as they fell due (the soak runs that sweep beside gunicorn; it should find only
    what falls due during the run). Uses the sweep's own rule for "late"."""
    from django.conf import settings
    from django.utils import timezone

    from approvals.models import QueueTask
    from approvals.models.queues import ACTIVE
    from approvals.workdays import working_days_after
    from enterprises.models import Role

    today, now = timezone.localdate(), timezone.now()
    overdue = QueueTask.objects.filter(ACTIVE, due_on__lt=today)
    reminded = overdue.filter(reminded_at__isnull=True).update(reminded_at=now)
    due_dates = overdue.order_by().values_list("due_on", flat=True).distinct()
    after = settings.TIDU_ESCALATE_AFTER_OVERDUE_DAYS
    late = [due_on for due_on in due_dates if working_days_after(due_on, after)[0] <= today]
    escalated = (overdue.filter(due_on__in=late, escalated_at__isnull=True).exclude(role=Role.CITY_REVIEWER)
                 .update(escalated_at=now, in_city_queue=True))
    return reminded, escalated


def main() -> None:
    import itertools

    import django

    django.setup()
    from django.db import connection, transaction

    from enterprises.models import Jurisdiction
    from steplog.models import Step

    if connection.vendor != "postgresql":
        sys.exit("the soak seeds PostgreSQL: set DATABASE_URL=postgres://…/tidu_soak")
    load_demo()
    jurisdictions = list(Jurisdiction.objects.order_by("id").values_list("id", "code"))
    ids, codes = [pk for pk, _ in jurisdictions], [code for _, code in jurisdictions]
    with transaction.atomic(), connection.cursor() as cursor:
        enterprise_base = seed_enterprises(cursor, ids)
        say(f"{ENTERPRISES:,} enterprises over {len(ids)} jurisdictions")
        entry_base, entry_template = seed_pool_entries(cursor, enterprise_base, ids)
        say(f"{ENTERPRISES:,} pool entries awaiting district review, each with its viewflow process, tasks and queue task")
        payout_base, payout_template = seed_payouts(cursor, enterprise_base, ids)
        say(f"{PAYOUTS:,} payouts awaiting finance's budget confirmation (title, entitlement, process, tasks)")
        reminded, escalated = mark_overdue_swept()
        say(f"{reminded:,} overdue tasks marked reminded and {escalated:,} escalated, as the sweeps left them")
        sync_sequences(cursor, ["enterprises_enterprise", "workflows_poolentry", "viewflow_process", "viewflow_task",
                                "viewflow_task_previous", "approvals_queuetask", "enterprises_title",
                                "rewards_entitlement", "rewards_payout"])
        submit, payout_steps = step_templates(entry_template=entry_template, payout_template=payout_template)
        case_steps = ENTERPRISES + PAYOUTS * len(payout_steps)
        filler = max(STEPS - Step.objects.count() - case_steps, 0)
        history = itertools.chain(
            filler_steps(filler, enterprise_base=enterprise_base, jurisdiction_codes=codes),
            seeded_steps(enterprise_base=enterprise_base, entry_base=entry_base, payout_base=payout_base,
                         jurisdiction_codes=codes, submit=submit, payout_steps=payout_steps),
        )
        appended = seed_steps(cursor, history, filler + case_steps)
        say(f"{appended:,} steps appended to the chain ({Step.objects.count():,} in all)")
    with connection.cursor() as cursor:
        # What autovacuum would do soon after a bulk load: planner statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    say("VACUUM ANALYZE done; seed complete")


if __name__ == "__main__":
    main()
