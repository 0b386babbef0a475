"""The soak's table: per page class p50 / p95 / p99, requests/s and errors, and the targets.

    python bench/soak/report.py var/soak/locust_stats.csv

Reads locust's ``--csv`` statistics. Exits 1 if a target is missed: queue, case and dashboard
pages p95 ≤ 100 ms, and no errors at all.
"""

import csv
import sys

TARGET_P95_MS = 100
# Page classes the issue sets a latency target for (by request name prefix).
TARGET_PAGES = ("queue", "case", "dashboard")


def has_target(name: str) -> bool:
    return name.split(" ")[0] in TARGET_PAGES


def main(path: str) -> int:
    with open(path, newline="") as stats:
        rows = list(csv.DictReader(stats))
    print(f"{'page class':28} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}  target")
    missed = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "all requests"
        errors = int(row["Failure Count"])
        p95 = float(row["95%"] or 0)
        if has_target(name):
            met = p95 <= TARGET_P95_MS and errors == 0
            verdict = f"p95 ≤ {TARGET_P95_MS} ms, 0 errors: {'met' if met else 'NOT MET'}"
        else:
            met = errors == 0
            verdict = f"0 errors: {'met' if met else 'NOT MET'}"
        missed += not met
        print(f"{name[:28]:28} {int(row['Request Count']):9,} {float(row['Requests/s']):7.1f} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {errors:7}  {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
