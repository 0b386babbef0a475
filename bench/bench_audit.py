"""Benchmark: verify a step log of 1,000,000 steps on SQLite (target ≤ 60 s).

Builds a fresh SQLite database in var/bench/, fills it with a valid hash chain using raw
bulk inserts (hashes computed with the same function the app uses), then times
``chain_walk`` — what ``manage.py verify_audit`` runs — against a baseline measured in
the same run: reading the same columns with a bare sqlite3 cursor and SHA-256-ing each
row's raw text, i.e. the floor any verifier pays.

    .venv/bin/python bench/bench_audit.py [--steps N] [--keep]
"""

import argparse
import datetime
import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path

from scratch_db import django_on_scratch_database, sqlite_path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = sqlite_path("audit")
TARGET_SECONDS = 60.0

sys.path.insert(0, str(ROOT))


ACTIONS = ["pool_entry.submit", "pool_entry.district_approve", "pool_entry.city_approve", "queue.claim",
           "auth.login", "payout.confirm"]
ROLES = ["enterprise", "district_reviewer", "city_reviewer", "finance"]


def fake_values(seq: int, start: datetime.datetime) -> dict:
    """Plausible, varied step contents (Chinese comments, JSON details, IPs)."""
    return {
        "seq": seq,
        "created_at": start + datetime.timedelta(seconds=seq * 7, microseconds=seq % 997),
        "actor_id": seq % 500 + 1,
        "actor_name": f"user{seq % 500}",
        "actor_role": ROLES[seq % 4],
        "actor_jurisdiction": "321102" if seq % 3 else "",
        "object_type": "workflows.poolentry",
        "object_id": str(seq // 4),
        "enterprise_id": seq % 3000 + 1,
        "jurisdiction": "321102",
        "action": ACTIONS[seq % len(ACTIONS)],
        "state_before": "district_review",
        "state_after": "city_review",
        "comment": "材料齐全，同意推荐。" if seq % 5 == 0 else "",
        "request_id": f"{seq:032x}",
        "client_ip": f"10.{seq % 250}.{seq % 199}.{seq % 251}",
        "data": {"queue_task": seq // 4, "kind": "pool_entry.district_review"} if seq % 2 else {},
    }


def build_chain(steps: int) -> float:
    """Insert ``steps`` chained steps with executemany; returns seconds taken."""
    from django.db import connection, transaction

    from steplog.models import GENESIS_HASH, HASHED_FIELDS, ChainHead, chain_hash

    columns = [*(name for name in HASHED_FIELDS), "prev_hash", "hash"]
    sql = f"INSERT INTO approvals_step ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    ops = connection.ops
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    prev, batch, began = GENESIS_HASH, [], time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for seq in range(1, steps + 1):
            values = fake_values(seq, start)
            digest = chain_hash(prev, values)
            row = [values[name] for name in HASHED_FIELDS]
            row[1] = ops.adapt_datetimefield_value(values["created_at"])
            row[-1] = json.dumps(values["data"])
            batch.append((*row, prev, digest))
            prev = digest
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        ChainHead.objects.update_or_create(pk=1, defaults={"seq": steps, "hash": prev})
    return time.perf_counter() - began


def baseline(db_path: Path) -> float:
    """Bare sqlite3 read of the same columns + SHA-256 of each row's text: the floor."""
    began = time.perf_counter()
    connection = sqlite3.connect(str(db_path))
    prev = "0" * 64
    cursor = connection.execute(
        "SELECT seq, created_at, actor_id, actor_name, actor_role, actor_jurisdiction, object_type, object_id,"
        " enterprise_id, jurisdiction, action, state_before, state_after, comment, request_id, client_ip, data,"
        " prev_hash, hash FROM approvals_step ORDER BY seq"
    )
    for row in cursor:
        prev = hashlib.sha256((prev + "|".join(map(str, row[:17]))).encode()).hexdigest()
    connection.close()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database file afterwards")
    args = parser.parse_args()

    django_on_scratch_database("audit")  # SQLite only: the bench times the SQLite walk
    from steplog.services import chain_walk

    built = build_chain(args.steps)
    print(f"built {args.steps:,} chained steps in {built:.1f} s ({args.steps / built:,.0f} steps/s)")

    floor = baseline(DB_PATH)
    began = time.perf_counter()
    report = chain_walk()
    verify = time.perf_counter() - began

    print(f"baseline (bare sqlite3 read + sha256 per row): {floor:.1f} s ({args.steps / floor:,.0f} steps/s)")
    print(f"verify_audit walk:                            {verify:.1f} s ({args.steps / verify:,.0f} steps/s)")
    print(f"ratio verify / baseline: {verify / floor:.2f}×")
    scaled = verify * 1_000_000 / args.steps
    print(f"result: ok={report.ok} verified_seq={report.verified_seq:,}; "
          f"per 1,000,000 steps {scaled:.1f} s (target ≤ {TARGET_SECONDS:.0f} s)")
    if not args.keep:
        DB_PATH.unlink(missing_ok=True)
    return 0 if report.ok and report.verified_seq == args.steps and scaled <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
