"""Every list behind a figure as an .xlsx: the list's own headers and cells, formula-looking text escaped."""

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from enterprises.services.sheets import Sheet, write_workbook

from .selectors import DashboardScope, FigureList
from .selectors.lists import ListQuery


def figure_list_export(*, figure: FigureList, scope: DashboardScope, query: ListQuery) -> bytes:
    """The rows ``scope`` may see, Chinese headers (the file is sent to offices), one sheet."""
    with translation.override("zh-hans"):
        money = figure.money_columns(query)
        headers = [_("%(header)s (yuan)") % {"header": header} if index in money else str(header)
                   for index, header in enumerate(figure.headers(query))]
        rows = [[_cell(value) for value in figure.cells(row, query)] for row in figure.rows(scope, query)]
        return write_workbook([Sheet(title=_("List"), headers=headers, rows=rows, widths={0: 36, 1: 22, 2: 14})])


def _cell(value):
    """Numbers, money and dates stay typed for the spreadsheet; lazy labels become text."""
    return value if value is None or isinstance(value, (str, int, Decimal, datetime.date)) else str(value)
