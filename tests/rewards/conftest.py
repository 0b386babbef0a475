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
