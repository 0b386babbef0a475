"""Reconciliation against the bank statement, and the payments export whose totals equal the payments."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from approvals.models import Step
from rewards import services
from rewards.models import FundBudget, LineResult, PayoutState
from tests.factories import EnterpriseFactory, UserFactory
from tests.rewards.conftest import drive, due_payout

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["银行流水号", "金额"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_statement_marks_matches_and_lists_mismatches(cast, zj2023, budget):
    first = drive(due_payout(cast.own), "paid", cast)
    second = drive(due_payout(cast.neighbour), "paid", cast)
    content = _xlsx([[first.bank_reference, 300000], [second.bank_reference, "299,999.00"], ["UNKNOWN-1", 10]])

    statement = services.payouts_reconcile(content=content, file_name="statement.xlsx", by=cast.finance)

    results = {line.reference: line.result for line in statement.lines.all()}
    assert results == {first.bank_reference: LineResult.MATCHED, second.bank_reference: LineResult.AMOUNT_MISMATCH,
                       "UNKNOWN-1": LineResult.UNKNOWN_REFERENCE}
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == (PayoutState.RECONCILED, PayoutState.PAID)
    assert Step.objects.filter(action="payout.reconcile").count() == 1
    again = services.payouts_reconcile(content=content, file_name="statement.xlsx", by=cast.finance)
    assert again.lines.get(reference=first.bank_reference).result == LineResult.ALREADY_RECONCILED


def test_only_finance_reconciles(cast, zj2023):
    with pytest.raises(Exception) as refused:
        services.payouts_reconcile(content=b"x", file_name="s.csv", by=cast.city)
    assert getattr(refused.value, "http_status", None) == 403


def test_the_export_totals_equal_the_sum_of_paid_payouts(cast, zj2023, budget):
    FundBudget.objects.filter(pk=budget.pk).update(amount=10**8 * 100)
    owner = UserFactory(username="champion_owner", role="enterprise",
                        enterprise=EnterpriseFactory(name="镇江冠军装备有限公司"))
    cast.owner_of = {owner.enterprise_id: owner}
    payouts = [drive(due_payout(cast.own), "paid", cast), drive(due_payout(cast.neighbour), "reconciled", cast)]
    drive(due_payout(cast.own, tier="champion"), "budget_confirmed", cast)  # not paid: not exported

    content = services.payouts_export(user=cast.finance, filters=services.ExportFilter(year=datetime.date.today().year))

    book = load_workbook(io.BytesIO(content))
    lines = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    totals = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    paid = sum((p.paid_amount for p in payouts), Decimal("0.00"))
    assert len(lines) == 2
    assert sum(Decimal(str(row[5])) for row in lines) == paid
    assert Decimal(str(totals[-1][2])) == paid
    assert sum(Decimal(str(row[2])) for row in totals[:-1]) == paid
    by_tier = services.payouts_export(user=cast.finance, filters=services.ExportFilter(
        year=datetime.date.today().year, jurisdiction="321102", tier="champion"))
    assert list(load_workbook(io.BytesIO(by_tier)).worksheets[0].iter_rows(min_row=2, values_only=True)) == []
