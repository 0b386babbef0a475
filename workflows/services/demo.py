"""Demo cases: walk pool entries through the real services so the demo log is a real chain."""

import itertools

from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise, Role, User

from ..models import PoolEntry
from . import pool

STATEMENT = "主导产品{product}，深耕{niche}细分市场，申请进入专精特新培育库。"
# How many enterprises of each district end at each stage (the rest stay outside the pool).
STAGES = [
    ("pooled", 14),
    ("city_review", 3),
    ("district_review", 4),
    ("returned", 2),
    ("rejected", 1),
]


def _reviewers() -> tuple[dict[int, User], User | None]:
    district = {u.jurisdiction_id: u for u in User.objects.filter(role=Role.DISTRICT_REVIEWER).order_by("pk")}
    city = User.objects.filter(role=Role.CITY_REVIEWER).order_by("pk").first()
    return district, city


def _walk(enterprise: Enterprise, stage: str, district: User, city: User) -> None:
    owner = enterprise.users.filter(role=Role.ENTERPRISE).first()
    proposer = owner or district
    entry = pool.pool_entry_propose(
        enterprise=enterprise,
        by=proposer,
        statement=STATEMENT.format(product=enterprise.main_product or "核心部件", niche=enterprise.niche_market or "细分"),
    )
    if stage == "district_review":
        return
    if stage == "rejected":
        pool.pool_entry_reject(entry=entry, by=district, reason="近两年营业收入与主营业务不符，暂不具备入库条件。")
        return
    if stage == "returned":
        pool.pool_entry_return(entry=entry, by=district, reason="请补充主导产品的细分市场占有率及证明材料。")
        return
    pool.pool_entry_district_approve(entry=entry, by=district, comment="材料齐全，同意推荐。")
    if stage == "city_review":
        return
    pool.pool_entry_city_approve(entry=entry, by=city, comment="同意入库。")


def load_pool_cases(*, stdout) -> None:
    """Idempotent: enterprises that already have a pool case are left alone."""
    district_reviewers, city = _reviewers()
    if city is None or not district_reviewers:
        stdout.write("   no reviewers yet: pool cases skipped")
        return
    if PoolEntry.objects.exists():
        stdout.write(f"   pool cases already present ({PoolEntry.objects.count()})")
        return
    created = 0
    for jurisdiction_id, district in district_reviewers.items():
        enterprises = Enterprise.objects.filter(jurisdiction_id=jurisdiction_id).order_by("pk")
        stages = itertools.chain.from_iterable(itertools.repeat(stage, n) for stage, n in STAGES)
        for enterprise, stage in zip(enterprises, stages):
            with transaction.atomic():
                _walk(enterprise, stage, district, city)
            created += 1
    stdout.write(f"   {created} pool cases walked through the services ({timezone.localdate():%Y-%m-%d})")


__all__ = ["load_pool_cases"]
