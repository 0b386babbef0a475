"""The columns an enterprise list may carry, their header aliases and how a cell is read.

Headers may be Chinese or English (``统一社会信用代码`` or ``credit_code``); metric columns
take their names from ``AnnualMetrics``' verbose names and their Chinese translations,
so a field added to the model is importable with no change here. Money may be given
in 元 or, when the header says so (``营业收入（万元）``), in 万元. Money is read as
Decimal, never through float: Excel's binary numbers go through ``repr`` and are
rounded to the fen.
"""

import datetime
import enum
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..fields import CENT, MoneyField
from ..models import AnnualMetrics, Enterprise, IndustryChain, Jurisdiction
from ..validators import credit_code_problem, normalise_credit_code
from .sheets import cell_text, formula_unescape

UNIT_SCALES = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
IGNORED_UNITS = {"%", "人", "个", "项", "件", "年", "名"}
TRUE_WORDS = {"是", "有", "y", "yes", "true", "t", "1", "√", "✓", "✔"}
FALSE_WORDS = {"否", "无", "没有", "n", "no", "false", "f", "0", "×", "✗", "x"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)(?:\((?P<paren>[^()]*)\)|/(?P<slash>[^/]+))$")


class CellProblem(Exception):
    """A cell that cannot be read; the message says why, in the user's language."""


class Kind(enum.StrEnum):
    CREDIT_CODE = "credit_code"
    TEXT = "text"
    JURISDICTION = "jurisdiction"
    CHAIN = "chain"
    YEAR = "year"
    DATE = "date"
    MONEY = "money"
    INTEGER = "integer"
    PERCENT = "percent"
    FLAG = "flag"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    """One importable column: the model field it fills and how its cells are read."""

    key: str
    kind: str
    label: str  # lazy msgid; its zh_Hans translation is the Chinese header
    required: bool = False
    aliases: tuple[str, ...] = ()
    model_field: models.Field | None = field(default=None, compare=False, hash=False)

    @property
    def is_metric(self) -> bool:
        return self.key in METRIC_KEYS

    @functools.cached_property
    def validators(self) -> tuple:
        """The model field's own checks (ranges, lengths), run on every value read."""
        if self.model_field is None or self.kind in UNVALIDATED_KINDS:
            return ()
        return tuple(self.model_field.validators)

    def chinese_header(self) -> str:
        with translation.override("zh-hans"):
            header = str(self.label)
        return f"{header}（元）" if self.kind == Kind.MONEY else header


MOVED_ON = "moved_on"  # a profile column that is no field: the date of a jurisdiction move
PROFILE_COLUMNS = [
    Column("credit_code", Kind.CREDIT_CODE, gettext_lazy("unified social credit code"), True,
           ("统一社会信用代码", "信用代码", "社会信用代码", "credit code", "uscc")),
    Column("name", Kind.TEXT, gettext_lazy("enterprise name"), True, ("企业名称", "名称", "单位名称", "name")),
    Column("jurisdiction", Kind.JURISDICTION, gettext_lazy("jurisdiction"), True,
           ("所属地区", "地区", "所属区县", "区县", "属地")),
    Column("industry_chain", Kind.CHAIN, gettext_lazy("industry chain"), aliases=("产业链", "所属产业链")),
    Column("main_product", Kind.TEXT, gettext_lazy("main product"), aliases=("主导产品", "主营产品")),
    Column("niche_market", Kind.TEXT, gettext_lazy("niche market"), aliases=("细分领域",)),
    Column("niche_entered_year", Kind.YEAR, gettext_lazy("year entered the niche")),
    Column("founded_on", Kind.DATE, gettext_lazy("founded on"), aliases=("成立时间", "注册日期")),
    # When a changed 所属地区 took effect (today when blank): rewards ask where the firm was on a date.
    Column(MOVED_ON, Kind.DATE, gettext_lazy("moved in on"), aliases=("迁入日期", "迁入时间", "moved on")),
]
YEAR_COLUMN = Column("year", Kind.YEAR, gettext_lazy("year"), aliases=("年度", "年份", "数据年度"),
                     model_field=AnnualMetrics._meta.get_field("year"))
METRIC_KEYS = frozenset(AnnualMetrics.input_field_names())


def _metric_kind(model_field: models.Field) -> str:
    if isinstance(model_field, MoneyField):
        return Kind.MONEY
    if isinstance(model_field, models.BooleanField):
        return Kind.FLAG
    if isinstance(model_field, models.DecimalField):
        return Kind.PERCENT
    if isinstance(model_field, models.CharField):
        return Kind.CHOICE
    return Kind.INTEGER


@functools.cache
def all_columns() -> tuple[Column, ...]:
    """Profile columns, the year, then every metric field in model order."""
    metric_columns = [
        Column(name, _metric_kind(f), f.verbose_name, model_field=f)
        for name in AnnualMetrics.input_field_names()
        for f in [AnnualMetrics._meta.get_field(name)]
    ]
    profile = [
        Column(c.key, c.kind, c.label, c.required, c.aliases, None if c.key == MOVED_ON else Enterprise._meta.get_field(c.key))
        for c in PROFILE_COLUMNS
    ]
    return (*profile, YEAR_COLUMN, *metric_columns)


def header_key(text: str) -> str:
    """Fold a header for matching: full-width to ASCII, lower case, no spaces or required-marks."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(folded.split()).strip("*").replace("：", ":")


def _column_aliases(column: Column) -> set[str]:
    with translation.override("en"):
        english = str(column.label)
    with translation.override("zh-hans"):
        chinese = str(column.label)
    names = {column.key, column.key.replace("_", " "), english, chinese, *column.aliases}
    match = re.match(r"^(?P<before>.*?)\s*[(（](?P<inside>.*)[)）]$", english)
    if match:
        names.add(match["before"])
        names.add(match["inside"])
    return {header_key(name) for name in names if name}


@functools.cache
def alias_table() -> dict[str, Column]:
    """Every accepted header (folded) → its column. An alias two columns share is dropped."""
    table: dict[str, Column] = {}
    clashes: set[str] = set()
    for column in all_columns():
        for alias in _column_aliases(column):
            if alias in table and table[alias] != column:
                clashes.add(alias)
            table[alias] = column
    for alias in clashes:
        del table[alias]
    return table


def column_for_header(header: str) -> tuple[Column | None, int]:
    """The column a header names and the scale of its unit (万元 → 10000), or (None, 1)."""
    key = header_key(header)
    table = alias_table()
    if key in table:
        return table[key], 1
    match = _UNIT_SUFFIX.match(key)
    if match:
        unit = match["paren"] if match["paren"] is not None else match["slash"]
        column = table.get(match["name"])
        if column is not None and (unit in UNIT_SCALES or unit in IGNORED_UNITS):
            return column, UNIT_SCALES.get(unit, 1) if column.kind == Kind.MONEY else 1
    return None, 1


@dataclass
class Lookups:
    """The reference tables a row is checked against, loaded once per import."""

    jurisdictions: dict[str, Jurisdiction]
    chains: dict[str, IndustryChain]

    @classmethod
    def load(cls) -> "Lookups":
        jurisdictions = {}
        for jurisdiction in Jurisdiction.objects.all():
            for name in (jurisdiction.code, jurisdiction.name, jurisdiction.name_en):
                if name:
                    jurisdictions[header_key(name)] = jurisdiction
        chains = {}
        for chain in IndustryChain.objects.all():
            for name in (chain.name, chain.name_en):
                if name:
                    chains[header_key(name)] = chain
        return cls(jurisdictions=jurisdictions, chains=chains)


def read_cell(column: Column, raw, *, scale: int, lookups: Lookups):
    """The cell's value for ``column``, or None when blank. Raises ``CellProblem``."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    reader = _READERS[column.kind]
    value = reader(column, raw, scale=scale, lookups=lookups)
    _check_field_rules(column, value)
    return value


def _check_field_rules(column: Column, value) -> None:
    """The model field's own rules (``AnnualMetrics``, ``Enterprise``): the page and the API apply the same."""
    try:
        for validator in column.validators:
            validator(value)
    except ValidationError as exc:
        raise CellProblem(" ".join(exc.messages)) from None


def _read_credit_code(column, raw, **_ignored):
    if isinstance(raw, (int, float)):
        raise CellProblem(
            _(
                "The credit code was stored as a number, which Excel rounds. "
                "Format the column as text and type it again."
            )
        )
    code = normalise_credit_code(formula_unescape(cell_text(raw)))
    problem = credit_code_problem(code)
    if problem:
        raise CellProblem(problem)
    return code


def _read_text(column, raw, **_ignored):
    text = cell_text(raw)
    if text.startswith("="):  # a formula (or a CSV cell a spreadsheet would run as one): never a name
        raise CellProblem(
            _("“%(value)s” is a spreadsheet formula, not text. Type the text itself (start it with ' to keep a leading =).")
            % {"value": text[:40]}
        )
    return formula_unescape(text)


def _read_jurisdiction(column, raw, *, lookups, **_ignored):
    text = cell_text(raw)
    jurisdiction = lookups.jurisdictions.get(header_key(text))
    if jurisdiction is None:
        known = "、".join(sorted({f"{j.code} {j.name}" for j in lookups.jurisdictions.values()}))
        message = _("Unknown jurisdiction “%(value)s”. Use a code or name: %(known)s.")
        raise CellProblem(message % {"value": text, "known": known})
    return jurisdiction


def _read_chain(column, raw, *, lookups, **_ignored):
    text = cell_text(raw)
    chain = lookups.chains.get(header_key(text))
    if chain is None:
        known = "、".join(sorted({c.name for c in lookups.chains.values()}))
        message = _("Unknown industry chain “%(value)s”. Use one of: %(known)s.")
        raise CellProblem(message % {"value": text, "known": known})
    return chain


def _decimal(raw) -> Decimal:
    """Excel floats through repr (shortest exact text), never through binary arithmetic."""
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    try:
        value = Decimal(raw)  # the common case: plain digits
    except InvalidOperation:
        text = unicodedata.normalize("NFKC", str(raw))
        value = Decimal("".join(text.split()).replace(",", "").replace("¥", ""))
    if not value.is_finite():
        raise InvalidOperation
    return value


def _read_money(column, raw, *, scale, **_ignored):
    original = raw
    if isinstance(raw, str):
        # A unit typed in the cell ("12万元") wins over the header's.
        raw = raw.strip().removesuffix("元")
        if raw.endswith("万"):
            raw, scale = raw[:-1], UNIT_SCALES["万元"]
    try:
        value = _decimal(raw) * scale
    except InvalidOperation:
        raise CellProblem(_("“%(value)s” is not an amount of money.") % {"value": cell_text(original)}) from None
    _check_field_rules(column, value)  # before rounding: 1e400 cannot be rounded to the fen
    if isinstance(raw, str) and value != value.quantize(CENT):
        raise CellProblem(_("“%(value)s” has more than two decimal places (fen).") % {"value": cell_text(original)})
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _read_integer(column, raw, **_ignored):
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    try:
        value = _decimal(raw)
    except InvalidOperation:
        raise CellProblem(_("“%(value)s” is not a whole number.") % {"value": cell_text(raw)}) from None
    if value != value.to_integral_value():
        raise CellProblem(_("“%(value)s” is not a whole number.") % {"value": cell_text(raw)})
    if value < 0:
        raise CellProblem(_("“%(value)s” cannot be negative.") % {"value": cell_text(raw)})
    return int(value)


def _read_year(column, raw, **kwargs):
    return _read_integer(column, raw, **kwargs)  # the range is the field's rule (validate_year)


def _read_percent(column, raw, **_ignored):
    try:
        value = _decimal(raw.strip().removesuffix("%").removesuffix("％") if isinstance(raw, str) else raw)
    except InvalidOperation:
        raise CellProblem(_("“%(value)s” is not a percentage.") % {"value": cell_text(raw)}) from None
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too large to round to 0.01: the field's range says why
        _check_field_rules(column, value)
        raise


FLAG_WORDS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def _read_flag(column, raw, **_ignored):
    flag = FLAG_WORDS.get(raw) if isinstance(raw, str) else None
    if flag is None:
        flag = FLAG_WORDS.get(header_key(cell_text(raw)))
    if flag is not None:
        return flag
    raise CellProblem(_("“%(value)s” is not yes or no; write 是 or 否.") % {"value": cell_text(raw)})


@functools.cache
def _choice_words(column_key: str) -> dict[str, str]:
    model_field = AnnualMetrics._meta.get_field(column_key)
    words = {}
    for value, label in model_field.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                words[header_key(str(label))] = value
        words[header_key(value)] = value
    return words


def _read_choice(column, raw, **_ignored):
    value = _choice_words(column.key).get(header_key(cell_text(raw)))
    if value is None:
        allowed = "、".join(str(label) for _value, label in column.model_field.choices)
        raise CellProblem(_("“%(value)s” is not one of: %(allowed)s.") % {"value": cell_text(raw), "allowed": allowed})
    return value


def _read_date(column, raw, **_ignored):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = unicodedata.normalize("NFKC", cell_text(raw))
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CellProblem(_("“%(value)s” is not a date; write it as 2015-06-30.") % {"value": text})


# Jurisdiction and chain are looked up, and a credit code is fully checked by its reader.
UNVALIDATED_KINDS = {Kind.JURISDICTION, Kind.CHAIN, Kind.CREDIT_CODE}

_READERS = {
    Kind.CREDIT_CODE: _read_credit_code,
    Kind.TEXT: _read_text,
    Kind.JURISDICTION: _read_jurisdiction,
    Kind.CHAIN: _read_chain,
    Kind.YEAR: _read_year,
    Kind.DATE: _read_date,
    Kind.MONEY: _read_money,
    Kind.INTEGER: _read_integer,
    Kind.PERCENT: _read_percent,
    Kind.FLAG: _read_flag,
    Kind.CHOICE: _read_choice,
}


def export_value(column: Column, value):
    """How a stored value is written back into a sheet, so that it imports unchanged."""
    if value is None or value == "":
        return None
    if column.kind == Kind.JURISDICTION:
        return value.code
    if column.kind == Kind.CHAIN:
        return value.name
    if column.kind == Kind.FLAG:
        with translation.override("zh-hans"):
            return _("yes") if value else _("no")
    if column.kind == Kind.CHOICE:
        with translation.override("zh-hans"):
            return str(dict(column.model_field.choices).get(value, value))
    return value
