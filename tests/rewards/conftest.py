"""Reward fixtures: the seeded ZJ-2023 policy (re-seeded after a transactional flush) and recognitions."""

import datetime
from importlib import import_module

import pytest

from enterprises.models import Tier, TitleBasis
from rewards.models import RewardPolicy
from rewards.services import entitlements_compute
from tests.factories import TitleFactory

SEED = "rewards.migrations.0002_seed_zj_2023"


@pytest.fixture
def zj2023(db) -> RewardPolicy:
    from django.apps import apps

    import_module(SEED).seed(apps, None)  # idempotent; a transactional test's flush removed it
    return RewardPolicy.objects.get(code="ZJ-2023")


def recognize(enterprise, tier=Tier.LITTLE_GIANT, day=datetime.date(2024, 6, 1), *, basis=TitleBasis.FIRST_TIME,
              product=""):
    """Record a title and compute its entitlements; returns (title, entitlements)."""
    level = "provincial" if tier in {Tier.INNOVATIVE, Tier.SRDI} else "national"
    title = TitleFactory(enterprise=enterprise, tier=tier, level=level, recognized_on=day, basis=basis,
                         product=product)
    return title, entitlements_compute(title=title)


def policy_file(tmp_path, name="policy.yaml", **values) -> "pathlib.Path":  # noqa: F821
    import yaml

    data = {
        "code": "DY-2024",
        "name": "丹阳市专精特新奖励",
        "jurisdictions": ["321181"],
        "recognized_from": "2024-01-01",
        "recognized_to": "2026-12-31",
        "first_time": {"little_giant": "200000", "champion": "400000"},
        "renewal": {},
        "top_up": True,
        "champion_basis": "enterprise",
        "cap_counts_other_levels": False,
        "notice_working_days": 5,
        "fund": "丹阳市专精特新奖励资金",
        **values,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# --- payouts -------------------------------------------------------------------------------

ACCOUNT = {"bank": "中国银行镇江分行", "account_number": "6222020200112233445"}


@pytest.fixture
def budget(zj2023):
    """This year's budget of the ZJ-2023 fund: room for three little giants."""
    import datetime as dt

    from rewards.models import FundBudget

    return FundBudget.objects.create(fund=zj2023.fund, year=dt.date.today().year, amount="900000.00")


def due_payout(enterprise, tier=Tier.LITTLE_GIANT):
    """A recognition whose due entitlement opened its payout (awaiting the enterprise's confirmation)."""
    from rewards.services import payout_open

    _title, entitlements = recognize(enterprise, tier)
    return payout_open(entitlement=entitlements[0])


def confirm(payout, user, **changes):
    from rewards.services import payout_confirm

    return payout_confirm(payout=payout, by=user, **{"account_name": payout.enterprise.name, **ACCOUNT, **changes})


# The path in order; ``drive`` takes a payout from where it is to any state on it.
PATH = ["awaiting_confirmation", "confirmed", "in_round", "approved", "in_notice", "notice_done", "budget_confirmed",
        "paid", "reconciled"]


def drive(payout, state, cast):
    """Take ``payout`` along the path to ``state`` (``held``: an objection during the notice) through the services."""
    from rewards import services
    from rewards.models import Payout

    target = "in_notice" if state == "held" else state
    steps = {
        "confirmed": lambda p: confirm(p, cast.owner if p.enterprise_id == cast.own.pk else cast.other_owner),
        "in_round": lambda p: services.reward_round_create(fund=p.fund, by=cast.city, payouts=[p]),
        "approved": lambda p: services.reward_round_approve(round=p.round, by=cast.city),
        "in_notice": lambda p: services.reward_round_open_notice(round=p.round, by=cast.city),
        "notice_done": lambda p: services.reward_round_close_notice(
            round=p.round, by=cast.city, today=p.round.notice_ends_on + datetime.timedelta(days=1)),
        "budget_confirmed": lambda p: services.payout_confirm_budget(payout=p, by=cast.finance),
        "paid": lambda p: services.payout_pay(payout=p, by=cast.finance, bank_reference=f"BR{p.pk:06d}",
                                              value_date=datetime.date.today()),
        "reconciled": lambda p: services.payouts_reconcile(
            content=f"流水号,金额\nBR{p.pk:06d},{p.paid_amount}\n".encode(), file_name="statement.csv", by=cast.finance),
    }
    for name in PATH[PATH.index(payout.state) + 1: PATH.index(target) + 1]:
        steps[name](payout)
        payout = Payout.objects.get(pk=payout.pk)
    if state == "held":
        services.payout_object(payout=payout, by=cast.auditor, text="该企业研发投入数据存疑")
        payout = Payout.objects.get(pk=payout.pk)
    return payout
