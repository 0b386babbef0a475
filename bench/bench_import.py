"""Benchmark: importing 10,000 enterprise rows (budget: 20 s on SQLite), then importing them again.

Run: ``.venv/bin/python bench/bench_import.py`` (``make bench`` runs every bench script).
Two lists are generated in bench/out/: a typical one (the three required columns, the
profile and a dozen key metrics: 20 columns) and the worst case (all 57 importable
columns), each as .xlsx and .csv, plus the worst case again with every figure changed.
Each format runs in a fresh process on a fresh SQLite database: create, re-import
unchanged, and (worst-case CSV) update every metric row, after a baseline that only reads
the same file into rows. Printed per run: wall and CPU seconds, rows per second (wall),
the process's peak resident memory and the CPU ratio to the read-only baseline. Wall time
depends on what else the machine runs; CPU time does not. Exits 1 when a first import
takes longer than the budget.

Then memory against the number of rows: a first import of the typical list at 10,000
and at 50,000 rows (each in a fresh process and database), with the process's peak
resident memory before and after the import. Streaming reads keep
the difference to what is remembered per credit code to find duplicates.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ROWS = 10_000
MEMORY_ROWS = (10_000, 50_000)
BUDGET_SECONDS = 20.0
TYPICAL_METRICS = [
    "year", "operating_revenue", "main_business_revenue", "taxable_sales", "net_profit", "total_assets",
    "total_liabilities", "employees", "rd_staff", "rd_expense", "ip_class1_count", "strategic_emerging",
]
JURISDICTIONS = ["321102", "321111", "321112", "321171", "ZJ-HTZ", "321181", "321182", "321183"]


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()


def cell(column, serial: int, rng: random.Random):
    """A plausible value for ``column`` in row ``serial``."""
    from enterprises.services.columns import Kind
    from enterprises.validators import credit_code_complete

    fixed = {
        "credit_code": lambda: credit_code_complete(f"91321100BE{serial:07d}"),
        "name": lambda: f"镇江基准测试{serial}有限公司",
        "jurisdiction": lambda: JURISDICTIONS[serial % len(JURISDICTIONS)],
        "industry_chain": lambda: "高端装备",
        "year": lambda: 2025,
        "st_award_year": lambda: 2024,
        "maker_china_year": lambda: 2024,
        "niche_entered_year": lambda: 2015,
        "founded_on": lambda: "2012-05-01",
        "digital_level": lambda: rng.randint(1, 4),
        "employees": lambda: rng.randint(300, 600),  # at least as many as the R&D staff (at most 300)
    }
    if column.key in fixed:
        return fixed[column.key]()
    by_kind = {
        Kind.MONEY: lambda: Decimal(rng.randint(1_000_000, 900_000_000)) / 100,
        Kind.PERCENT: lambda: Decimal(rng.randint(0, 10_000)) / 100,
        Kind.FLAG: lambda: rng.choice(["是", "否"]),
        Kind.CHOICE: lambda: "无",
        Kind.INTEGER: lambda: rng.randint(0, 300),
    }
    return by_kind.get(column.kind, lambda: "")()


def write_list(name: str, columns, seed: int, file_format: str, rows_count: int = ROWS) -> Path:
    from enterprises.services.sheets import Sheet, write_csv, write_workbook

    rng = random.Random(seed)
    headers = [column.chinese_header() for column in columns]
    rows = ([cell(column, serial, rng) for column in columns] for serial in range(1, rows_count + 1))
    path = OUT / f"{name}.{file_format}"
    if file_format == "csv":
        path.write_bytes(write_csv(headers, rows))
    else:
        path.write_bytes(write_workbook([Sheet(title="企业", headers=headers, rows=rows)]))
    return path


def make_lists() -> list[list[Path]]:
    """The file groups, one fresh database each: [first file, files that update it...]."""
    from enterprises.services.columns import PROFILE_COLUMNS, all_columns

    OUT.mkdir(parents=True, exist_ok=True)
    every = all_columns()
    typical = [c for c in every if c.key in {p.key for p in PROFILE_COLUMNS} or c.key in TYPICAL_METRICS]
    return [
        [write_list("typical-10000", typical, 1, "xlsx")],
        [write_list("typical-10000", typical, 1, "csv")],
        [write_list("all-columns-10000", every, 1, "xlsx")],
        [write_list("all-columns-10000", every, 1, "csv"), write_list("all-columns-10000-changed", every, 2, "csv")],
    ]


def typical_columns():
    from enterprises.services.columns import PROFILE_COLUMNS, all_columns

    return [c for c in all_columns() if c.key in {p.key for p in PROFILE_COLUMNS} or c.key in TYPICAL_METRICS]


def memory_child(path: Path) -> None:
    """In a fresh process and database: one first import, the process's peak memory before and after.

    (tracemalloc would give Python's own figure, but slows the import tenfold; the unit
    test ``test_memory_stays_flat_with_the_number_of_rows`` traces a dry run instead.)
    """
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from enterprises.services import enterprises_import

    settings.DEBUG = False  # DEBUG keeps every query's SQL (about 1 KB per imported row): measure production
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall = time.perf_counter()
    report = enterprises_import(rows_source=path, by=None)
    wall = time.perf_counter() - wall
    assert report.ok and report.written, report.problems[:5]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": report.rows, "wall": wall, "before_mb": before_mb, "peak_mb": peak_mb}))


def child(paths: list[Path]) -> None:
    """In a fresh process and database: import the first file twice, then each further file."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from enterprises.services import enterprises_import
    from enterprises.services.sheets import read_table

    results = []
    # Baseline: only reading the file into rows (no validation, no database), same process.
    wall, cpu = time.perf_counter(), time.process_time()
    table = read_table(paths[0].read_bytes(), paths[0].name, is_header=lambda cells: True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    results.append({"run": "read only", "file": paths[0].name, "rows": len(table.rows), "wall": wall, "cpu": cpu})
    runs = [("create", paths[0]), ("unchanged", paths[0]), *(("update", path) for path in paths[1:])]
    for label, path in runs:
        wall, cpu = time.perf_counter(), time.process_time()
        report = enterprises_import(rows_source=path, by=None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert report.ok and report.written, report.problems[:5]
        results.append({"run": label, "file": path.name, "rows": report.rows, "wall": wall, "cpu": cpu})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak_mb, "results": results}))


def run_child(paths: list[Path], flag: str = "--child") -> dict:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "TIDU_VAR_DIR": var, "SQLITE_PATH": f"{var}/bench.sqlite3", "DATABASE_URL": ""}
        command = [sys.executable, __file__, *(arg for path in paths for arg in (flag, str(path)))]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, action="append", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", type=Path, action="append", help=argparse.SUPPRESS)
    parser.add_argument("--memory-only", action="store_true", help="only the memory against rows figures")
    args = parser.parse_args()
    django_setup()
    if args.child:
        child(args.child)
        return 0
    if args.memory_child:
        memory_child(args.memory_child[0])
        return 0
    over_budget = False if args.memory_only else timings()
    memory()
    return 1 if over_budget else 0


def memory() -> None:
    print("Memory against rows (typical list, first import, fresh SQLite database each)")
    OUT.mkdir(parents=True, exist_ok=True)
    for file_format in ("csv", "xlsx"):
        for rows in MEMORY_ROWS:
            path = write_list(f"typical-{rows}", typical_columns(), 1, file_format, rows)
            outcome = run_child([path], "--memory-child")
            print(
                f"  {path.name:<30} {outcome['rows']:7,} rows {outcome['wall']:6.1f} s wall   process peak "
                f"{outcome['peak_mb']:4.0f} MB ({outcome['peak_mb'] - outcome['before_mb']:+4.0f} MB over the "
                f"{outcome['before_mb']:.0f} MB before the import)"
            )


def timings() -> bool:
    over_budget = False
    print(f"Importing {ROWS:,} rows on SQLite (budget {BUDGET_SECONDS:.0f} s for a first import)")
    for paths in make_lists():
        outcome = run_child(paths)
        baseline, *runs = outcome["results"]
        for result in outcome["results"]:
            ratio = "" if result is baseline else f"   {result['cpu'] / baseline['cpu']:4.1f}× read-only"
            print(
                f"  {result['file']:<30} {result['run']:<9} {result['wall']:6.2f} s wall {result['cpu']:6.2f} s CPU "
                f"{result['rows'] / result['wall']:7,.0f} rows/s   peak {outcome['peak_mb']:.0f} MB{ratio}"
            )
        over_budget |= runs[0]["wall"] > BUDGET_SECONDS
    return over_budget


if __name__ == "__main__":
    sys.exit(main())
