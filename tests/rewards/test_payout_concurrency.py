"""PostgreSQL: twenty simultaneous confirmations of one payout, and twenty payments of it, pay once with one step each."""

import datetime

import psycopg
import pytest
from django.db import connection, transaction

from approvals.models import QueueTask, Step
from enterprises.exceptions import DomainError
from rewards import services
from rewards.models import Payout, PayoutState
from tests.concurrency import race
from tests.rewards.conftest import ACCOUNT, drive, due_payout

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_confirmations_pay_once_with_one_step(step_log_flushable, zj2023, budget, cast):
    payout = due_payout(cast.own)

    def confirm():
        return services.payout_confirm(payout=payout, by=cast.owner, account_name=cast.own.name, **ACCOUNT)

    results = race([confirm] * 20)

    successes = [r for r in results if isinstance(r, Payout)]
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(successes) == 1 and len(refusals) == 19, [r for r in results if not isinstance(r, (Payout, DomainError))]
    assert Step.objects.filter(action="payout.confirm").count() == 1
    assert QueueTask.objects.filter(case_id=str(payout.pk), kind="payout.round_approval").count() == 1

    payout = drive(Payout.objects.get(pk=payout.pk), "budget_confirmed", cast)
    today = datetime.date.today()
    results = race([lambda: services.payout_pay(payout=payout, by=cast.finance, bank_reference="BR-RACE",
                                                value_date=today)] * 20)

    assert sum(isinstance(r, Payout) for r in results) == 1, results
    assert Payout.objects.get(pk=payout.pk).state == PayoutState.PAID
    assert Step.objects.filter(action="payout.pay").count() == 1
    assert Step.objects.filter(action="document.issue", data__kind="payment_notice").count() == 1


def test_a_budget_confirmation_leaves_the_fund_row_to_others(step_log_flushable, zj2023, budget, cast):
    """Other payouts' foreign-key checks share the fund's row while a confirmation holds its budget.

    A confirmation that locked the fund (through the budget's ordering join) deadlocked at COMMIT
    against decisions waiting for the chain head (README, Benchmarks → Load).
    """
    payout = drive(due_payout(cast.own), "notice_done", cast)
    with transaction.atomic():
        services.payout_confirm_budget(payout=payout, by=cast.finance)
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SET lock_timeout = '1s'")
            other.execute("SELECT 1 FROM rewards_fund WHERE id = %s FOR KEY SHARE", [payout.fund_id])
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("SELECT 1 FROM rewards_fundbudget WHERE id = %s FOR UPDATE", [budget.pk])
