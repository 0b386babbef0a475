"""Each soak page alone: the app's CPU per request, the wall time and the queries, on the soak database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidu_soak .venv/bin/python bench/soak/pages.py

Django's test client, one request at a time, DEBUG off. CPU time is this process's (the app's
Python; PostgreSQL's work is in the wall time): it moves little with the machine's load, so it
says what a page costs where the latencies under locust say what the machine could give.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
REPEAT = 10


def pages() -> list[tuple[str, str, str]]:
    """(page class, login, path) for each page the locust users walk."""
    from enterprises.models import User
    from rewards.models import Payout, PayoutState
    from workflows.models import PoolEntry, PoolEntryState

    reviewer = User.objects.get(username="jingkou")
    entry = PoolEntry.objects.filter(state=PoolEntryState.DISTRICT_REVIEW, enterprise__jurisdiction=reviewer.jurisdiction)
    payout = Payout.objects.filter(state=PayoutState.NOTICE_DONE).order_by("-pk").first()
    return [
        ("queue", "jingkou", "/queue/?tab=open"),
        ("queue (deeper page)", "jingkou", "/queue/?tab=open&page=200"),
        ("queue (search)", "jingkou", "/queue/?tab=open&query=梯度1234"),
        ("queue (city)", "city", "/queue/?tab=open"),
        ("case", "jingkou", f"/pool/{entry.order_by('-pk').first().pk}/"),
        ("dashboard", "city", "/dashboard/"),
        ("enterprise cases", "qiye1", "/pool/"),
        ("diagnosis", "qiye1", "/cultivation/"),
        ("payouts", "finance", "/payouts/?state=notice_done"),
        ("payout", "finance", f"/payouts/{payout.pk}/"),
    ]


def measure(client, path: str) -> tuple[float, float, int]:
    """Median CPU ms, median wall ms and the queries of one request to ``path``."""
    from django.db import connection

    queries = []
    client.get(path, follow=True)  # warm: sessions, caches, the first query plans
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(path, follow=True)
    cpu, wall = [], []
    for _ in range(REPEAT):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path, follow=True)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(cpu), statistics.median(wall), len(queries)


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from enterprises.models import User

    print(f"{'page class':22} {'CPU ms':>7} {'wall ms':>8} {'queries':>8}   (median of {REPEAT}, one at a time)")
    for name, login, path in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=login))
        cpu, wall, queries = measure(client, path)
        print(f"{name:22} {cpu:7.1f} {wall:8.1f} {queries:8}", flush=True)


if __name__ == "__main__":
    main()
