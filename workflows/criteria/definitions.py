"""The criteria as first published, written as data (DESIGN §4). A migration seeds them.

These dicts are the *first version* of each rule set; administrators correct thresholds
and bands afterwards in the application, which stores new versions in the database. A
figure marked ``verify`` came from a secondary source and is shown as such. Band edges
are inclusive at the lower bound ("5%以上" means ≥ 5%) unless a rule says otherwise.
"""

MIIT_2022_SOURCE = "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》"
MIIT_2026_SOURCE = "工信部企业〔2026〕2号（verify）"
CHAMPION_2023_SOURCE = "《制造业单项冠军企业认定管理办法》（2023年修订，verify 文号）"


# ---------------------------------------------------------------- writing helpers


def _clause(metric, op, value, flags):
    return {"metric": metric, "op": op, "value": value if isinstance(value, bool) else str(value), **flags}


def ge(metric, value, **flags):
    return _clause(metric, "ge", value, flags)


def gt(metric, value, **flags):
    return _clause(metric, "gt", value, flags)


def le(metric, value, **flags):
    return _clause(metric, "le", value, flags)


def lt(metric, value, **flags):
    return _clause(metric, "lt", value, flags)


def yes(metric, **flags):
    return _clause(metric, "eq", True, flags)


def no(metric):
    # Giving up a title is never a remedy.
    return _clause(metric, "eq", False, {"fixed": True})


def any_of(*parts):
    return {"any": list(parts)}


def all_of(*parts):
    return {"all": list(parts)}


def bands(clause, *pairs):
    """Options from (threshold, points) pairs, best first, then 0 points otherwise."""
    return [{"points": points, "when": clause(value)} for value, points in pairs] + [{"points": 0}]


def score(rule_id, zh, en, group, options, source, **extra):
    return {"id": rule_id, "kind": "score", "group": group, "label_zh": zh, "label_en": en,
            "options": options, "source": source, **extra}


def condition(rule_id, zh, en, when, source, *, kind="condition", group="conditions", **extra):
    return {"id": rule_id, "kind": kind, "group": group, "label_zh": zh, "label_en": en,
            "when": when, "source": source, **extra}


def direct(rule_id, zh, en, when, source, **extra):
    return condition(rule_id, zh, en, when, source, kind="direct", group="direct", **extra)


def review(rule_id, zh, en, source):
    return {"id": rule_id, "kind": "review", "group": "review", "label_zh": zh, "label_en": en, "source": source}


def ladder(metric, zh, en, source):
    return condition("ladder", zh, en, yes(metric), source, group="ladder")


def group(group_id, zh, en, max_points, minimum=0, province_set=False):
    return {"id": group_id, "label_zh": zh, "label_en": en, "max_points": max_points,
            "minimum": minimum, "province_set": province_set}


# ---------------------------------------------------------------- MIIT-2022: innovative SME

_A1 = MIIT_2022_SOURCE + " 附件1 创新型中小企业评价标准"

INNOVATIVE_2022 = {
    "code": "MIIT-2022",
    "tier": "innovative",
    "title_zh": "创新型中小企业评价标准（2022）",
    "title_en": "Innovative SME assessment (2022)",
    "source": _A1,
    "new_from": "2022-06-01",
    "renewal_from": "2022-06-01",
    "pass_total": 60,
    "groups": [
        group("innovation", "创新能力", "Innovation", 40, minimum=20),
        group("growth", "成长性", "Growth", 30, minimum=15),
        group("specialisation", "专业化", "Specialisation", 30, minimum=15),
    ],
    "rules": [
        score("ip", "与主导产品相关的有效知识产权", "IP tied to the main product", "innovation", [
            {"points": 20, "when": ge("ip_class1_high_value_count", 1)},
            {"points": 15, "when": ge("ip_class1_own_count", 1)},
            {"points": 10, "when": ge("ip_class1_count", 1)},
            {"points": 5, "when": ge("ip_class2_count", 1)},
            {"points": 0},
        ], _A1 + " 一、创新能力"),
        score("rd_ratio", "上年度研发费用占营业收入比重", "R&D expense as a share of revenue, last year",
              "innovation", bands(lambda v: ge("rd_ratio", v), (5, 20), (3, 15), (2, 10), (1, 5)),
              _A1 + " 一、创新能力"),
        score("growth", "上年度主营业务收入增长率", "Main-business revenue growth, last year", "growth",
              bands(lambda v: ge("main_business_growth", v), (15, 20), (10, 15), (5, 10), (0, 5)),
              _A1 + " 二、成长性"),
        score("debt", "上年末资产负债率", "Debt-to-asset ratio, end of last year", "growth",
              bands(lambda v: le("debt_ratio", v), (55, 10), (75, 5)),
              _A1 + " 二、成长性（55%以下含55%）"),
        score("strategic", "主导产品所属领域属于战略性新兴产业", "Main product in a strategic emerging industry",
              "specialisation", [
                  {"points": 10, "when": yes("strategic_emerging")},
                  {"points": 5, "when": _clause("strategic_emerging", "eq", False, {})},  # a known "no" scores 5
                  {"points": 0},
              ], _A1 + " 三、专业化"),
        score("main_share", "上年度主营业务收入占营业收入比重", "Main-business share of revenue, last year",
              "specialisation",
              bands(lambda v: ge("main_business_share", v), (70, 20), (60, 15), (55, 10), (50, 5)),
              _A1 + " 三、专业化"),
        direct("direct_award", "近三年获得国家级、省级科技奖励", "National or provincial S&T award in the last 3 years",
               yes("st_award_3y"), _A1 + " 直通条件"),
        direct("direct_list_title", "获得高新技术企业、国家级技术创新示范企业、知识产权优势企业或示范企业等称号（有效期内）",
               "Valid high-tech, national technology-innovation demonstration or IP advantage/demonstration title",
               yes("listed_innovation_title"), _A1 + " 直通条件"),
        direct("direct_institution", "拥有经认定的省部级以上研发机构", "Provincial-or-higher R&D institution",
               ge("rd_institution", "provincial"), _A1 + " 直通条件"),
        direct("direct_equity", "近三年新增股权融资总额（合格机构投资者的实缴额）500万元以上",
               "Qualified equity financing of at least ¥5 million in the last 3 years",
               ge("equity_3y", 5_000_000), _A1 + " 直通条件"),
    ],
}

# ---------------------------------------------------------------- MIIT-2022: provincial SRDI SME

_A2 = MIIT_2022_SOURCE + " 附件2 专精特新中小企业认定标准"

SRDI_2022 = {
    "code": "MIIT-2022",
    "tier": "srdi",
    "title_zh": "专精特新中小企业认定标准（2022）",
    "title_en": "Provincial SRDI SME recognition (2022)",
    "source": _A2,
    "new_from": "2022-06-01",
    "new_until": "2026-03-31",
    "renewal_from": "2022-06-01",
    "renewal_until": "2026-12-31",
    "pass_total": 60,
    "groups": [
        group("specialisation", "专业化", "Specialisation", 25),
        group("refinement", "精细化", "Refinement", 25),
        group("feature", "特色化（省级主管部门设定）", "Provincial feature indicators", 15, province_set=True),
        group("innovation", "创新能力", "Innovation", 35),
    ],
    "rules": [
        ladder("holds_innovative", "已认定为创新型中小企业（有效期内）", "Holds a valid innovative SME title", _A2),
        condition("niche_years", "从事特定细分市场时间达到2年以上", "At least 2 years in the niche market",
                  ge("years_in_niche", 2), _A2 + " 一、（一）"),
        condition("rd_input", "上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%",
                  "Last year's R&D at least ¥1 million and at least 3% of revenue",
                  all_of(ge("rd_expense", 1_000_000), ge("rd_ratio", 3)), _A2 + " 一、（二）"),
        condition("revenue", "上年度营业收入总额在1000万元以上，或近2年新增股权融资总额（合格机构投资者的实缴额）达到2000万元以上",
                  "Last year's revenue at least ¥10 million, or ¥20 million qualified equity in 2 years",
                  any_of(ge("operating_revenue", 10_000_000), ge("equity_2y", 20_000_000)), _A2 + " 一、（三）"),
        score("main_share", "上年度主营业务收入占营业收入比重", "Main-business share of revenue, last year",
              "specialisation", bands(lambda v: ge("main_business_share", v), (80, 5), (70, 3), (60, 1)),
              _A2 + " 专业化指标"),
        score("growth_avg2", "近2年主营业务收入平均增长率", "Main-business revenue growth, 2-year average",
              "specialisation",
              bands(lambda v: ge("main_business_growth_avg2", v), (10, 10), (8, 8), (6, 6), (4, 4), (0, 2)),
              _A2 + " 专业化指标"),
        score("niche_years_points", "从事特定细分市场年限（每满2年得1分，最高5分）",
              "Years in the niche (one point per full two years, at most 5)", "specialisation",
              bands(lambda v: ge("years_in_niche", v), (10, 5), (8, 4), (6, 3), (4, 2), (2, 1)),
              _A2 + " 专业化指标"),
        score("product_field", "主导产品所属领域情况", "Field of the main product", "specialisation", [
            {"points": 5, "when": yes("chain_key_link")},
            {"points": 3, "when": yes("basic_field_or_brand")},
            {"points": 0},
        ], _A2 + " 专业化指标"),
        score("digital", "数字化水平", "Digital level", "refinement",
              bands(lambda v: ge("digital_level", v), (3, 5), (2, 3)), _A2 + " 精细化指标"),
        score("quality", "质量管理水平（每满足一项加3分，最高5分）",
              "Quality management (3 points per item, at most 5)", "refinement",
              bands(lambda v: ge("quality_items", v), (2, 5), (1, 3)), _A2 + " 精细化指标"),
        score("net_margin", "上年度净利润率", "Net profit margin, last year", "refinement",
              bands(lambda v: ge("net_margin", v), (10, 10), (8, 8), (6, 6), (4, 4), (2, 2)), _A2 + " 精细化指标"),
        score("debt", "上年末资产负债率", "Debt-to-asset ratio, end of last year", "refinement",
              bands(lambda v: le("debt_ratio", v), (50, 5), (60, 3), (70, 1)), _A2 + " 精细化指标（50%以下含50%）"),
        score("ip", "与主导产品相关的有效知识产权", "IP tied to the main product", "innovation", [
            {"points": 10, "when": ge("ip_class1_high_value_count", 1)},
            {"points": 8, "when": ge("ip_class1_own_count", 1)},
            {"points": 6, "when": ge("ip_class1_count", 1)},
            {"points": 2, "when": ge("ip_class2_count", 1)},
            {"points": 0},
        ], _A2 + " 创新能力指标"),
        score("rd_level", "上年度研发费用投入（金额或占比，取高者）", "R&D input, last year (the better of amount or share)",
              "innovation", [
                  {"points": points, "when": any_of(ge("rd_expense", amount), ge("rd_ratio", share))}
                  for amount, share, points in (
                      (5_000_000, 10, 10), (4_000_000, 8, 8), (3_000_000, 6, 6), (2_000_000, 4, 4), (1_000_000, 3, 2),
                  )
              ] + [{"points": 0}], _A2 + " 创新能力指标"),
        score("rd_staff", "上年度研发人员占比", "R&D staff share, last year", "innovation",
              bands(lambda v: ge("rd_staff_share", v), (20, 5), (10, 3), (5, 1)), _A2 + " 创新能力指标"),
        score("institution", "建立研发机构级别", "R&D institution level", "innovation",
              bands(lambda v: ge("rd_institution", v),
                    ("national", 10), ("provincial", 8), ("municipal", 4), ("below_municipal", 2)),
              _A2 + " 创新能力指标"),
        direct("direct_award", "近三年获得省级科技奖励并在获奖单位中排名前三，或获得国家级科技奖励并在获奖单位中排名前五",
               "Top-3 in a provincial or top-5 in a national S&T award in the last 3 years",
               yes("st_award_top_3y"), _A2 + " 直通条件"),
        direct("direct_maker", "近三年进入“创客中国”中小企业创新创业大赛全国500强企业组名单",
               "创客中国 national top 500 in the last 3 years", yes("maker_china_top500_3y"), _A2 + " 直通条件"),
        direct("direct_rd", "近两年研发费用总额均值在1000万元以上", "Average R&D of at least ¥10 million over 2 years",
               ge("rd_expense_avg2", 10_000_000, verify=True), _A2 + " 直通条件", verify=True),
        direct("direct_equity", "近两年新增股权融资总额（合格机构投资者的实缴额）6000万元以上",
               "Qualified equity financing of at least ¥60 million in 2 years",
               ge("equity_2y", 60_000_000, verify=True), _A2 + " 直通条件", verify=True),
    ],
}

# ---------------------------------------------------------------- MIIT-2022: little giant

_A3 = MIIT_2022_SOURCE + " 附件3 专精特新“小巨人”企业认定标准"

LITTLE_GIANT_2022 = {
    "code": "MIIT-2022",
    "tier": "little_giant",
    "title_zh": "专精特新“小巨人”企业认定标准（2022）",
    "title_en": 'SRDI "little giant" recognition (2022)',
    "source": _A3,
    "new_from": "2022-06-01",
    "new_until": "2026-03-31",
    "renewal_from": "2022-06-01",
    "renewal_until": "2026-12-31",
    "pass_total": None,
    "groups": [],
    "rules": [
        ladder("holds_srdi", "已认定为省级专精特新中小企业（有效期内）", "Holds a valid provincial SRDI title", _A3),
        condition("niche_years", "从事特定细分市场时间达到3年以上", "At least 3 years in the niche market",
                  ge("years_in_niche", 3), _A3 + " 专业化"),
        condition("main_share", "主营业务收入总额占营业收入总额比重不低于70%", "Main business at least 70% of revenue",
                  ge("main_business_share", 70), _A3 + " 专业化"),
        condition("growth_avg2", "近2年主营业务收入平均增长率不低于5%", "Main-business growth at least 5% a year on average over 2 years",
                  ge("main_business_growth_avg2", 5, verify=True), _A3 + " 专业化", verify=True),
        condition("core_processes", "至少1项核心业务采用信息系统支撑", "At least one core process on an information system",
                  ge("core_processes_on_system", 1), _A3 + " 精细化"),
        condition("certification", "取得相关管理体系认证，或产品通过发达国家和地区产品认证",
                  "A management-system certificate or a developed-market product certification",
                  yes("certified"), _A3 + " 精细化"),
        condition("debt", "截至上年末资产负债率不高于70%", "Debt-to-asset ratio at most 70%",
                  le("debt_ratio", 70, verify=True), _A3 + " 精细化", verify=True),
        condition("niche_share", "主导产品在全国细分市场占有率达到10%以上", "National niche share of the main product at least 10%",
                  ge("domestic_niche_share", 10), _A3 + " 特色化"),
        condition("brand", "拥有直接面向市场并具有竞争优势的自主品牌", "An own market-facing brand",
                  yes("own_brand"), _A3 + " 特色化"),
        condition("rd_by_revenue", "研发投入：营收1亿元以上的近2年研发费用占比均不低于3%；5000万—1亿元的均不低于6%；5000万元以下的近2年新增股权融资8000万元以上且研发费用总额3000万元以上、研发人员占比50%以上",
                  "R&D by revenue bracket: ≥ ¥100M revenue → ≥ 3% in each of 2 years; ¥50–100M → ≥ 6%; below ¥50M → ≥ ¥80M equity in 2 years, ≥ ¥30M R&D and R&D staff ≥ 50%",
                  any_of(
                      all_of(ge("operating_revenue", 100_000_000, fixed=True), ge("rd_ratio_min2", 3, verify=True)),
                      all_of(ge("operating_revenue", 50_000_000, fixed=True), lt("operating_revenue", 100_000_000, fixed=True),
                             ge("rd_ratio_min2", 6, verify=True)),
                      all_of(lt("operating_revenue", 50_000_000, fixed=True), ge("equity_2y", 80_000_000, verify=True),
                             ge("rd_expense_sum2", 30_000_000, verify=True), ge("rd_staff_share", 50, verify=True)),
                  ), _A3 + " 创新能力", verify=True),
        condition("institution", "自建或与高校、科研机构联合建立研发机构", "An own or joint R&D institution",
                  ge("rd_institution", "below_municipal"), _A3 + " 创新能力"),
        condition("ip", "拥有2项以上与主导产品相关的I类知识产权，且实际应用并已产生经济效益",
                  "At least 2 class-I IPs tied to the main product and in use", ge("ip_class1_count", 2), _A3 + " 创新能力"),
        condition("chain_position", "位于产业链关键环节，围绕重点产业链开展补短板、锻长板、填空白",
                  "A key position in an industry chain (补短板/锻长板/填空白)", yes("chain_key_link"), _A3 + " 产业链配套"),
        condition("key_field", "主导产品属于工业“六基”领域、制造强国战略十大重点产业领域或网络强国建设领域",
                  "Main product in the 六基 / 制造强国 ten sectors / 网络强国 fields", yes("key_field"), _A3 + " 主导产品所属领域"),
        condition("not_champion", "未被认定为制造业单项冠军企业（已认定的不再推荐）", "Not already a single champion",
                  no("holds_champion"), _A3),
    ],
}

# ---------------------------------------------------------------- MIIT-2026 (verify every figure)

_N26 = MIIT_2026_SOURCE

SRDI_2026 = {
    "code": "MIIT-2026",
    "tier": "srdi",
    "title_zh": "专精特新中小企业认定标准（2026，待核实）",
    "title_en": "Provincial SRDI SME recognition (2026, to verify)",
    "source": _N26,
    "new_from": "2026-04-01",
    "renewal_from": "2027-01-01",
    "pass_total": None,
    "groups": [],
    "rules": [
        ladder("holds_innovative", "已认定为科技和创新型中小企业（有效期内）", "Holds a valid innovative SME title", _N26),
        condition("niche_years", "从事特定细分市场时间达到3年以上", "At least 3 years in the niche market",
                  ge("years_in_niche", 3, verify=True), _N26, verify=True),
        condition("revenue", "上年度营业收入1500万元以上，或近2年新增股权融资2000万元以上",
                  "Revenue at least ¥15 million, or ¥20 million equity in 2 years",
                  any_of(ge("operating_revenue", 15_000_000, verify=True), ge("equity_2y", 20_000_000, verify=True)),
                  _N26, verify=True),
        condition("main_share", "主营业务收入占营业收入比重不低于80%", "Main business at least 80% of revenue",
                  ge("main_business_share", 80, verify=True), _N26, verify=True),
        condition("debt", "资产负债率不高于80%", "Debt-to-asset ratio at most 80%",
                  le("debt_ratio", 80, verify=True), _N26, verify=True),
        condition("rd_input", "近2年研发费用均不低于100万元且占营业收入比重均不低于3%",
                  "R&D at least ¥1 million and at least 3% of revenue in each of the last 2 years",
                  all_of(ge("rd_expense_min2", 1_000_000, verify=True), ge("rd_ratio_min2", 3, verify=True)),
                  _N26, verify=True),
        condition("ip", "拥有1项以上I类知识产权（获省级科技奖励排名前三或拥有省级研发机构的除外）",
                  "At least 1 class-I IP (waived with a top-3 provincial award or a provincial R&D institution)",
                  any_of(ge("ip_class1_count", 1, verify=True), yes("st_award_provincial_top3_3y"),
                         ge("rd_institution", "provincial")), _N26, verify=True),
        condition("development_score", "专精特新发展评价得分不低于50分", "MIIT platform development score at least 50",
                  ge("development_score", 50, verify=True), _N26, applies_to="new", verify=True),
        condition("development_score_renewal", "复核：近2年任一年专精特新发展评价得分不低于50分",
                  "Re-review: development score at least 50 in either of the last 2 years",
                  any_of(ge("development_score_y1", 50, verify=True), ge("development_score_y2", 50, verify=True)),
                  _N26, applies_to="renewal", verify=True),
    ],
}

LITTLE_GIANT_2026 = {
    "code": "MIIT-2026",
    "tier": "little_giant",
    "title_zh": "专精特新“小巨人”企业认定标准（2026，待核实）",
    "title_en": 'SRDI "little giant" recognition (2026, to verify)',
    "source": _N26,
    "new_from": "2026-04-01",
    "renewal_from": "2027-01-01",
    "pass_total": None,
    "groups": [],
    "rules": [
        ladder("holds_srdi", "已认定为省级专精特新中小企业（有效期内）", "Holds a valid provincial SRDI title", _N26),
        condition("niche_years", "从事特定细分市场时间达到3年以上", "At least 3 years in the niche market",
                  ge("years_in_niche", 3, verify=True), _N26, verify=True),
        condition("revenue", "上年度营业收入5000万元以上", "Revenue at least ¥50 million",
                  ge("operating_revenue", 50_000_000, verify=True), _N26, verify=True),
        condition("main_share", "主营业务收入占营业收入比重不低于90%", "Main business at least 90% of revenue",
                  ge("main_business_share", 90, verify=True), _N26, verify=True),
        condition("growth", "近2年营业收入复合增长率不低于5%（复核不适用）", "2-year revenue CAGR at least 5% (not at re-review)",
                  ge("revenue_cagr2", 5, verify=True), _N26, applies_to="new", verify=True),
        condition("debt", "资产负债率不高于75%", "Debt-to-asset ratio at most 75%",
                  le("debt_ratio", 75, verify=True), _N26, verify=True),
        condition("rd_input", "近2年研发费用总额不低于1200万元，且每年占营业收入比重不低于3%",
                  "R&D over 2 years at least ¥12 million and at least 3% of revenue each year",
                  all_of(ge("rd_expense_sum2", 12_000_000, verify=True), ge("rd_ratio_min2", 3, verify=True)),
                  _N26, verify=True),
        condition("ip", "拥有4项以上自主研发的I类知识产权（获国家级科技奖励排名前三的除外）",
                  "At least 4 own class-I IPs (waived with a top-3 national award)",
                  any_of(ge("ip_class1_own_count", 4, verify=True), yes("st_award_national_top3_3y")), _N26, verify=True),
        condition("niche_share", "主导产品全国细分市场占有率10%以上或排名全国前三",
                  "National niche share at least 10% (or top 3 in China, checked at review)",
                  ge("domestic_niche_share", 10, verify=True), _N26, verify=True),
        condition("development_score", "专精特新发展评价得分不低于60分", "MIIT platform development score at least 60",
                  ge("development_score", 60, verify=True), _N26, verify=True),
    ],
}

# ---------------------------------------------------------------- single champion (2023 rules)

_C23 = CHAMPION_2023_SOURCE

CHAMPION_2023 = {
    "code": "CHAMPION-2023",
    "tier": "champion",
    "title_zh": "制造业单项冠军企业认定条件（2023）",
    "title_en": "Manufacturing single champion (2023 rules)",
    "source": _C23,
    "new_from": "2023-01-01",
    "renewal_from": "2023-01-01",
    "pass_total": None,
    "groups": [],
    "rules": [
        condition("field_years", "从事相关领域10年以上（新产品5年以上，评审时核实）",
                  "At least 10 years in the field (new products: 5, checked at review)",
                  ge("product_years_in_field", 10), _C23),
        condition("revenue_avg3", "近三年单项冠军产品年均销售收入不低于4亿元（专精特新“小巨人”企业放宽至2亿元）",
                  "3-year average main revenue at least ¥400 million (¥200 million for little giants)",
                  any_of(ge("main_business_revenue_avg3", 400_000_000),
                         all_of(yes("holds_little_giant"), ge("main_business_revenue_avg3", 200_000_000, verify=True))),
                  _C23, verify=True),
        condition("global_rank", "单项冠军产品市场占有率位居全球前三", "Main product ranks top 3 worldwide by share",
                  le("global_rank", 3), _C23),
        review("technology", "生产技术、工艺国际领先，产品质量精良", "Internationally advanced technology and quality", _C23),
        review("rd_standards", "研发投入与标准制定行业领先", "Industry-leading R&D and standards work", _C23),
        review("compliance", "近三年无重大安全、质量、环境污染事故及违法违规行为", "No serious violations in 3 years", _C23),
    ],
}

RULESETS = [INNOVATIVE_2022, SRDI_2022, LITTLE_GIANT_2022, SRDI_2026, LITTLE_GIANT_2026, CHAMPION_2023]


def ruleset_row(spec: dict) -> tuple[dict, list[dict]]:
    """A rule set's fields and its rules' fields, as the database stores them (no model import)."""
    dates = ("new_from", "new_until", "renewal_from", "renewal_until")
    fields = {
        "code": spec["code"],
        "tier": spec["tier"],
        "title_zh": spec["title_zh"],
        "title_en": spec.get("title_en", ""),
        "source": spec.get("source", ""),
        "pass_total": spec.get("pass_total"),
        "groups": spec.get("groups", []),
        **{name: spec.get(name) for name in dates},
    }
    rules = [
        {
            "position": position,
            "rule_id": rule["id"],
            "kind": rule["kind"],
            "group": rule.get("group", ""),
            "label_zh": rule["label_zh"],
            "label_en": rule.get("label_en", ""),
            "source": rule.get("source", ""),
            "applies_to": rule.get("applies_to", "any"),
            "verify": bool(rule.get("verify")),
            "definition": rule["options"] if rule["kind"] == "score" else rule.get("when") or {},
        }
        for position, rule in enumerate(spec["rules"], start=1)
    ]
    return fields, rules
