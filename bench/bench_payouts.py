"""Benchmark: a reward round of N entitlements from recognition to paid, step by step.

For N enterprises of 京口区: a first-time little-giant recognition is recorded and its
entitlement computed (the payout opens on commit), the enterprise confirms its account,
the city groups the payouts into one round, approves it (one 奖励决定), opens and closes the
public notice, finance confirms each payout against the budget and records its payment
(资金拨付通知), and one bank statement reconciles them all. Reports milliseconds (wall,
CPU) and queries per payout step and for the whole path, beside the bare "lock, update,
insert log row" transaction in the same run. Rendering PDFs runs after commit in the
worker and is left out (bench_documents.py measures it).

    .venv/bin/python bench/bench_payouts.py [--payouts N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_payouts.py
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch_db import ROOT, scratch_database  # noqa: E402

sys.path.insert(0, str(ROOT))
# Steps taken once for the whole round: their cost is reported per payout too.
ROUND_STEPS = ["round: create", "round: approve (奖励决定)", "round: open notice (公示)", "round: close notice",
               "reconcile: statement import"]


def setup_django() -> str:
    backend = scratch_database("payouts")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return backend


def run(meter, count: int) -> None:
    from bench_decisions import enterprises

    from enterprises.models import Title, User
    from rewards import services
    from rewards.models import FundBudget, Payout, RewardPolicy

    policy = RewardPolicy.objects.get(code="ZJ-2023")
    today = datetime.date.today()
    FundBudget.objects.create(fund=policy.fund, year=today.year, amount=policy.highest_first_time_amount * count)
    city = User.objects.create(username="bench_city", role="city_reviewer")
    finance = User.objects.create(username="bench_finance", role="finance")
    owners = enterprises(count)
    for enterprise, _owner in owners:
        with meter.measure("recognition → entitlement + payout opened"):
            title = Title.objects.create(enterprise=enterprise, tier="little_giant", level="national",
                                         recognized_on=datetime.date(2024, 6, 1))
            services.entitlements_compute(title=title)
    payouts = {p.enterprise_id: p for p in Payout.objects.all()}
    for enterprise, owner in owners:
        with meter.measure("enterprise: confirm account"):
            services.payout_confirm(payout=payouts[enterprise.pk], by=owner, bank="中国银行镇江分行",
                                    account_name=enterprise.name, account_number=f"62220202{enterprise.pk:011d}")
    with meter.measure("round: create"):
        round = services.reward_round_create(fund=policy.fund, by=city)
    with meter.measure("round: approve (奖励决定)"):
        services.reward_round_approve(round=round, by=city)
    with meter.measure("round: open notice (公示)"):
        round = services.reward_round_open_notice(round=round, by=city)
    with meter.measure("round: close notice"):
        services.reward_round_close_notice(round=round, by=city, today=round.notice_ends_on + datetime.timedelta(days=1))
    for payout in Payout.objects.order_by("pk"):
        with meter.measure("finance: confirm against budget"):
            services.payout_confirm_budget(payout=payout, by=finance)
    for payout in Payout.objects.order_by("pk"):
        with meter.measure("finance: record payment (资金拨付通知)"):
            services.payout_pay(payout=payout, by=finance, bank_reference=f"BR{payout.pk:08d}", value_date=today)
    statement = "流水号,金额\n" + "".join(f"{p.bank_reference},{p.paid_amount}\n" for p in Payout.objects.all())
    with meter.measure("reconcile: statement import"):
        services.payouts_reconcile(content=statement.encode(), file_name="statement.csv", by=finance)
    assert Payout.objects.filter(state="reconciled").count() == count


def report(meter, backend: str, count: int, elapsed: float) -> None:
    bare = meter.row("bare lock + update + log row")
    print(f"\nbench_payouts on {backend}: {count} payouts from recognition to reconciled in {elapsed:.1f} s")
    print(f"{'step':<46}{'wall ms':>9}{'CPU ms':>9}{'queries':>9}{'× bare':>8}{'n':>6}")
    total_wall = total_queries = 0.0
    for name in [n for n in meter.samples if not n.startswith("bare")]:
        row = meter.row(name)
        once = name in ROUND_STEPS
        wall = sum(s[0] for s in meter.samples[name]) / (count if once else len(meter.samples[name]))
        queries = sum(s[2] for s in meter.samples[name]) / (count if once else len(meter.samples[name]))
        total_wall, total_queries = total_wall + wall, total_queries + queries
        label = f"{name} (÷{count})" if once else name
        print(f"{label:<46}{wall:>9.2f}{row['cpu'] / (count if once else 1):>9.2f}{queries:>9.1f}"
              f"{wall / bare['wall']:>7.1f}×{row['n']:>6}")
    print(f"{'whole path, per payout':<46}{total_wall:>9.2f}{'':>9}{total_queries:>9.1f}{total_wall / bare['wall']:>7.1f}×")
    print(f"{'bare lock + update + log row':<46}{bare['wall']:>9.2f}{bare['cpu']:>9.2f}{bare['queries']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payouts", type=int, default=1000)
    args = parser.parse_args()
    backend = setup_django()
    from bench_decisions import Meter, no_rendering, run_bare

    no_rendering()
    meter = Meter()
    from enterprises.models import User

    people = {"city": User.objects.create(username="bench_bare", role="city_reviewer")}
    started = time.perf_counter()
    run(meter, args.payouts)
    elapsed = time.perf_counter() - started
    run_bare(meter, people, args.payouts)
    report(meter, backend, args.payouts, elapsed)


if __name__ == "__main__":
    main()
