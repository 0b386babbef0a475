"""Words for the diagnosis in the active language: values, conditions, bands and remedies."""

from decimal import Decimal

from django.utils.translation import gettext as _, ngettext

from enterprises.fields import money_text

from .conditions import SYMBOLS, clauses, threshold
from .facts import METRICS, RD_INSTITUTION_LABELS, Unit


def plain(number, places: int = 2) -> str:
    """A number without trailing zeros: 3 → "3", 2.40 → "2.4", 1234567 → "1234567"."""
    text = f"{Decimal(number).quantize(Decimal(1).scaleb(-places)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_text(metric_name: str, value, places: int = 2) -> str:
    """How a metric's value reads to a person; "unknown" for None, never "0"."""
    if value is None:
        return _("unknown")
    unit = METRICS[metric_name].unit
    if unit == Unit.FLAG:
        return _("yes") if value else _("no")
    if unit == Unit.PERCENT:
        return f"{plain(value, places)}%"
    if unit == Unit.MONEY:
        return money_text(value)
    if unit == Unit.YEARS:
        return ngettext("%(count)s year", "%(count)s years", int(value)) % {"count": plain(value)}
    if unit == Unit.RANK:
        return _("No. %(rank)s") % {"rank": plain(value)}
    if unit == Unit.LEVEL:
        if metric_name == "rd_institution":
            return str(RD_INSTITUTION_LABELS[int(value)])
        return _("level %(level)s") % {"level": plain(value)}
    return plain(value, places)


def values_apart(metric_name: str, current, target) -> tuple[str, str]:
    """The current value and the target as text with as many places as it takes to tell them apart
    (14.9999% → 15%, never 15% → 15%)."""
    for places in (2, 4, 6):
        now, then = value_text(metric_name, current, places), value_text(metric_name, target, places)
        if now != then or current == target:
            break
    return now, then


def clause_text(clause: dict) -> str:
    name = clause["metric"]
    label = str(METRICS[name].label)
    limit = threshold(name, clause.get("value"))
    if METRICS[name].unit == Unit.FLAG:
        return label if limit else _("not: %(condition)s") % {"condition": label}
    return f"{label} {SYMBOLS[clause['op']]} {value_text(name, limit)}"


def condition_text(node: dict, *, nested: bool = False) -> str:
    """A condition as a sentence: "R&D expense ≥ 100 ten-thousand yuan and …"."""
    for combinator, joiner in (("all", _(" and ")), ("any", _(" or "))):
        if combinator in node:
            text = joiner.join(condition_text(part, nested=True) for part in node[combinator])
            return f"({text})" if nested and len(node[combinator]) > 1 else text
    return clause_text(node)


def option_text(option) -> str:
    points = ngettext("%(points)s point", "%(points)s points", option.points) % {"points": option.points}
    if option.when is None:
        return _("otherwise: %(points)s") % {"points": points}
    return f"{condition_text(option.when)} → {points}"


def verify_flagged(node: dict | None) -> bool:
    """Whether any figure of a condition came from a secondary source (to verify)."""
    return bool(node) and any(clause.get("verify") for _, clause in clauses(node))


def _input_label(field: str) -> str:
    from enterprises.models import AnnualMetrics, Enterprise

    model = Enterprise if field in {"niche_entered_year", "founded_on"} else AnnualMetrics
    return str(model._meta.get_field(field).verbose_name)


def missing_text(missing) -> str:
    """Inputs to enter, each field once with its years: "R&D expense (2025, 2024)"."""
    years_by_field: dict[str, list] = {}
    for year, field in missing:
        if year not in years_by_field.setdefault(field, []):
            years_by_field[field].append(year)
    return "、".join(
        _input_label(field) + (" (%s)" % ", ".join(str(y) for y in years) if years != [None] else "")
        for field, years in years_by_field.items()
    )


def _lever_value(field: str, value) -> str:
    if field in {"rd_staff", "employees"}:
        return plain(value, 0)
    return money_text(value)


def change_text(change) -> str:
    metric = METRICS[change.metric]
    if change.provide:
        return _("enter %(inputs)s") % {"inputs": missing_text(change.missing) or metric.label}
    if metric.unit == Unit.FLAG:
        return _("obtain: %(condition)s") % {"condition": metric.label}
    current, target = values_apart(change.metric, change.current, change.target)
    if change.op == "gt":
        target = _("more than %(value)s") % {"value": target}
    elif change.op == "lt":
        target = _("less than %(value)s") % {"value": target}
    text = f"{metric.label} {current} → {target}"
    lever = change.lever
    if lever is None:
        return text
    if lever.field == "year":
        return text + _(" (reached in %(year)s)") % {"year": lever.needed}
    return text + " (%s %s → %s)" % (
        _input_label(lever.field),
        _("unknown") if lever.current is None else _lever_value(lever.field, lever.current),
        _lever_value(lever.field, lever.needed),
    )


def step_text(step) -> str:
    if step.provide_only:
        missing = list(dict.fromkeys(pair for change in step.changes for pair in change.missing))
        labels = "、".join(str(METRICS[change.metric].label) for change in step.changes)
        text = _("enter %(inputs)s") % {"inputs": missing_text(missing) or labels}
    else:
        text = _("; ").join(change_text(change) for change in step.changes)
    if step.gain is None:
        return text
    if step.provide_only:
        gain = ngettext("may win up to %(points)s point", "may win up to %(points)s points", step.gain)
    else:
        gain = ngettext("gains %(points)s point", "gains %(points)s points", step.gain)
    return f"{text} {gain % {'points': step.gain}}"


def remedy_text(remedy) -> str:
    if not remedy.steps:
        return _("No change in the enterprise's data can meet this rule.")
    text = step_text(remedy.first)
    if len(remedy.steps) > 1:
        text += _("; for all lost points: %(full)s") % {"full": step_text(remedy.full)}
    return text
