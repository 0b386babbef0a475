"""Benchmark: what one decision costs through the case kernel, beside plain viewflow and a bare transaction.

Drives N applications from draft to recognized (submit, district 初审, city 复核, recommend,
recognize) and N pool entries into the pool (propose, district approve, city approve)
through the services, on a fresh database, and reports for each decision type the
milliseconds (wall and CPU) and the queries per decision. In the same run it measures:
(a) a plain viewflow 2.4 flow of three human steps with nothing of ours (assign, start,
execute each task under the flow's row lock) and (b) a bare "lock row, update state,
insert log row" transaction. Document rendering (the 入库通知, 推荐函 and 认定结果通知 are
numbered inside the decision) is left out: rendering runs after commit in the worker and
has its own bench (bench_documents.py).

Targets (issue 8): every decision at most 1.0× the plain viewflow step by CPU time, at most
20 queries (10 the aim), and no savepoint inside a decision.

    .venv/bin/python bench/bench_decisions.py [--cases N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_decisions.py
"""

import argparse
import datetime
import itertools
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from scratch_db import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_RATIO, TARGET_QUERIES = 1.0, 20


def setup_django() -> str:
    import os

    backend = scratch_database("decisions")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    from django.conf import settings

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "plainflow"]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return backend


class Meter:
    """Wall and CPU time and queries (savepoints counted apart) of each measured call, by name."""

    def __init__(self):
        self.samples = defaultdict(list)
        self.last_statements: dict[str, list[str]] = {}

    @contextmanager
    def measure(self, name: str):
        from django.db import connection

        statements: list[str] = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            wall, cpu = time.perf_counter(), time.process_time()
            yield
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        savepoints = sum(1 for sql in statements if "SAVEPOINT" in sql.upper())
        self.last_statements[name] = statements
        self.samples[name].append((wall * 1000, cpu * 1000, len(statements), savepoints))

    def row(self, name: str) -> dict:
        walls, cpus, queries, savepoints = zip(*self.samples[name])
        return {
            "wall": statistics.median(walls),
            "cpu": statistics.mean(cpus),
            "queries": max(queries),
            "savepoints": max(savepoints),
            "n": len(walls),
        }


def no_rendering() -> None:
    """Documents are numbered in the decision; their PDFs are rendered after commit, measured apart."""
    import documents.services.issue as issue

    issue._queue_render = lambda document: None


def cast():
    from enterprises.models import Jurisdiction, User

    jingkou = Jurisdiction.objects.get(code="321102")
    return {
        "district": User.objects.create(username="bench_district", role="district_reviewer", jurisdiction=jingkou),
        "city": User.objects.create(username="bench_city", role="city_reviewer"),
    }


_serial = itertools.count()


def enterprises(count: int):
    """``count`` new enterprises in 京口区, each with its owner."""
    from enterprises.models import Enterprise, Jurisdiction, User
    from enterprises.validators import credit_code_complete

    jingkou = Jurisdiction.objects.get(code="321102")
    numbers = [next(_serial) for _ in range(count)]
    Enterprise.objects.bulk_create(
        Enterprise(credit_code=credit_code_complete(f"91321102{n:09d}"), name=f"镇江基准{n}有限公司", jurisdiction=jingkou)
        for n in numbers
    )
    made = list(Enterprise.objects.filter(name__in=[f"镇江基准{n}有限公司" for n in numbers]).order_by("pk"))
    owners = User.objects.bulk_create(User(username=f"owner{e.pk}", role="enterprise", enterprise=e) for e in made)
    return list(zip(made, owners))


def run_pool_entries(meter: Meter, people: dict, count: int) -> None:
    from workflows.services import pool

    for enterprise, owner in enterprises(count):
        with meter.measure("pool: propose"):
            entry = pool.pool_entry_propose(enterprise=enterprise, by=owner, statement="申请入库")
        with meter.measure("pool: district approve"):
            pool.pool_entry_district_approve(entry=entry, by=people["district"])
        with meter.measure("pool: city approve"):
            pool.pool_entry_city_approve(entry=entry, by=people["city"])


def application_batch(people):
    from django.utils import timezone

    from workflows.services import application

    today = timezone.localdate()
    return application.application_batch_open(
        by=people["city"], tier="innovative", year=today.year, name="基准批次",
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
    )


def run_applications(meter: Meter, people: dict, count: int) -> None:
    from django.utils import timezone

    from workflows.services import application, expert_review
    from workflows.services.recognition import recognition_record

    batch = application_batch(people)
    drafted = []
    for enterprise, owner in enterprises(count):
        draft = application.application_draft(enterprise=enterprise, batch=batch, by=owner, statement="申报")
        application.application_override_diagnosis(application=draft, by=people["city"], reason="基准：不看诊断")
        drafted.append((draft, owner))
    for draft, owner in drafted:
        with meter.measure("application: submit"):
            submitted = application.application_submit(application=draft, by=owner)
        with meter.measure("application: district approve"):
            application.application_district_approve(application=submitted, by=people["district"])
        with meter.measure("application: city approve"):
            application.application_city_approve(application=submitted, by=people["city"])
    with meter.measure("application: recommend (whole batch)"):
        recommended = expert_review.application_batch_recommend(batch=batch, by=people["city"])
    meter.samples["application: recommend (per application)"] = [
        tuple(v / len(recommended) if i < 3 else v for i, v in enumerate(meter.samples["application: recommend (whole batch)"][0]))
    ]
    for item in recommended:
        with meter.measure("application: recognized (recognition recorded)"):
            recognition_record(
                enterprise=item.enterprise, tier="innovative", recognized_on=timezone.localdate(), kind="first", by=people["city"]
            )


def run_plain_viewflow(meter: Meter, people: dict, count: int) -> None:
    from django.db import transaction
    from plainflow.flows import PlainFlow
    from viewflow.workflow.models import Task

    for _ in range(count):
        process = PlainFlow.start.run()
        for _step in range(3):
            with meter.measure("plain viewflow step"), transaction.atomic():
                task = Task.objects.filter(process=process, status="NEW").get()
                with task.activation() as activation:
                    activation.assign(people["district"])
                    activation.start(None)
                    activation.execute()


def run_bare(meter: Meter, people: dict, count: int) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from enterprises.models import Enterprise

    content_type = ContentType.objects.get_for_model(Enterprise)
    ids = list(Enterprise.objects.values_list("pk", flat=True)[:count])
    for pk in ids:
        with meter.measure("bare lock + update + log row"), transaction.atomic():
            enterprise = Enterprise.objects.select_for_update().get(pk=pk)
            Enterprise.objects.filter(pk=pk).update(main_product=f"state {enterprise.pk}")
            LogEntry.objects.create(
                user=people["city"], content_type=content_type, object_id=str(pk), object_repr="x", action_flag=CHANGE
            )


def report(meter: Meter, backend: str) -> bool:
    plain = meter.row("plain viewflow step")
    bare = meter.row("bare lock + update + log row")
    print(f"\nbench_decisions on {backend}: median wall ms, mean CPU ms, queries (max), savepoints (max), samples")
    print(f"{'decision':<50}{'wall':>8}{'CPU':>8}{'× plain':>9}{'queries':>9}{'SP':>4}{'n':>7}")
    ok = True
    for name in sorted(meter.samples):
        row = meter.row(name)
        ratio = row["cpu"] / plain["cpu"]
        baseline = name.startswith(("plain", "bare")) or "whole batch" in name
        flag = ""
        if not baseline and (ratio > TARGET_RATIO or row["queries"] > TARGET_QUERIES or row["savepoints"]):
            flag, ok = "  ✗", False
        print(f"{name:<50}{row['wall']:>8.2f}{row['cpu']:>8.2f}{ratio:>8.2f}×{row['queries']:>9}{row['savepoints']:>4}{row['n']:>7}{flag}")
    print(f"\nbaselines: plain viewflow step {plain['cpu']:.2f} ms CPU / {plain['queries']} queries; "
          f"bare transaction {bare['cpu']:.2f} ms CPU / {bare['queries']} queries")
    print(f"targets: ≤ {TARGET_RATIO}× the plain viewflow step by CPU, ≤ {TARGET_QUERIES} queries, no savepoint: "
          f"{'met' if ok else 'NOT met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--sql", metavar="DECISION", help="print the statements of the last sample of this decision")
    args = parser.parse_args()
    backend = setup_django()
    no_rendering()
    meter = Meter()
    people = cast()
    # Interleaved in halves so that a warm-up or a slow patch of the machine hits every kind alike.
    for half in (args.cases // 2, args.cases - args.cases // 2):
        run_plain_viewflow(meter, people, half)
        run_bare(meter, people, half)
        run_pool_entries(meter, people, half)
    run_applications(meter, people, args.cases)
    report(meter, backend)
    if args.sql:
        for number, sql in enumerate(meter.last_statements[args.sql], 1):
            print(f"{number:>3} {sql[:300]}")


if __name__ == "__main__":
    main()
