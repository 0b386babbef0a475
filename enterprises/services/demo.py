"""The demo city's registry: ~300 enterprises, three years of metrics, titles, lists and users.

Deterministic (one seeded generator: the same run always yields the same city) and
idempotent (rows are found by credit code, user name or natural key; nothing is
duplicated or overwritten). Credit codes carry ``TD`` (Tidu demo) where a real code
has its organisation number, so no demo code can belong to a real firm. The real
Zhenjiang firms named on published lists keep their real names with such codes.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction

from steplog.services import step_record

from ..models import (
    AnnualMetrics,
    AwardLevel,
    DesignCentreLevel,
    Enterprise,
    IndustryChain,
    Jurisdiction,
    JurisdictionMove,
    MakerChinaRank,
    RdInstitutionLevel,
    Role,
    SourceList,
    SourceListEntry,
    Tier,
    Title,
    TitleBasis,
    User,
)
from ..validators import credit_code_complete

SEED = 20230626  # the action plan's date
YEARS = (2023, 2024, 2025)
# Enterprises generated per jurisdiction (300 in all), plus the real firms below.
PER_JURISDICTION = {
    "321102": 38, "321111": 30, "321112": 36, "321171": 48, "ZJ-HTZ": 36, "321181": 52, "321182": 30, "321183": 30,
}
# Weighted archetypes: where on the ladder an enterprise stands, and so what its numbers look like.
ARCHETYPES = [
    ("weak", 14), ("feeder", 20), ("innovative_near", 14), ("innovative", 20), ("srdi_near", 12),
    ("srdi", 11), ("little_giant_near", 5), ("little_giant", 3), ("champion", 1),
]
TITLES_BY_ARCHETYPE = {
    "innovative": [Tier.INNOVATIVE],
    "srdi_near": [Tier.INNOVATIVE],
    "srdi": [Tier.INNOVATIVE, Tier.SRDI],
    "little_giant_near": [Tier.INNOVATIVE, Tier.SRDI],
    "little_giant": [Tier.INNOVATIVE, Tier.SRDI, Tier.LITTLE_GIANT],
    "champion": [Tier.SRDI, Tier.LITTLE_GIANT, Tier.CHAMPION],
}
NAME_WORDS = (
    "恒泰 华益 润科 瑞丰 金港 大禾 天力 奥蓝 新锐 博远 中晟 宏图 德普 佳讯 卓驰 海鸿 鼎盛 立信 百川 永捷 "
    "凯达 汇通 东方 远航 精诚 和利 科瑞 银河 同创 盛世 安泰 联丰 锦程 弘毅 光大 拓维 舜禹 嘉禾 明达 晨光"
).split()
TOWN_PREFIX = {"321181": "丹阳", "321182": "扬中", "321183": "句容"}
CHAIN_PROFILES = {
    "智能电气": (["电气", "电力设备", "智能电器", "开关"], ["高低压开关柜", "智能断路器", "箱式变电站", "母线槽"]),
    "航空航天": (["航空科技", "航空材料", "精密部件"], ["航空紧固件", "机载线束", "航空复合材料构件"]),
    "高端装备": (["机械", "重工", "精密机械", "智能装备"], ["精密滚珠丝杠", "数控刀具", "工业机器人减速器", "液压阀"]),
    "海工装备与船舶": (["船舶设备", "海洋工程", "船用配件"], ["船用推进器", "海工钢结构", "船用阀门"]),
    "高性能材料": (["新材料", "复合材料", "特种合金", "化工材料"], ["碳纤维预浸料", "高温合金棒材", "特种树脂"]),
    "新能源": (["新能源", "光伏科技", "储能科技"], ["光伏支架", "储能电池管理系统", "逆变器"]),
    "生物医药与医疗器械": (["生物科技", "医疗器械", "药业"], ["医用导管", "体外诊断试剂", "药用玻璃瓶"]),
    "数字经济": (["信息技术", "软件", "数据科技", "电子"], ["工业软件", "智能传感器", "光通信模块"]),
}
# The real Zhenjiang firms of the published lists: chain and jurisdiction where the list says none.
REAL_FIRM_DETAILS = {
    "江苏奇一科技有限公司": ("高性能材料", "321171", "little_giant_near"),
    "双峰格雷斯海姆医药玻璃（丹阳）有限公司": ("生物医药与医疗器械", "321181", "little_giant_near"),
    "镇江默勒电器有限公司": ("智能电气", "321102", "little_giant_near"),
    "江苏奥雷光电有限公司": ("数字经济", "ZJ-HTZ", "little_giant_near"),
    "江苏瑞尔隆鼎实业有限公司": ("高端装备", "321112", "little_giant_near"),
    "镇江合力汽车紧固件有限公司": ("高端装备", "321112", "srdi"),
    "江苏恒神股份有限公司": ("高性能材料", "321181", "champion"),
    "江苏天工工具有限公司": ("高端装备", "321181", "champion"),
    "江苏鱼跃医疗设备股份有限公司": ("生物医药与医疗器械", "321181", "champion"),
    "江苏省镇江船厂（集团）有限公司": ("海工装备与船舶", "321111", "champion"),
}
# District reviewers (user name → jurisdiction); 京口区 has two, so reassigning a task means something.
DISTRICT_USERS = {
    "jingkou": "321102", "runzhou": "321111", "dantu": "321112", "xinqu": "321171",
    "gaoxin": "ZJ-HTZ", "danyang": "321181", "yangzhong": "321182", "jurong": "321183",
    "jingkou2": "321102",
}
# Enterprise logins: (user name, archetype, jurisdiction code) → the first such enterprise.
ENTERPRISE_USERS = [
    ("qiye1", "srdi_near", "321102"),
    ("qiye2", "srdi", "321181"),
    ("qiye3", "feeder", "321171"),
    ("qiye4", "little_giant_near", "321102"),
    ("qiye5", "innovative_near", "ZJ-HTZ"),
]
# Experts of the city's pool (专家库), drawn at random for application batches: (user name, jurisdiction).
EXPERT_USERS = [
    ("zhuanjia1", "321111"), ("zhuanjia2", "321181"), ("zhuanjia3", "321171"),
    ("zhuanjia4", "ZJ-HTZ"), ("zhuanjia5", "321183"), ("zhuanjia6", "321112"),
]
DEMO_HASH_ITERATIONS = 20_000  # Django re-hashes at full strength on first login


@dataclass
class DemoEnterprise:
    credit_code: str
    name: str
    jurisdiction: str
    chain: str
    archetype: str
    main_product: str
    niche_entered_year: int
    founded_year: int
    real: bool = False
    metrics: dict[int, dict] = field(default_factory=dict)


def load_registry(*, stdout) -> None:
    """Create what is missing of the demo registry; running it again changes nothing."""
    rng = random.Random(SEED)
    city = _city_plan(rng)
    with transaction.atomic():
        created = _create_enterprises(city)
        enterprises = Enterprise.objects.in_bulk([firm.credit_code for firm in city], field_name="credit_code")
        metrics = _create_metrics(city, enterprises)
        titles, entries = _create_titles_and_lists(city, enterprises, random.Random(SEED + 1))
        moves = _create_moves(city, enterprises)
        users = _create_users(city, enterprises)
        if created or metrics or titles or entries or moves:
            step_record(
                action="enterprise.import",
                data={"source": "demo", "enterprises_created": created, "metrics_created": metrics,
                      "titles_created": titles, "list_entries_created": entries},
            )
    stdout.write(
        f"   registry: {created} enterprises, {metrics} metric years, {titles} titles, {entries} list entries, "
        f"{moves} moves, {users} users created ({len(city)} enterprises in the demo city)"
    )


def _city_plan(rng: random.Random) -> list[DemoEnterprise]:
    chains = list(CHAIN_PROFILES)
    names: set[str] = set()
    city: list[DemoEnterprise] = []
    serial = 0
    for code, count in PER_JURISDICTION.items():
        for index in range(count):
            serial += 1
            chain = chains[(serial + index) % len(chains)] if rng.random() < 0.7 else rng.choice(chains)
            archetype = rng.choices([a for a, _w in ARCHETYPES], [w for _a, w in ARCHETYPES])[0]
            city.append(_plan_firm(rng, serial, _unique_name(rng, code, chain, names), code, chain, archetype))
    for name, (chain, code, archetype) in REAL_FIRM_DETAILS.items():
        serial += 1
        city.append(_plan_firm(rng, serial, name, code, chain, archetype, real=True))
    return city


def _unique_name(rng, code, chain, taken: set[str]) -> str:
    prefix = TOWN_PREFIX.get(code, "镇江")
    while True:
        lead = "江苏" if rng.random() < 0.15 else prefix
        name = f"{lead}{rng.choice(NAME_WORDS)}{rng.choice(CHAIN_PROFILES[chain][0])}有限公司"
        if name not in taken:
            taken.add(name)
            return name


def _plan_firm(rng, serial, name, code, chain, archetype, real=False) -> DemoEnterprise:
    region = code if code.isdigit() else "321100"  # the high-tech zone has no code of its own
    founded = rng.randint(1995, 2019) if archetype != "feeder" else rng.randint(2010, 2021)
    firm = DemoEnterprise(
        credit_code=credit_code_complete(f"91{region}TD{serial:07d}"),
        name=name,
        jurisdiction=code,
        chain=chain,
        archetype=archetype,
        main_product=rng.choice(CHAIN_PROFILES[chain][1]),
        niche_entered_year=min(2023, founded + rng.randint(0, 6)),
        founded_year=founded,
        real=real,
    )
    firm.metrics = _plan_metrics(rng, firm)
    return firm


def _yuan(amount: float) -> Decimal:
    """Round to the thousand yuan, as statistics offices report; always Decimal."""
    return Decimal(int(round(amount, -3)))


def _pct(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


# Per archetype: revenue range (million yuan), yearly growth, R&D ratio, main-business share, debt ratio.
SHAPES = {
    "weak": ((5, 30), (-0.08, 0.04), (0.002, 0.015), (0.40, 0.62), (0.60, 0.88)),
    "feeder": ((15, 20), (0.02, 0.12), (0.008, 0.03), (0.55, 0.85), (0.45, 0.75)),
    "innovative_near": ((12, 45), (0.0, 0.08), (0.012, 0.028), (0.55, 0.72), (0.55, 0.78)),
    "innovative": ((20, 90), (0.05, 0.16), (0.03, 0.06), (0.70, 0.90), (0.35, 0.60)),
    "srdi_near": ((25, 80), (0.02, 0.09), (0.022, 0.029), (0.75, 0.88), (0.40, 0.65)),
    "srdi": ((40, 180), (0.08, 0.2), (0.035, 0.08), (0.82, 0.96), (0.30, 0.55)),
    "little_giant_near": ((60, 200), (0.03, 0.08), (0.028, 0.045), (0.86, 0.95), (0.40, 0.72)),
    "little_giant": ((110, 400), (0.06, 0.18), (0.04, 0.08), (0.90, 0.98), (0.30, 0.55)),
    "champion": ((450, 3000), (0.04, 0.12), (0.035, 0.07), (0.85, 0.97), (0.35, 0.60)),
}
RANK = {name: index for index, (name, _weight) in enumerate(ARCHETYPES)}


def _plan_metrics(rng, firm: DemoEnterprise) -> dict[int, dict]:
    """Stable traits drawn once, then each year's figures, walking back from 2025 by the growth rate."""
    revenue_range, growth_range, rd_range, share_range, debt_range = SHAPES[firm.archetype]
    rank = RANK[firm.archetype]
    traits = _traits(rng, firm, rank)
    revenue = rng.uniform(*revenue_range) * 1_000_000
    growth = rng.uniform(*growth_range)
    years = YEARS[-1:] if firm.archetype == "feeder" and rng.random() < 0.3 else YEARS  # new above-scale firms
    metrics, employees = {}, max(20, int(revenue / rng.uniform(450_000, 900_000)))
    ip_class1 = max(0, int(rng.gauss(rank * 1.2, 1.5)))
    for year in reversed(years):
        figures = _figures(rng, rank, revenue, employees, ip_class1, rd_range, share_range, debt_range)
        metrics[year] = {**traits, **figures, "product_years_in_field": max(1, year - firm.niche_entered_year)}
        if firm.archetype == "champion":
            metrics[year]["product_years_in_field"] += 10
        revenue /= 1 + growth * rng.uniform(0.7, 1.3)
        employees = max(15, int(employees / (1 + growth / 2)))
        ip_class1 = max(0, ip_class1 - rng.randint(0, 1))
    if rng.random() < 0.12:  # offices often leave a few cells blank: unknown is not zero
        for name in rng.sample(["cnc_rate", "digital_management_rate", "domestic_niche_share", "rd_staff"], 2):
            metrics[YEARS[-1]][name] = None
    return metrics


def _chance(rng, base: float, rank: int, step: float) -> bool:
    return rng.random() < base + rank * step


def _traits(rng, firm, rank) -> dict:
    """What rarely changes from one year to the next: fields, certificates, honours, levels."""
    traits = {
        "rd_institution_level": _rd_institution(rng, rank),
        "domestic_niche_share": _pct(_niche_share(rng, firm.archetype, rank)),
        "strategic_emerging": _chance(rng, 0.35, rank, 0.07),
        "six_basics": _chance(rng, 0.1, rank, 0.07),
        "chain_key_link": _chance(rng, 0.0, rank, 0.09),
        "chain_leader_supplier": _chance(rng, 0.15, rank, 0.05),
        "time_honoured_brand": rng.random() < 0.02,
        "manufacturing_power_sector": _chance(rng, 0.2, rank, 0.08),
        "network_power_sector": firm.chain == "数字经济" and rng.random() < 0.7,
        "quality_award": _chance(rng, 0.0, rank, 0.06),
        "qms_certified": _chance(rng, 0.5, rank, 0.06),
        "own_brand": _chance(rng, 0.3, rank, 0.08),
        "developed_market_certification": _chance(rng, 0.05, rank, 0.07),
        "standards_drafted": max(0, int(rng.gauss(rank / 2, 1))),
        "digital_level": min(4, 1 + int(rng.uniform(0, 1.2 + rank * 0.35))),
        "core_processes_on_system": rng.randint(0, 2 + rank),
        "development_score": _pct(min(98, rng.uniform(30, 55) + rank * 5)),
        "st_award_level": AwardLevel.NONE,
        "maker_china_rank": MakerChinaRank.NONE,
        "design_centre_level": DesignCentreLevel.NONE,
        "listed": firm.archetype == "champion" or (rank >= 7 and rng.random() < 0.2),
        "equity_exchange_board": _chance(rng, 0.0, rank, 0.03),
        "smart_workshop": _chance(rng, 0.0, rank, 0.05),
        "green_factory": _chance(rng, 0.0, rank, 0.04),
        "jiangsu_premium": _chance(rng, 0.0, rank, 0.02),
    }
    if firm.archetype == "champion":
        traits.update(global_rank=rng.randint(1, 3))
    if rank >= 5 and rng.random() < 0.3:
        traits.update(st_award_level=AwardLevel.PROVINCIAL, st_award_rank=rng.randint(1, 6), st_award_year=2024)
    if rank >= 4 and rng.random() < 0.15:
        traits.update(maker_china_rank=MakerChinaRank.TOP500, maker_china_year=2024)
    if rank >= 4 and rng.random() < 0.3:
        traits.update(design_centre_level=rng.choice([DesignCentreLevel.MUNICIPAL, DesignCentreLevel.PROVINCIAL]))
    return traits


def _niche_share(rng, archetype, rank) -> float:
    if archetype in {"little_giant", "champion"}:
        return rng.uniform(10.5, 32)
    if archetype == "little_giant_near":
        return rng.uniform(6, 13)
    return rng.uniform(0.5, 4) + rank * rng.uniform(0.3, 1.2)


def _figures(rng, rank, revenue, employees, ip_class1, rd_range, share_range, debt_range) -> dict:
    """One year's money, people and counts."""
    assets = revenue * rng.uniform(0.8, 1.6)
    return {
        "operating_revenue": _yuan(revenue),
        "main_business_revenue": _yuan(revenue * rng.uniform(*share_range)),
        "taxable_sales": _yuan(revenue * rng.uniform(1.0, 1.12)),
        "net_profit": _yuan(revenue * rng.uniform(-0.03, 0.05 + rank * 0.012)),
        "total_assets": _yuan(assets),
        "total_liabilities": _yuan(assets * rng.uniform(*debt_range)),
        "equity_financing": _yuan(rng.choice([0, 0, 0, 0, 3e6, 8e6, 2.5e7])) if rank >= 3 else Decimal(0),
        "employees": employees,
        "rd_staff": max(1, int(employees * rng.uniform(0.04, 0.1 + rank * 0.03))),
        "rd_expense": _yuan(revenue * rng.uniform(*rd_range)),
        "ip_class1_count": ip_class1,
        "ip_class1_own_count": max(0, ip_class1 - rng.randint(0, 1)),
        "ip_class1_high_value_count": min(ip_class1, rng.randint(0, max(0, rank - 4))),
        "ip_class2_count": rng.randint(0, 6 + rank * 3),
        "invention_patents": ip_class1 + rng.randint(0, rank),
        "cnc_rate": _pct(min(98, rng.uniform(35, 60) + rank * 4)),
        "digital_management_rate": _pct(min(99, rng.uniform(45, 70) + rank * 3.5)),
        "digital_rd_tools_rate": _pct(min(99, rng.uniform(50, 75) + rank * 3)),
    }


def _rd_institution(rng, rank) -> str:
    levels = [RdInstitutionLevel.NONE, RdInstitutionLevel.BELOW_MUNICIPAL, RdInstitutionLevel.MUNICIPAL,
              RdInstitutionLevel.PROVINCIAL, RdInstitutionLevel.NATIONAL]
    return levels[min(4, max(0, int(rng.gauss(rank / 2.2, 0.8))))]


def _create_enterprises(city: list[DemoEnterprise]) -> int:
    codes = [firm.credit_code for firm in city]
    existing = set(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
    chains = {c.name: c for c in IndustryChain.objects.all()}
    new = [
        Enterprise(
            credit_code=firm.credit_code,
            name=firm.name,
            jurisdiction=jurisdictions[firm.jurisdiction],
            industry_chain=chains.get(firm.chain),
            main_product=firm.main_product,
            niche_market=f"{firm.main_product}细分市场",
            niche_entered_year=firm.niche_entered_year,
            founded_on=datetime.date(firm.founded_year, 1 + firm.founded_year % 12, 1 + firm.founded_year % 27),
        )
        for firm in city
        if firm.credit_code not in existing
    ]
    Enterprise.objects.bulk_create(new, batch_size=500)
    return len(new)


def _create_metrics(city, enterprises) -> int:
    ids = [enterprise.pk for enterprise in enterprises.values()]
    have = set(AnnualMetrics.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "year"))
    new = [
        AnnualMetrics(enterprise_id=enterprises[firm.credit_code].pk, year=year, **values)
        for firm in city
        if not _no_metrics_yet(firm)
        for year, values in firm.metrics.items()
        if (enterprises[firm.credit_code].pk, year) not in have
    ]
    AnnualMetrics.objects.bulk_create(new, batch_size=500)
    return len(new)


def _no_metrics_yet(firm: DemoEnterprise) -> bool:
    """Every 25th enterprise has just registered and reported nothing yet."""
    return not firm.real and int(firm.credit_code[10:17]) % 25 == 0


def _create_titles_and_lists(city, enterprises, rng) -> tuple[int, int]:
    titles, entries = [], []
    for firm in city:
        enterprise = enterprises[firm.credit_code]
        titles += _titles_for(rng, firm, enterprise)
        entries += _list_entries_for(rng, firm, enterprise)
    mine = list(enterprises.values())
    have = set(Title.objects.filter(enterprise__in=mine).values_list("enterprise_id", "tier", "recognized_on"))
    new_titles = [t for t in titles if (t.enterprise_id, t.tier, t.recognized_on) not in have]
    Title.objects.bulk_create(new_titles, batch_size=500)
    have = set(
        SourceListEntry.objects.filter(enterprise__in=mine).values_list("enterprise_id", "source_list", "valid_from")
    )
    new_entries = [e for e in entries if (e.enterprise_id, e.source_list, e.valid_from) not in have]
    SourceListEntry.objects.bulk_create(new_entries, batch_size=500)
    return len(new_titles), len(new_entries)


def _titles_for(rng, firm, enterprise) -> list[Title]:
    """Titles climb the ladder a year at a time; those from 2023 are due for 复核 in 2026."""
    tiers = TITLES_BY_ARCHETYPE.get(firm.archetype, [])
    if firm.real:  # the recognition import records the published titles; the demo holds the step below
        tiers = [tier for tier in tiers if tier in {Tier.INNOVATIVE, Tier.SRDI}] or [Tier.SRDI]
    titles, year = [], rng.choice([2023, 2024, 2024, 2025, 2025])
    for position, tier in enumerate(tiers):
        if position:
            year = min(2025, year + rng.randint(0, 1))
        recognized = datetime.date(year, rng.choice([6, 9, 12]), 1)
        if tier != Tier.INNOVATIVE and rng.random() < 0.3:
            # Renewed after 复核: the first recognition three years earlier, then the renewal.
            titles.append(_title(enterprise, tier, recognized.replace(year=year - 3), TitleBasis.FIRST_TIME))
            titles.append(_title(enterprise, tier, recognized, TitleBasis.RENEWAL))
        else:
            titles.append(_title(enterprise, tier, recognized, TitleBasis.FIRST_TIME))
    return titles


def _title(enterprise, tier, recognized_on, basis) -> Title:
    level = "national" if tier in {Tier.LITTLE_GIANT, Tier.CHAMPION} else "provincial"
    return Title(
        enterprise=enterprise,
        tier=tier,
        level=level,
        basis=basis,
        recognized_on=recognized_on,
        valid_until=recognized_on.replace(year=recognized_on.year + Title.VALIDITY_YEARS),
        batch=f"{recognized_on.year}年",
        source="演示数据",
    )


def _list_entries_for(rng, firm, enterprise) -> list[SourceListEntry]:
    rank = RANK[firm.archetype]
    chosen = []
    if rng.random() < 0.15 + rank * 0.1:
        chosen.append((SourceList.HIGH_TECH, rng.randint(2021, 2024), 3))
    if rng.random() < 0.35 + rank * 0.05:
        chosen.append((SourceList.TECH_SME, 2025, 1))
    if rank >= 5 and rng.random() < 0.3:
        chosen.append((SourceList.IP_ADVANTAGE, rng.randint(2022, 2024), 3))
    if firm.archetype == "feeder" and rng.random() < 0.5:
        chosen.append((SourceList.NEW_ABOVE_SCALE, 2024, 1))
    return [
        SourceListEntry(
            enterprise=enterprise,
            source_list=source_list,
            valid_from=datetime.date(year, 1, 1),
            valid_until=datetime.date(year + years - 1, 12, 31),
        )
        for source_list, year, years in chosen
    ]


def _create_moves(city, enterprises) -> int:
    """Two enterprises moved district in 2024 (their history keeps where they were)."""
    movers = [firm for firm in city if firm.jurisdiction == "321102" and not firm.real][:2]
    if JurisdictionMove.objects.filter(enterprise__credit_code__in=[f.credit_code for f in movers]).exists():
        return 0
    dantu = Jurisdiction.objects.get(code="321112")
    moves = [
        JurisdictionMove(
            enterprise=enterprises[firm.credit_code],
            from_jurisdiction=dantu,
            to_jurisdiction=enterprises[firm.credit_code].jurisdiction,
            effective_on=datetime.date(2024, 7, 1),
        )
        for firm in movers
    ]
    JurisdictionMove.objects.bulk_create(moves)
    return len(moves)


def _create_users(city, enterprises) -> int:
    jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
    wanted = [
        User(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True, first_name="系统管理员"),
        User(username="city", role=Role.CITY_REVIEWER, first_name="市工信局"),
        User(username="finance", role=Role.FINANCE, first_name="市财政局"),
        User(username="auditor", role=Role.AUDITOR, first_name="审计"),
        *[
            User(username=name, role=Role.DISTRICT_REVIEWER, jurisdiction=jurisdictions[code],
                 first_name=jurisdictions[code].name + (name[-1] if name[-1].isdigit() else ""))
            for name, code in DISTRICT_USERS.items()
        ],
        *[
            User(username=name, role=Role.ENTERPRISE, enterprise=enterprise, first_name=enterprise.name)
            for name, archetype, code in ENTERPRISE_USERS
            for enterprise in [_first_enterprise(city, enterprises, archetype, code)]
        ],
        *[
            User(username=name, role=Role.EXPERT, jurisdiction=jurisdictions[code], first_name=f"专家{name[-1]}")
            for name, code in EXPERT_USERS
        ],
    ]
    taken = set(User.objects.filter(username__in=[u.username for u in wanted]).values_list("username", flat=True))
    new = [user for user in wanted if user.username not in taken]
    for user in new:
        user.password = _demo_password_hash(user.username)
    User.objects.bulk_create(new)
    return len(new)


def _first_enterprise(city, enterprises, archetype, code) -> Enterprise:
    firm = next(f for f in city if f.archetype == archetype and f.jurisdiction == code and not _no_metrics_yet(f))
    return enterprises[firm.credit_code]


def _demo_password_hash(password: str) -> str:
    """Demo passwords equal the user name. Full-strength PBKDF2 takes 0.6 s a user here;
    a lighter hash keeps the demo fast, and Django upgrades it at the first login."""
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=DEMO_HASH_ITERATIONS)
    return make_password(password)

