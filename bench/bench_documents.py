"""Benchmark: rendering official documents (公文 PDF/A through WeasyPrint).

1. Per document type, in this process: the time to render one document, side by side
   with WeasyPrint rendering the same text as plain unstyled HTML in the same run
   (target: ≤ 1.5× the plain render). The two take turns, render by render. The plain
   render is WeasyPrint's defaults: its text falls to the default serif (Noto Serif CJK SC,
   whose subsetting is nearly half its time), no page furniture, no QR code, not PDF/A.
2. 200 pool-entry notices rendered one after another in this process: documents per
   second, and the process's peak memory afterwards (target ≤ 350 MB: one
   FontConfiguration per process).
3. 200 pool-entry notices issued through the real path (document_issue → on commit →
   Redis → a Celery worker with two processes on this 2-core machine → PDF stored):
   documents per second, and each worker process's peak memory.

Builds a fresh database (SQLite in var/bench/; on PostgreSQL a scratch database
``tidu_bench_documents`` on the server DATABASE_URL points to) and media folder
(var/bench/media-documents). Part 3 needs Redis: CELERY_BROKER_URL, else
redis://127.0.0.1:6379/14 when it answers; without Redis it is skipped.

    .venv/bin/python bench/bench_documents.py [--repeat N] [--batch N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_documents.py
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "documents.sqlite3"
MEDIA_ROOT = BENCH_DIR / "media-documents"
OUT = ROOT / "bench" / "out" / "documents.json"
BENCH_DB = "tidu_bench_documents"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
TARGET_RATIO = 1.5
TARGET_MEMORY_MB = 350

sys.path.insert(0, str(ROOT))


def prepare_environment() -> str:
    """Fresh database and media folder, set in the environment the worker will inherit."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _ = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            admin.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
        label = "PostgreSQL"
    else:
        os.environ.pop("DATABASE_URL", None)
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(SQLITE_PATH)
        label = "SQLite"
    shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    return label


def broker_url() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "").strip() or DEFAULT_BROKER
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def source_for(kind: str, serial: int):
    from documents.content import content_clean
    from documents.layout import DocumentSource, IssuerFace
    from documents.samples import SAMPLE_CONTEXTS

    token = f"B{serial:09d}"
    return DocumentSource(
        kind=kind,
        kind_label=kind,
        number=f"镇工信〔2026〕{serial}号",
        token=token,
        issued_on=datetime.date(2026, 11, 26),
        verify_url=f"http://127.0.0.1:8000/verify/{token}",
        issuer=IssuerFace(
            name="镇江市工业和信息化局",
            mark_text="镇江市工业和信息化局文件",
            printing_office="镇江市工业和信息化局办公室",
        ),
        content=content_clean(SAMPLE_CONTEXTS[kind]),
    )


def plain_html(source) -> str:
    """The document's text as plain unstyled HTML: the same words, no layout."""
    from django.utils.html import escape

    content = source.content
    lines = [source.issuer.mark_text, source.number, content["title"], content["addressee"] + "："]
    for block in content["body"]:
        if block["type"] == "table":
            lines += [" ".join(block["columns"])] + [" ".join(row) for row in block["rows"]]
        else:
            lines.append(block["text"])
    lines += content["attachments"] + [
        source.issuer.name,
        "2026年11月26日",
        content["note"],
        "，".join(content["copy_to"]),
    ]
    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def timed(actions: list, repeat: int) -> list[float]:
    """Median CPU seconds of ``repeat`` runs of each action: the render's own cost, the same
    whether or not other programs share the two cores (batches below report wall time). The
    actions take turns, so a slower moment of the machine weighs on all of them alike."""
    runs = [[] for _ in actions]
    for _ in range(repeat):
        for action, times in zip(actions, runs):
            start = time.process_time()
            action()
            times.append(time.process_time() - start)
    return [statistics.median(times) for times in runs]


def per_kind(repeat: int) -> list[dict]:
    from weasyprint import HTML

    from documents.layout import document_pdf, font_configuration
    from documents.models import DocumentKind

    rows = []
    for index, kind in enumerate(DocumentKind.values, start=1):
        source, plain = source_for(kind, index), plain_html(source_for(kind, index))
        rendered = document_pdf(source)  # warm-up: fonts, stylesheet, seal
        HTML(string=plain).write_pdf(font_config=font_configuration())
        styled_s, plain_s = timed(
            [
                lambda source=source: document_pdf(source),
                lambda plain=plain: HTML(string=plain).write_pdf(font_config=font_configuration()),
            ],
            repeat,
        )
        rows.append(
            {
                "kind": kind,
                "pages": rendered.page_count,
                "kb": round(len(rendered.pdf) / 1024),
                "ms": round(styled_s * 1000, 1),
                "plain_ms": round(plain_s * 1000, 1),
                "ratio": round(styled_s / plain_s, 2),
            }
        )
    return rows


def serial_batch(count: int) -> dict:
    from documents.layout import document_pdf

    start = time.perf_counter()
    for serial in range(1000, 1000 + count):
        document_pdf(source_for("pool_entry_notice", serial))
    elapsed = time.perf_counter() - start
    return {
        "documents": count,
        "seconds": round(elapsed, 2),
        "per_second": round(count / elapsed, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def start_worker(queue: str) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "project",
        "worker",
        "-P",
        "prefork",
        "-c",
        "2",
        "-Q",
        queue,
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-l",
        "warning",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def worker_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children


def memory_mb(pid: int) -> dict:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: round(int(status[key].split()[0]) / 1024, 1) for key in ("VmHWM", "VmRSS")}


def wait_until_rendered(ids: list[int], timeout: float) -> bool:
    from documents.models import Document, RenderState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Document.objects.filter(pk__in=ids).exclude(render_state=RenderState.PENDING).count() == len(ids):
            return True
        time.sleep(0.2)
    return False


def celery_batch(count: int) -> dict:
    from django.db import transaction

    from documents.models import Document, DocumentKind, RenderState
    from documents.samples import SAMPLE_CONTEXTS
    from documents.services import document_issue
    from documents.tasks import document_render_task
    from enterprises.models import Enterprise, Jurisdiction
    from enterprises.validators import credit_code_complete

    queue = f"bench-documents-{uuid.uuid4().hex[:8]}"
    # This run's tasks go to a queue of its own, so no other worker takes them.
    document_render_task.delay = lambda *args: document_render_task.apply_async(args, queue=queue)
    enterprise = Enterprise.objects.create(
        credit_code=credit_code_complete("91321102BENCH0001"),
        name="镇江精工轴承有限公司",
        jurisdiction=Jurisdiction.objects.get(code="321102"),
    )

    def issue(how_many: int) -> list[int]:
        ids = []
        for _ in range(how_many):
            with transaction.atomic():
                ids.append(
                    document_issue(
                        kind=DocumentKind.POOL_ENTRY_NOTICE,
                        by=None,
                        enterprise=enterprise,
                        subject=None,
                        context=SAMPLE_CONTEXTS["pool_entry_notice"],
                    ).pk
                )
        return ids

    worker = start_worker(queue)
    try:
        if not wait_until_rendered(issue(4), timeout=120):  # the worker is up and both processes warm
            raise RuntimeError(
                "the worker rendered nothing in 2 minutes: " + (worker.stderr.read() if worker.poll() else "")
            )
        start = time.perf_counter()
        ids = issue(count)
        issued_s = time.perf_counter() - start
        done = wait_until_rendered(ids, timeout=600)
        elapsed = time.perf_counter() - start
        children = [memory_mb(pid) for pid in worker_children(worker.pid)]
        ready = Document.objects.filter(pk__in=ids, render_state=RenderState.READY).count()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    return {
        "documents": count,
        "ready": ready,
        "completed": done,
        "issue_seconds": round(issued_s, 2),
        "seconds": round(elapsed, 2),
        "per_second": round(count / elapsed, 2),
        "worker_processes": children,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="renders per document type and variant (default 10)")
    parser.add_argument(
        "--batch", type=int, default=200, help="documents in the serial and Celery batches (default 200)"
    )
    args = parser.parse_args()
    database = prepare_environment()
    broker = broker_url()
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    setup_django()

    print(f"== documents benchmark ({database}; WeasyPrint PDF/A-2b; one process unless said otherwise)")
    kinds = per_kind(args.repeat)
    print("   per document, median CPU time of", args.repeat, "renders each")
    print(f"{'kind':24} {'pages':>5} {'KB':>5} {'styled ms':>10} {'plain ms':>9} {'ratio':>6}")
    for row in kinds:
        print(
            f"{row['kind']:24} {row['pages']:>5} {row['kb']:>5} {row['ms']:>10} {row['plain_ms']:>9} {row['ratio']:>6}"
        )
    worst = max(row["ratio"] for row in kinds)
    print(f"   worst ratio {worst}× the plain render (target ≤ {TARGET_RATIO}×)")

    serial = serial_batch(args.batch)
    print(
        f"-- {serial['documents']} pool-entry notices in one process: {serial['seconds']} s, "
        f"{serial['per_second']} documents/s, peak memory {serial['peak_rss_mb']} MB (target ≤ {TARGET_MEMORY_MB} MB)"
    )

    celery = None
    if broker:
        celery = celery_batch(args.batch)
        peaks = ", ".join(f"{child['VmHWM']} MB" for child in celery["worker_processes"])
        print(
            f"-- {celery['documents']} pool-entry notices through Celery (2 worker processes, {broker}): "
            f"{celery['ready']} ready in {celery['seconds']} s (issuing took {celery['issue_seconds']} s), "
            f"{celery['per_second']} documents/s; worker processes' peak memory: {peaks}"
        )
    else:
        print("-- Celery batch skipped: no Redis (set CELERY_BROKER_URL or start Redis at 127.0.0.1:6379)")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {"database": database, "kinds": kinds, "serial": serial, "celery": celery}, indent=2, ensure_ascii=False
        )
    )
    ok = serial["peak_rss_mb"] <= TARGET_MEMORY_MB and (celery is None or celery["ready"] == celery["documents"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
