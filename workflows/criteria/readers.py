"""How each derived metric is computed from typed-in values: ratios, growth, sums, titles held."""

from decimal import ROUND_CEILING, Decimal

from .facts import RD_INSTITUTION_LEVELS, Lever

HUNDRED = Decimal(100)
TWO = Decimal(2)



def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator) * HUNDRED


def growth(current, previous):
    if current is None or not previous:
        return None
    return (current / previous - 1) * HUNDRED


def row_field(name, back=1):
    return lambda facts: facts.rows[back].get(name)


def total_of(name, years):
    def compute(facts):
        values = [facts.rows[back].get(name) for back in range(1, years + 1)]
        return None if None in values else sum(values, Decimal(0))

    return compute


def lower_of_two(metric_by_year):
    def compute(facts):
        values = [metric_by_year(facts, back) for back in (1, 2)]
        return None if None in values else min(values)

    return compute


def rd_ratio_in(facts, back):
    return ratio(facts.rows[back].get("rd_expense"), facts.rows[back].get("operating_revenue"))


def ratio_lever(numerator, denominator, *, whole=False):
    """Lever of ``numerator / denominator``: the numerator that reaches the target at today's denominator."""

    def lever(facts, target):
        base = facts.rows[1].get(denominator)
        if not base:
            return None
        needed = target * base / HUNDRED
        needed = needed.to_integral_value(rounding=ROUND_CEILING) if whole else needed.quantize(Decimal("0.01"))
        return Lever(numerator, facts.year - 1, facts.rows[1].get(numerator), needed)

    return lever


def growth_lever(facts, target):
    previous = facts.rows[2].get("main_business_revenue")
    if not previous:
        return None
    needed = (previous * (1 + target / HUNDRED)).quantize(Decimal("0.01"))
    return Lever("main_business_revenue", facts.year - 1, facts.rows[1].get("main_business_revenue"), needed)


def growth_avg2(facts):
    first = growth(facts.rows[1].get("main_business_revenue"), facts.rows[2].get("main_business_revenue"))
    second = growth(facts.rows[2].get("main_business_revenue"), facts.rows[3].get("main_business_revenue"))
    return None if first is None or second is None else (first + second) / TWO


def growth_avg2_lever(facts, target):
    # Average of two growths reaches target when last year's growth is 2·target − the earlier one.
    earlier = growth(facts.rows[2].get("main_business_revenue"), facts.rows[3].get("main_business_revenue"))
    if earlier is None:
        return None
    return growth_lever(facts, TWO * target - earlier)


def revenue_cagr2(facts):
    last, base = facts.rows[1].get("operating_revenue"), facts.rows[3].get("operating_revenue")
    if last is None or not base or last < 0:
        return None
    return ((last / base).sqrt() - 1) * HUNDRED


def revenue_cagr2_lever(facts, target):
    base = facts.rows[3].get("operating_revenue")
    if not base:
        return None
    needed = (base * (1 + target / HUNDRED) ** 2).quantize(Decimal("0.01"))
    return Lever("operating_revenue", facts.year - 1, facts.rows[1].get("operating_revenue"), needed)


def years_in_niche(facts):
    entered = facts.record.niche_entered_year
    return None if entered is None else max(facts.year - entered, 0)


def years_lever(facts, target):
    entered = facts.record.niche_entered_year
    return None if entered is None else Lever("year", None, facts.year, entered + int(target))


def rd_institution(facts):
    level = facts.rows[1].get("rd_institution_level")
    return RD_INSTITUTION_LEVELS.index(level) if level in RD_INSTITUTION_LEVELS else None


def flag_count(*names):
    """How many of the flags hold; unknown while any of them is unknown."""

    def compute(facts):
        count = 0
        for name in names:
            value = facts.rows[1].get(name)
            if value is None:
                return None
            count += bool(value)
        return count

    return compute


def quality_items(facts):
    standards = facts.rows[1].get("standards_drafted")
    flags = flag_count("quality_award", "qms_certified", "own_brand")(facts)
    return None if flags is None or standards is None else flags + (standards > 0)


def any_flag(*names):
    """True if any flag holds; unknown if none holds and one is unknown (three-valued OR)."""

    def compute(facts):
        result = False
        for name in names:
            value = facts.rows[1].get(name)
            if value:
                return True
            if value is None:
                result = None
        return result

    return compute


def development_score(facts):
    # Entered from the MIIT platform in the year of application, else last year's.
    this_year = facts.rows[0].get("development_score")
    return this_year if this_year is not None else facts.rows[1].get("development_score")


def recorded(facts, level_field):
    """Every (level, rank, year) recorded in any row, and whether any row says anything."""
    found, known = [], False
    for row in facts.record.metrics.values():
        level = row.get(level_field)
        if level:
            known = True
            if level != "none":
                found.append(row)
    return found, known


def award_within(levels, max_rank=None, *, national_rank=None):
    """A science & technology award of one of ``levels`` in the three years up to the diagnosis year.

    ``max_rank`` limits the rank among award units for provincial awards, ``national_rank``
    for national ones (None = any rank).
    """

    def compute(facts):
        rows, known = recorded(facts, "st_award_level")
        unknown_rank = False
        for row in rows:
            year = row.get("st_award_year")
            level = row.get("st_award_level")
            if level not in levels or year is None or not facts.year - 3 <= year <= facts.year:
                continue
            limit = national_rank if level == "national" else max_rank
            rank = row.get("st_award_rank")
            if limit is None or (rank is not None and rank <= limit):
                return True
            unknown_rank = unknown_rank or rank is None
        if unknown_rank:
            return None
        return False if known else None

    return compute


def maker_china_top500(facts):
    rows, known = recorded(facts, "maker_china_rank")
    for row in rows:
        year = row.get("maker_china_year")
        if year is not None and facts.year - 3 <= year <= facts.year:
            return True
    return False if known else None


def holds(tier):
    def compute(facts):
        day = facts.as_of
        return any(
            held == tier and recognized <= day and (until is None or day <= until)
            for held, recognized, until in facts.record.titles
        )

    return compute


def listed(*lists):
    def compute(facts):
        day = facts.as_of
        return any(
            name in lists and (start is None or start <= day) and (end is None or day <= end)
            for name, start, end in facts.record.source_lists
        )

    return compute


def average_of(name, years):
    total_in = total_of(name, years)
    count = Decimal(years)

    def compute(facts):
        total = total_in(facts)
        return None if total is None else total / count

    return compute
