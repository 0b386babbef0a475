"""Enterprise lists out of the registry: the user's scoped export and the blank import template.

Both use the import's Chinese headers, so an exported file imports back unchanged.
Text that a spreadsheet would run as a formula is escaped (``sheets.formula_escape``).
"""

from decimal import Decimal

from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Jurisdiction, User
from ..selectors import enterprise_list, metrics_list
from ..validators import credit_code_complete
from .columns import MOVED_ON, Column, Kind, all_columns, export_value
from .sheets import Sheet, write_csv, write_workbook

EXPORT_FORMATS = ("xlsx", "csv")


def enterprises_export(
    *, user: User, year: int | None = None, file_format: str = "xlsx", filters: dict | None = None
) -> bytes:
    """The enterprises ``user`` may see, with one year's metrics (default: the latest year on file)."""
    enterprises = enterprise_list(user=user, filters=filters).order_by("jurisdiction__sort_order", "name")
    metrics = metrics_list(user=user).filter(enterprise__in=enterprises)
    if year is None:
        year = metrics.aggregate(latest=Max("year"))["latest"]
    by_enterprise = {row.enterprise_id: row for row in metrics.filter(year=year)} if year else {}
    columns = all_columns()
    rows = (_export_row(columns, enterprise, year, by_enterprise.get(enterprise.pk)) for enterprise in enterprises)
    headers = [column.chinese_header() for column in columns]
    if file_format == "csv":
        return write_csv(headers, rows)
    with translation.override("zh-hans"):
        title = _("Enterprises")
    return write_workbook([Sheet(title=title, headers=headers, rows=rows, widths={0: 22, 1: 30})])


def _export_row(columns, enterprise, year, metrics) -> list:
    row = []
    for column in columns:
        if column.key == "year":
            value = year if metrics is not None else None
        elif column.is_metric:
            value = getattr(metrics, column.key) if metrics is not None else None
        elif column.key == MOVED_ON:
            value = None  # read on import only: the registry keeps every move with its date
        else:
            value = getattr(enterprise, column.key)
        row.append(export_value(column, value))
    return row


def import_template() -> bytes:
    """An .xlsx with every importable column (Chinese headers), one example row and a guide sheet."""
    columns = all_columns()
    with translation.override("zh-hans"):
        sheets = [
            Sheet(
                title=_("Enterprises"),
                headers=[column.chinese_header() for column in columns],
                rows=[[_example_value(column) for column in columns]],
                widths={0: 22, 1: 30},
            ),
            Sheet(
                title=_("Guide"),
                headers=[_("column"), _("English header"), _("required"), _("how to fill it")],
                rows=[_guide_row(column) for column in columns],
                widths={0: 30, 1: 28, 2: 8, 3: 60},
            ),
        ]
        return write_workbook(sheets)


EXAMPLE_VALUES = {
    "credit_code": credit_code_complete("91321102TD0000001"),
    "name": "镇江示例精密机械有限公司",
    "jurisdiction": "321102",
    "industry_chain": "高端装备",
    "main_product": "精密滚珠丝杠",
    "niche_market": "数控机床传动部件",
    "niche_entered_year": 2016,
    "founded_on": "2012-05-01",
    "year": 2025,
    "operating_revenue": Decimal("86500000.00"),
    "main_business_revenue": Decimal("79800000.00"),
    "rd_expense": Decimal("4620000.00"),
    "employees": 186,
    "rd_staff": 34,
    "ip_class1_count": 4,
    "strategic_emerging": "是",
    "rd_institution_level": "市级",
    "cnc_rate": Decimal("68.50"),
}


def _example_value(column: Column):
    return EXAMPLE_VALUES.get(column.key)


def _guide_row(column: Column) -> list:
    return [column.chinese_header(), column.key, _("yes") if column.required else "", _how_to_fill(column)]


def _how_to_fill(column: Column) -> str:
    if column.kind == Kind.JURISDICTION:
        return _("Code or name: %(names)s") % {
            "names": "、".join(f"{j.code} {j.name}" for j in Jurisdiction.objects.all())
        }
    if column.kind == Kind.CHOICE:
        return _("One of: %(choices)s") % {"choices": "、".join(str(label) for _v, label in column.model_field.choices)}
    return str(KIND_HINTS[column.kind])


KIND_HINTS = {
    Kind.CREDIT_CODE: gettext_lazy("18 characters; format the column as text so Excel does not round it"),
    Kind.TEXT: gettext_lazy("text"),
    Kind.CHAIN: gettext_lazy("the name of one of the city's industry chains"),
    Kind.YEAR: gettext_lazy("a year, e.g. 2025"),
    Kind.DATE: gettext_lazy("a date, e.g. 2015-06-30"),
    Kind.MONEY: gettext_lazy("yuan, up to two decimal places; a header ending in （万元） means ten-thousand yuan"),
    Kind.INTEGER: gettext_lazy("a whole number"),
    Kind.PERCENT: gettext_lazy("a percentage, e.g. 65.5 or 65.5%"),
    Kind.FLAG: gettext_lazy("是 or 否"),
}
