"""Benchmark: appends per second through the step log's single chain head, with 1–8 concurrent writers.

PostgreSQL only: SQLite has one writer at a time whatever the chain does, so the question
does not arise there. On a scratch database ``tidu_bench_chain`` (created on the server
``DATABASE_URL`` names, else 127.0.0.1:5432, and dropped afterwards), each writer is a
process of its own with its own connection. A chain append is a real step written by
``steplog.services.step_record`` in a transaction of its own, as a decision writes its
step: lock the head row, hash, insert, move the head, commit. The baseline, measured in
the same run with the same writers, builds the same step and hashes it the same way but
inserts it into ``bench_plain_step`` (a copy of the step table with all its indexes) with
no head to lock: what the same append costs without the chain.

Reported per number of writers: appends/s, p50/p99 milliseconds per append (begin to
commit), the time spent waiting for the head row's lock (the ``SELECT … FOR UPDATE``),
the ratio chain / baseline, and at the end whether the chain still verifies and the
bytes a step row takes on disk. When no PostgreSQL answers it says so and exits 0.

    .venv/bin/python bench/bench_chain_head.py [--writers 1,2,4,8] [--seconds 5] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_chain_head.py
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SCRATCH_NAME = "chain"  # scratch_db names the database tidu_bench_chain
PLAIN_TABLE = "bench_plain_step"
# Writer w of run r numbers its baseline rows from here, so no two rows share a seq (the index is unique).
SEQ_BLOCK = 10_000_000


def postgres_server() -> str | None:
    """The PostgreSQL URL to create the scratch database beside, or None when none answers."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "").strip()
    if url and not url.startswith(("postgres://", "postgresql://")):
        return None
    url = url or DEFAULT_SERVER
    base, _, _ = url.rpartition("/")
    try:
        psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return url


def setup(server: str) -> None:
    os.environ["DATABASE_URL"] = server
    os.environ["DB_CONN_MAX_AGE"] = "0"
    from scratch_db import django_on_scratch_database

    django_on_scratch_database(SCRATCH_NAME, production_like=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PLAIN_TABLE} (LIKE approvals_step INCLUDING ALL)")


def plain_step_model():
    """An unmanaged model on the baseline table: the step's fields, no chain head."""
    from django.db import models

    from steplog.models import Step

    attrs = {field.name: field.clone() for field in Step._meta.local_fields if field.name != "id"}
    meta = type("Meta", (), {"app_label": "steplog", "db_table": PLAIN_TABLE, "managed": False})
    return type("PlainStep", (models.Model,), {"__module__": __name__, "Meta": meta, **attrs})


def cast(writers: int) -> list[tuple]:
    """One district reviewer and one enterprise per writer, with what a step reads of them."""
    from enterprises.models import Enterprise, Jurisdiction, User
    from enterprises.validators import credit_code_complete

    jurisdiction = Jurisdiction.objects.get(code="321102")
    pairs = []
    for n in range(writers):
        enterprise = Enterprise.objects.create(
            credit_code=credit_code_complete(f"91321102{n:09d}"), name=f"镇江基准链{n}有限公司", jurisdiction=jurisdiction
        )
        user = User.objects.create(username=f"writer{n}", role="district_reviewer", jurisdiction=jurisdiction)
        pairs.append((user.pk, enterprise.pk))
    return pairs


def step_content(n: int) -> dict:
    """What a district approval's step carries, varied a little per append."""
    return {
        "action": "pool_entry.district_approve",
        "state_before": "district_review",
        "state_after": "city_review",
        "comment": "材料齐全，同意推荐。" if n % 3 == 0 else "",
        "data": {"queue_task": n, "kind": "pool_entry.district_review"},
    }


class LockTimer:
    """Milliseconds each append spent in the statement that takes the head row's lock."""

    def __init__(self):
        self.current = 0.0

    def __call__(self, execute, sql, params, many, context):
        if "approvals_chainhead" not in sql or "FOR UPDATE" not in sql:
            return execute(sql, params, many, context)
        began = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            self.current += (time.monotonic() - began) * 1000


def writer(kind: str, run: int, index: int, pair: tuple, start_at: float, stop_at: float, results) -> None:
    """Append steps from ``start_at`` until ``stop_at`` (monotonic clock, shared by every process)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from enterprises.models import Enterprise, User
    from steplog.models import GENESIS_HASH, HASHED_FIELDS, chain_hash
    from steplog.services import step_record

    user = User.objects.select_related("jurisdiction").get(pk=pair[0])
    enterprise = Enterprise.objects.select_related("jurisdiction").get(pk=pair[1])
    plain_step = plain_step_model() if kind == "baseline" else None
    timer = LockTimer()
    latencies, waits, n = [], [], 0

    def append_chained():
        step_record(actor=user, obj=enterprise, **step_content(n))

    def append_plain():
        row = plain_step(
            seq=(run * 100 + index) * SEQ_BLOCK + n, created_at=timezone.now(), prev_hash=GENESIS_HASH,
            actor=user, actor_name=user.get_username(), actor_role=user.role,
            actor_jurisdiction=user.jurisdiction.code, object_type="enterprises.enterprise",
            object_id=str(enterprise.pk), enterprise=enterprise, jurisdiction=enterprise.jurisdiction.code,
            **step_content(n),
        )
        row.hash = chain_hash(row.prev_hash, {name: getattr(row, name) for name in HASHED_FIELDS})
        row.save(force_insert=True)

    append = append_chained if kind == "chain" else append_plain
    while time.monotonic() < start_at:
        time.sleep(0.001)
    with connection.execute_wrapper(timer):
        while time.monotonic() < stop_at:
            timer.current, began = 0.0, time.monotonic()
            with transaction.atomic():
                append()
            latencies.append((time.monotonic() - began) * 1000)
            waits.append(timer.current)
            n += 1
    results.put((latencies, waits, time.monotonic()))
    connection.close()


def run_level(kind: str, run: int, writers: int, pairs: list, seconds: float) -> dict:
    """``writers`` processes appending for ``seconds``; returns the level's figures."""
    from django.db import connections

    connections.close_all()  # each forked writer opens its own connection
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 1.0  # time for every process to start and connect
    stop_at = start_at + seconds
    processes = [
        context.Process(target=writer, args=(kind, run, i, pairs[i], start_at, stop_at, results))
        for i in range(writers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = [ms for outcome in outcomes for ms in outcome[0]]
    waits = [ms for outcome in outcomes for ms in outcome[1]]
    elapsed = max(outcome[2] for outcome in outcomes) - start_at
    ordered = sorted(latencies)
    return {
        "appends": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(ordered),
        "p99": ordered[max(0, int(len(ordered) * 0.99) - 1)],
        "wait_ms": statistics.mean(waits),
        "wait_share": sum(waits) / sum(latencies),
    }


def print_level(writers: int, kind: str, row: dict, base: dict) -> None:
    ratio = row["per_second"] / base["per_second"]
    wait = f"{row['wait_ms']:>8.2f}{row['wait_share']:>7.0%}" if kind == "chain" else f"{'–':>8}{'–':>7}"
    print(
        f"{writers:>7} {kind:<9}{row['appends']:>8}{row['per_second']:>10.0f}{row['p50']:>8.2f}{row['p99']:>8.2f}"
        f"{wait}{ratio:>8.2f}×"
    )


def chain_facts() -> tuple[bool, int, int, float]:
    """Whether the chain verifies, how many steps it holds, and bytes per step (table + indexes, heap)."""
    from django.db import connection

    from steplog.models import Step
    from steplog.services import chain_walk

    report = chain_walk()
    count = Step.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE approvals_step")
        cursor.execute("SELECT pg_total_relation_size('approvals_step'), pg_relation_size('approvals_step')")
        total, heap = cursor.fetchone()
    return report.ok and report.verified_seq == count, count, total / max(count, 1), heap / max(count, 1)


def drop_scratch(server: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base, _, _ = server.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS tidu_bench_{SCRATCH_NAME}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="1,2,4,8", help="comma-separated writer counts (default 1,2,4,8)")
    parser.add_argument("--seconds", type=float, default=5.0, help="appending time per count and kind (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]

    server = postgres_server()
    if server is None:
        print("bench_chain_head skipped: no PostgreSQL answers (set DATABASE_URL=postgres://… or start one at "
              "127.0.0.1:5432); the chain head's cost only shows with concurrent writers on PostgreSQL")
        return 0
    setup(server)
    pairs = cast(max(counts))
    load = os.getloadavg()[0]
    print(f"bench_chain_head on PostgreSQL, {os.cpu_count()} CPUs, load average {load:.1f} at start; "
          f"{args.seconds:g} s per row; each append one transaction")
    print(f"{'writers':>7} {'kind':<9}{'appends':>8}{'per s':>10}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'wait ms':>8}{'wait%':>7}{'÷ base':>9}")
    for run, writers in enumerate(counts):
        # Baseline first, then the chain, at each count: both meet the same patch of machine load.
        base = run_level("baseline", run, writers, pairs, args.seconds)
        chain = run_level("chain", run, writers, pairs, args.seconds)
        print_level(writers, "baseline", base, base)
        print_level(writers, "chain", chain, base)
    ok, steps, total_bytes, heap_bytes = chain_facts()
    print(f"chain after the run: {steps:,} steps, verifies: {'yes' if ok else 'NO'}; "
          f"{total_bytes:,.0f} bytes per step with its indexes ({heap_bytes:,.0f} in the table itself)")
    print("wait ms: mean time per append inside the head row's SELECT … FOR UPDATE; "
          "÷ base: appends/s against the baseline's at the same writer count")
    if not args.keep:
        drop_scratch(server)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
