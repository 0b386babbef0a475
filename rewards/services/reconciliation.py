"""Reconciliation against the bank's statement, and the payments export.

A statement (XLSX or CSV, columns 流水号/参考号/reference and 金额/amount) is matched line
by line on the bank reference: a line whose amount equals the payment reconciles the
payout (one step each); unknown references and different amounts are kept and listed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from approvals.cases import case_decide
from enterprises.models import Tier, User
from enterprises.selectors import scope_to_user
from enterprises.services.sheets import Sheet, SpreadsheetError, cell_text, read_table, write_workbook
from steplog.services import step_record

from ..models import BankStatementLine, LineResult, Payout, PayoutState, StatementImport
from .payouts import require_finance

REFERENCE_HEADERS = {"reference", "bank reference", "流水号", "参考号", "交易流水号", "银行流水号"}
AMOUNT_HEADERS = {"amount", "金额", "交易金额", "金额(元)", "金额（元）"}


def _column(headers: list[str], names: set[str]) -> int | None:
    keys = [h.strip().lower() for h in headers]
    return next((i for i, key in enumerate(keys) if key in names), None)


def statement_lines(content: bytes, file_name: str) -> list[tuple[int, str, Decimal]]:
    """(line number, reference, amount) of every line; SpreadsheetError names a missing column or a bad amount."""
    table = read_table(content, file_name, is_header=lambda texts: _column(texts, REFERENCE_HEADERS) is not None)
    reference, amount = _column(table.headers, REFERENCE_HEADERS), _column(table.headers, AMOUNT_HEADERS)
    if reference is None or amount is None:
        raise SpreadsheetError(_("The statement needs a reference column (流水号) and an amount column (金额)."))
    lines = []
    for number, cells in table.rows:
        text = cell_text(cells[amount] if amount < len(cells) else "").replace(",", "")
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise SpreadsheetError(_("Line %(line)s: “%(amount)s” is not an amount.") % {"line": number, "amount": text}) from None
        lines.append((number, cell_text(cells[reference]).strip(), value))
    return lines


@transaction.atomic
def payouts_reconcile(*, content: bytes, file_name: str, by: User) -> StatementImport:
    """Import a bank statement: matching lines reconcile their payouts; the rest are kept as mismatches."""
    require_finance(by)
    lines = statement_lines(content, file_name)
    statement = StatementImport.objects.create(file_name=file_name[:255], imported_by=by)
    payouts = {p.bank_reference: p for p in Payout.objects.filter(bank_reference__in=[r for _n, r, _a in lines])}
    rows = [_line(statement, number, reference, amount, payouts.get(reference), by) for number, reference, amount in lines]
    BankStatementLine.objects.bulk_create(rows)
    counts = {result: sum(1 for row in rows if row.result == result) for result in LineResult.values}
    step_record(action="payout_statement.import", actor=by, obj=statement, data={"file": file_name, **counts})
    return statement


def _line(statement, number: int, reference: str, amount: Decimal, payout: Payout | None, by) -> BankStatementLine:
    line = BankStatementLine(statement=statement, line_number=number, reference=reference[:64], amount=amount,
                             payout=payout)
    if payout is None:
        line.result = LineResult.UNKNOWN_REFERENCE
    elif payout.paid_amount != amount:
        line.result = LineResult.AMOUNT_MISMATCH
    elif payout.state == PayoutState.RECONCILED:
        line.result = LineResult.ALREADY_RECONCILED
    else:
        case_decide(payout, Payout.reconcile, by=by, comment=statement.file_name)
        line.result = LineResult.MATCHED
    return line


# --- the payments export ---------------------------------------------------------------------


@dataclass
class ExportFilter:
    year: int
    jurisdiction: str = ""
    tier: str = ""


def paid_payouts(*, user: User, filters: ExportFilter) -> QuerySet:
    """Paid (and reconciled) payouts with a value date in ``filters.year``, scoped to ``user``."""
    queryset = Payout.objects.filter(
        state__in=[PayoutState.PAID, PayoutState.RECONCILED],
        value_date__gte=datetime.date(filters.year, 1, 1), value_date__lte=datetime.date(filters.year, 12, 31),
    ).select_related("enterprise__jurisdiction", "entitlement", "fund")
    if filters.jurisdiction:
        queryset = queryset.filter(enterprise__jurisdiction__code=filters.jurisdiction)
    if filters.tier:
        queryset = queryset.filter(entitlement__tier=filters.tier)
    return scope_to_user(queryset, user).order_by("enterprise__jurisdiction__code", "entitlement__tier", "value_date", "pk")


def payouts_export(*, user: User, filters: ExportFilter) -> bytes:
    """XLSX: one line per payment, then totals by jurisdiction and tier whose sum is the sum of the payments."""
    payouts = list(paid_payouts(user=user, filters=filters))
    totals: dict[tuple[str, str], Decimal] = {}
    for payout in payouts:
        key = (payout.enterprise.jurisdiction.name, str(Tier(payout.entitlement.tier).label))
        totals[key] = totals.get(key, Decimal("0.00")) + payout.paid_amount
    grand = sum(totals.values(), Decimal("0.00"))
    return write_workbook([
        Sheet(_("Payments"), [_("Enterprise"), _("Unified social credit code"), _("Jurisdiction"), _("Tier"),
                              _("Fund"), _("Paid (yuan)"), _("Bank reference"), _("Value date"), _("State")],
              [[p.enterprise.name, p.enterprise.credit_code, p.enterprise.jurisdiction.name,
                str(Tier(p.entitlement.tier).label), p.fund.name, p.paid_amount, p.bank_reference, p.value_date,
                p.get_state_display()] for p in payouts]),
        Sheet(_("Totals"), [_("Jurisdiction"), _("Tier"), _("Paid (yuan)")],
              [*([j, t, amount] for (j, t), amount in sorted(totals.items())), [_("Total"), "", grand]]),
    ])
