"""Demo cases: walk pool entries through the real services so the demo log is a real chain."""

import itertools

from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise, Role, User

from ..models import PoolEntry, PoolEntrySource, PoolEntryState
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
    # The first reviewer of each district acts in the demo (the later pk is overwritten: newest first).
    district = {u.jurisdiction_id: u for u in User.objects.filter(role=Role.DISTRICT_REVIEWER).order_by("-pk")}
    city = User.objects.filter(role=Role.CITY_REVIEWER).order_by("pk").first()
    return district, city


def _walk(enterprise: Enterprise, stage: str, district: User, city: User) -> None:
    owner = enterprise.users.filter(role=Role.ENTERPRISE).first()
    statement = STATEMENT.format(product=enterprise.main_product or "核心部件", niche=enterprise.niche_market or "细分")
    district_stage = stage in ("district_review", "rejected", "returned")
    if owner is not None:
        entry = pool.pool_entry_propose(enterprise=enterprise, by=owner, statement=statement)
    elif district_stage:
        # Proposed from the official list it is on (the system proposes: no person), so its district reviews it.
        listed = enterprise.source_lists.order_by("pk").first()
        entry = pool.pool_entry_propose(
            enterprise=enterprise, by=None, statement=statement,
            source=PoolEntrySource.OFFICIAL_LIST, source_list=listed.source_list if listed else "",
        )
    else:
        # The district's own proposal is its district review: it goes straight to the city.
        entry = pool.pool_entry_propose(enterprise=enterprise, by=district, statement=statement)
    if stage == "district_review":
        return
    if stage == "rejected":
        pool.pool_entry_reject(entry=entry, by=district, reason="近两年营业收入与主营业务不符，暂不具备入库条件。")
        return
    if stage == "returned":
        pool.pool_entry_return(entry=entry, by=district, reason="请补充主导产品的细分市场占有率及证明材料。")
        return
    if entry.state == PoolEntryState.DISTRICT_REVIEW:
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



# --- applications ------------------------------------------------------------------------

# Where the demo leaves each application of the open batch, in order.
APPLICATION_STAGES = ["draft", "district_review", "returned", "city_review", "expert_review", "approved", "rejected"]
APPLICATION_STATEMENT = "主导产品{product}，国内细分市场领先，研发投入持续增长，申请认定。"
DEMO_REASON = "示范数据：市局同意按专项推荐受理。"


def load_applications(*, stdout) -> None:
    """Idempotent: two batches walked through the real services — one recommended and recognized,
    one open with an application at every stage of its review."""
    from ..models import ApplicationBatch

    district_reviewers, city = _reviewers()
    if city is None or ApplicationBatch.objects.exists():
        stdout.write(f"   applications already present ({ApplicationBatch.objects.count()} batches)\n")
        return
    pooled = list(
        Enterprise.objects.filter(pool_entries__state="pooled", titles__isnull=True).distinct().order_by("pk")[:12]
    )
    if len(pooled) < len(APPLICATION_STAGES) + 2:
        stdout.write("   not enough pooled enterprises: applications skipped\n")
        return
    recognised = _demo_recognised_batch(pooled[:2], district_reviewers, city)
    walked = _demo_open_batch(pooled[2:2 + len(APPLICATION_STAGES)], district_reviewers, city)
    stdout.write(f"   applications: {recognised} recognized in the first batch, {walked} at every stage of the second\n")


def _owner(enterprise: Enterprise) -> User:
    owner = enterprise.users.filter(role=Role.ENTERPRISE).first()
    if owner is None:
        owner = User(username=f"qy{enterprise.pk}", role=Role.ENTERPRISE, enterprise=enterprise, first_name=enterprise.name)
        owner.set_unusable_password()  # a demo applicant, not a login
        owner.save()
    return owner


def _submitted(enterprise, batch, city):
    from . import application

    owner = _owner(enterprise)
    draft = application.application_draft(
        enterprise=enterprise, batch=batch, by=owner,
        statement=APPLICATION_STATEMENT.format(product=enterprise.main_product or "核心部件"),
    )
    if not application.application_diagnosis(draft).passed:
        application.application_override_diagnosis(application=draft, by=city, reason=DEMO_REASON)
    return application.application_submit(application=draft, by=owner), owner


def _batch(city, name, days):
    import datetime

    from . import application

    today = timezone.localdate()
    return application.application_batch_open(
        by=city, tier="innovative", year=today.year, name=name,
        opens_on=today - datetime.timedelta(days=days), closes_on=today + datetime.timedelta(days=20), quota=5,
    )


def _demo_recognised_batch(enterprises, district_reviewers, city) -> int:
    from . import application, expert_review
    from .recognition import recognition_record

    batch = _batch(city, f"{timezone.localdate().year}年创新型中小企业第一批", 40)
    with transaction.atomic():
        for enterprise in enterprises:
            submitted, _ = _submitted(enterprise, batch, city)
            application.application_district_approve(
                application=submitted, by=district_reviewers[enterprise.jurisdiction_id], comment="同意。"
            )
            application.application_city_approve(application=submitted, by=city, comment="同意推荐。")
        recommended = expert_review.application_batch_recommend(batch=batch, by=city)
        for item in recommended:
            recognition_record(
                enterprise=item.enterprise, tier=item.tier, recognized_on=timezone.localdate(), kind="first", by=city,
                batch=batch.name, source="示范：公布名单",
            )
    return len(recommended)


def _demo_open_batch(enterprises, district_reviewers, city) -> int:
    from . import expert_review

    batch = _batch(city, f"{timezone.localdate().year}年创新型中小企业第二批", 5)
    expert_review.application_batch_draw_experts(batch=batch, by=city, count=min(4, expert_review.expert_pool().count()))
    for enterprise, stage in zip(enterprises, APPLICATION_STAGES):
        with transaction.atomic():
            _walk_application(enterprise, stage, batch, district_reviewers[enterprise.jurisdiction_id], city)
    return len(enterprises)


def _walk_application(enterprise, stage, batch, district, city) -> None:
    from . import application, expert_review

    if stage == "draft":
        application.application_draft(enterprise=enterprise, batch=batch, by=_owner(enterprise), statement="草稿：待补充材料。")
        return
    submitted, owner = _submitted(enterprise, batch, city)
    if stage == "district_review":
        return
    if stage == "returned":
        application.application_return(application=submitted, by=district, reason="请补充近三年研发费用专项审计报告。")
        return
    application.application_district_approve(application=submitted, by=district, comment="材料齐全，同意上报。")
    if stage == "city_review":
        return
    if stage == "rejected":
        application.application_reject(application=submitted, by=city, reason="主营业务收入占比不足，不予推荐。")
        return
    submitted = expert_review.application_send_to_experts(application=submitted, by=city, comment="请专家评审。")
    if stage == "expert_review":
        return
    for review in submitted.expert_reviews.all():
        rubric = {item["id"]: item["max"] * 4 // 5 for item in batch.rubric}
        expert_review.expert_review_score(review=review, by=review.expert, scores=rubric, opinion="技术特色明显。")
    application.application_city_approve(application=submitted, by=city, comment="专家意见一致，同意。")


__all__ = ["load_applications", "load_pool_cases"]
