"""The catalogue of metrics a rule may name: label, unit, how it is computed, what it needs.

Adding a metric here makes it available to every rule set, including the province-set
特色化 rules an administrator configures.
"""

from django.utils.translation import gettext_lazy as _

from .facts import METRICS, Metric, Unit
from .readers import (
    average_of,
    ratio,
    growth,
    lower_of_two,
    row_field,
    total_of,
    rd_ratio_in,
    ratio_lever,
    growth_lever,
    growth_avg2,
    growth_avg2_lever,
    revenue_cagr2,
    revenue_cagr2_lever,
    years_in_niche,
    years_lever,
    rd_institution,
    quality_items,
    any_flag,
    development_score,
    award_within,
    maker_china_top500,
    holds,
    listed,
)




def _m(name, label, unit, compute, needs=(), lever=None):
    return Metric(name=name, label=label, unit=unit, compute=compute, needs=needs, lever=lever)


def _ratio(name, label, numerator, denominator, whole=False):
    """Last year's ``numerator`` / ``denominator`` in percent, won back by moving the numerator."""
    return _m(
        name,
        label,
        Unit.PERCENT,
        lambda f: ratio(f.rows[1].get(numerator), f.rows[1].get(denominator)),
        ((1, numerator), (1, denominator)),
        ratio_lever(numerator, denominator, whole=whole),
    )


def _row(name, label, unit, back=1, field=None):
    field = field or name
    return _m(name, label, unit, row_field(field, back), ((back, field),))


_RD = ((1, "rd_expense"), (1, "operating_revenue"))
_AWARD = ((1, "st_award_level"), (1, "st_award_rank"), (1, "st_award_year"))
_RD2 = (*_RD, (2, "rd_expense"), (2, "operating_revenue"))

METRIC_LIST = [
    # Finance
    _row("operating_revenue", _("operating revenue, last year"), Unit.MONEY),
    _row("main_business_revenue", _("main-business revenue, last year"), Unit.MONEY),
    _ratio(
        "main_business_share",
        _("main-business share of revenue, last year"),
        "main_business_revenue",
        "operating_revenue",
    ),
    _m(
        "main_business_growth",
        _("main-business revenue growth, last year"),
        Unit.PERCENT,
        lambda f: growth(f.rows[1].get("main_business_revenue"), f.rows[2].get("main_business_revenue")),
        ((1, "main_business_revenue"), (2, "main_business_revenue")),
        growth_lever,
    ),
    _m(
        "main_business_growth_avg2",
        _("main-business revenue growth, average of the last 2 years"),
        Unit.PERCENT,
        growth_avg2,
        ((1, "main_business_revenue"), (2, "main_business_revenue"), (3, "main_business_revenue")),
        growth_avg2_lever,
    ),
    _m(
        "revenue_cagr2",
        _("revenue compound growth over the last 2 years"),
        Unit.PERCENT,
        revenue_cagr2,
        ((1, "operating_revenue"), (3, "operating_revenue")),
        revenue_cagr2_lever,
    ),
    _m(
        "main_business_revenue_avg3",
        _("main-business revenue, average of the last 3 years"),
        Unit.MONEY,
        average_of("main_business_revenue", 3),
        ((1, "main_business_revenue"), (2, "main_business_revenue"), (3, "main_business_revenue")),
    ),
    _ratio("debt_ratio", _("debt-to-asset ratio, last year"), "total_liabilities", "total_assets"),
    _ratio("net_margin", _("net profit margin, last year"), "net_profit", "operating_revenue"),
    _m(
        "equity_2y",
        _("qualified equity financing, last 2 years"),
        Unit.MONEY,
        total_of("equity_financing", 2),
        ((1, "equity_financing"), (2, "equity_financing")),
    ),
    _m(
        "equity_3y",
        _("qualified equity financing, last 3 years"),
        Unit.MONEY,
        total_of("equity_financing", 3),
        ((1, "equity_financing"), (2, "equity_financing"), (3, "equity_financing")),
    ),
    # People and R&D
    _row("rd_expense", _("R&D expense, last year"), Unit.MONEY),
    _m(
        "rd_ratio",
        _("R&D expense as a share of revenue, last year"),
        Unit.PERCENT,
        lambda f: rd_ratio_in(f, 1),
        _RD,
        ratio_lever("rd_expense", "operating_revenue"),
    ),
    _m(
        "rd_ratio_min2",
        _("R&D share of revenue, lower of the last 2 years"),
        Unit.PERCENT,
        lower_of_two(rd_ratio_in),
        _RD2,
    ),
    _m(
        "rd_expense_min2",
        _("R&D expense, lower of the last 2 years"),
        Unit.MONEY,
        lower_of_two(lambda f, back: f.rows[back].get("rd_expense")),
        ((1, "rd_expense"), (2, "rd_expense")),
    ),
    _m(
        "rd_expense_sum2",
        _("R&D expense, total of the last 2 years"),
        Unit.MONEY,
        total_of("rd_expense", 2),
        ((1, "rd_expense"), (2, "rd_expense")),
    ),
    _m(
        "rd_expense_avg2",
        _("R&D expense, average of the last 2 years"),
        Unit.MONEY,
        average_of("rd_expense", 2),
        ((1, "rd_expense"), (2, "rd_expense")),
    ),
    _ratio("rd_staff_share", _("R&D staff as a share of employees, last year"), "rd_staff", "employees", whole=True),
    _m("rd_institution", _("R&D institution level"), Unit.LEVEL, rd_institution, ((1, "rd_institution_level"),)),
    # Intellectual property tied to the main product
    _row("ip_class1_high_value_count", _("high-value class-I IP"), Unit.COUNT),
    _row("ip_class1_own_count", _("self-developed class-I IP"), Unit.COUNT),
    _row("ip_class1_count", _("class-I IP"), Unit.COUNT),
    _row("ip_class2_count", _("class-II IP"), Unit.COUNT),
    # Niche and market
    _m("years_in_niche", _("years in the niche market"), Unit.YEARS, years_in_niche, ((None, "niche_entered_year"),), years_lever),
    _row("product_years_in_field", _("years the main product has been in the field"), Unit.YEARS),
    _row("domestic_niche_share", _("domestic niche market share"), Unit.PERCENT),
    _row("global_rank", _("global market rank of the main product"), Unit.RANK),
    _row("strategic_emerging", _("main product in the strategic emerging industries catalogue"), Unit.FLAG),
    _row("chain_key_link", _("proven key chain link (补短板/锻长板/填空白)"), Unit.FLAG),
    _m(
        "basic_field_or_brand",
        _("六基 field, 中华老字号, or supplier of a chain leader"),
        Unit.FLAG,
        any_flag("six_basics", "time_honoured_brand", "chain_leader_supplier"),
        ((1, "six_basics"), (1, "time_honoured_brand"), (1, "chain_leader_supplier")),
    ),
    _m(
        "key_field",
        _("main product in a 六基 / 制造强国 / 网络强国 field"),
        Unit.FLAG,
        any_flag("six_basics", "manufacturing_power_sector", "network_power_sector"),
        ((1, "six_basics"), (1, "manufacturing_power_sector"), (1, "network_power_sector")),
    ),
    # Quality and digital
    _m(
        "quality_items",
        _("quality items (award, QMS certificate, own brand, standards drafted)"),
        Unit.COUNT,
        quality_items,
        ((1, "quality_award"), (1, "qms_certified"), (1, "own_brand"), (1, "standards_drafted")),
    ),
    _m(
        "certified",
        _("management-system or developed-market product certification"),
        Unit.FLAG,
        any_flag("qms_certified", "developed_market_certification"),
        ((1, "qms_certified"), (1, "developed_market_certification")),
    ),
    _row("own_brand", _("own market-facing brand"), Unit.FLAG),
    _row("digital_level", _("digital level (SME digital self-test)"), Unit.LEVEL),
    _row("core_processes_on_system", _("core processes on an information system"), Unit.COUNT),
    _m(
        "development_score",
        _("MIIT platform development score"),
        Unit.SCORE,
        development_score,
        ((1, "development_score"),),
    ),
    _row("development_score_y1", _("MIIT platform development score, last year"), Unit.SCORE, field="development_score"),
    _row(
        "development_score_y2",
        _("MIIT platform development score, the year before"),
        Unit.SCORE,
        back=2,
        field="development_score",
    ),
    # Honours, events and lists
    _m(
        "st_award_3y",
        _("national or provincial S&T award in the last 3 years"),
        Unit.FLAG,
        award_within({"provincial", "national"}),
        _AWARD,
    ),
    _m(
        "st_award_top_3y",
        _("top-3 provincial or top-5 national S&T award in the last 3 years"),
        Unit.FLAG,
        award_within({"provincial", "national"}, 3, national_rank=5),
        _AWARD,
    ),
    _m(
        "st_award_provincial_top3_3y",
        _("top-3 provincial (or national) S&T award in the last 3 years"),
        Unit.FLAG,
        award_within({"provincial", "national"}, 3, national_rank=3),
        _AWARD,
    ),
    _m(
        "st_award_national_top3_3y",
        _("top-3 national S&T award in the last 3 years"),
        Unit.FLAG,
        award_within({"national"}, national_rank=3),
        _AWARD,
    ),
    _m(
        "maker_china_top500_3y",
        _("创客中国 national top 500 in the last 3 years"),
        Unit.FLAG,
        maker_china_top500,
        ((1, "maker_china_rank"), (1, "maker_china_year")),
    ),
    _m("listed_high_tech", _("valid 高新技术企业 title"), Unit.FLAG, listed("high_tech")),
    _m(
        "listed_innovation_title",
        _("valid 高新技术企业, 国家级技术创新示范企业 or 知识产权优势/示范企业 title"),
        Unit.FLAG,
        listed("high_tech", "tech_innovation_demo", "ip_advantage", "ip_demonstration"),
    ),
    _m("holds_innovative", _("holds a valid innovative SME title"), Unit.FLAG, holds("innovative")),
    _m("holds_srdi", _("holds a valid provincial SRDI title"), Unit.FLAG, holds("srdi")),
    _m("holds_little_giant", _('holds a valid "little giant" title'), Unit.FLAG, holds("little_giant")),
    _m("holds_champion", _("holds a valid single-champion title"), Unit.FLAG, holds("champion")),
]

METRICS.update({metric.name: metric for metric in METRIC_LIST})

# The metric fields any rule may read; a batch loads only these columns.
METRIC_FIELDS = sorted({name for metric in METRIC_LIST for back, name in metric.needs if back is not None})
