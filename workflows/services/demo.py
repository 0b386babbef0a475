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



# --- rewards ------------------------------------------------------------------------------

# Where the demo leaves each reward, in the order of the payout path (免申即享 to the bank).
PAYOUT_STAGES = [
    "awaiting_confirmation", "confirmed", "in_round", "approved", "in_notice", "held", "notice_done",
    "budget_confirmed", "paid", "reconciled",
]
DEMO_RECOGNIZED_ON = "2025-07-01"  # within ZJ-2023's window
DEMO_BANK = {"bank": "中国银行镇江分行", "account_number": "62220202001122{:05d}"}


def load_payouts(*, stdout) -> None:
    """Idempotent: little giants of the urban districts recognized through the real services, their
    rewards computed (免申即享) and walked along the payout path, one at every stage."""
    import datetime

    from rewards.models import Fund, FundBudget, Payout

    if Payout.objects.exists():
        stdout.write(f"   payouts already present ({Payout.objects.count()})\n")
        return
    people = _payout_people()
    candidates = _little_giant_candidates(len(PAYOUT_STAGES))
    if people is None or len(candidates) < len(PAYOUT_STAGES):
        stdout.write("   no reviewers, finance or candidates yet: payouts skipped\n")
        return
    for fund in Fund.objects.all():
        FundBudget.objects.get_or_create(fund=fund, year=timezone.localdate().year, defaults={"amount": "6000000.00"})
    for enterprise, stage in zip(candidates, PAYOUT_STAGES):
        payout = _recognized_payout(enterprise, people, datetime.date.fromisoformat(DEMO_RECOGNIZED_ON))
        if payout is not None:
            _walk_payout(payout, stage, people)
    stdout.write(f"   payouts: {Payout.objects.count()} along the path, one at every stage\n")


def _payout_people() -> dict | None:
    city = User.objects.filter(role=Role.CITY_REVIEWER).order_by("pk").first()
    finance = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    auditor = User.objects.filter(role=Role.AUDITOR).order_by("pk").first()
    if not (city and finance and auditor):
        return None
    return {"city": city, "finance": finance, "auditor": auditor}


def _little_giant_candidates(count: int) -> list[Enterprise]:
    """Enterprises of covered districts with an SRDI title and no little-giant or champion title yet."""
    from enterprises.models import Tier

    return list(
        Enterprise.objects.filter(jurisdiction__reward_covered=True, titles__tier=Tier.SRDI)
        .exclude(titles__tier__in=[Tier.LITTLE_GIANT, Tier.CHAMPION])
        .distinct()
        .order_by("pk")[:count]
    )


def _recognized_payout(enterprise, people, day):
    """Record the recognition; its entitlement and then its payout open after each commit (eager tasks)."""
    from rewards.models import Payout

    from .recognition import recognition_record

    recognition_record(
        enterprise=enterprise, tier="little_giant", recognized_on=day, kind="first", by=people["city"],
        batch="2025年第七批专精特新“小巨人”", source="示范：工业和信息化部公布名单",
    )
    return Payout.objects.filter(enterprise=enterprise).first()


def _walk_payout(payout, stage, people) -> None:
    import datetime

    from rewards import services as rewards
    from rewards.models import Payout

    owner = _owner(payout.enterprise)
    steps = {
        "confirmed": lambda p: rewards.payout_confirm(
            payout=p, by=owner, bank=DEMO_BANK["bank"], account_name=p.enterprise.name,
            account_number=DEMO_BANK["account_number"].format(p.pk),
        ),
        "in_round": lambda p: rewards.reward_round_create(fund=p.fund, by=people["city"], payouts=[p]),
        "approved": lambda p: rewards.reward_round_approve(round=p.round, by=people["city"]),
        "in_notice": lambda p: rewards.reward_round_open_notice(round=p.round, by=people["city"]),
        "notice_done": lambda p: rewards.reward_round_close_notice(
            round=p.round, by=people["city"], today=p.round.notice_ends_on + datetime.timedelta(days=1)
        ),
        "budget_confirmed": lambda p: rewards.payout_confirm_budget(payout=p, by=people["finance"]),
        "paid": lambda p: rewards.payout_pay(
            payout=p, by=people["finance"], bank_reference=f"ZJ{p.pk:08d}", value_date=timezone.localdate()
        ),
        "reconciled": lambda p: rewards.payouts_reconcile(
            content=f"流水号,金额\nZJ{p.pk:08d},{p.paid_amount}\n".encode(), file_name="对账单.csv", by=people["finance"]
        ),
    }
    path = [s for s in PAYOUT_STAGES if s != "held"]
    target = "in_notice" if stage == "held" else stage
    for name in path[1: path.index(target) + 1]:
        steps[name](payout)
        payout = Payout.objects.get(pk=payout.pk)
    if stage == "held":
        rewards.payout_object(payout=payout, by=people["auditor"], text="该企业研发费用归集口径存疑，请核实。")


__all__ = ["load_applications", "load_payouts", "load_pool_cases"]
