"""A decision nothing undoes (Decision.final) is shown as a danger and asks first, on every case page."""

import pytest

from approvals.cases.declarations import Decision
from rewards.cases import PAYOUT
from tests.rewards.conftest import drive, due_payout
from workflows.cases.application import APPLICATION
from workflows.cases.coaching import COACHING_PLAN
from workflows.cases.pool import POOL_ENTRY
from workflows.services import pool as pool_services

pytestmark = pytest.mark.django_db
ASKS = 'data-confirm="'


def button(page: str, name: str) -> str:
    """The opening tag of the decision's button on ``page``."""
    start = page.index(f'data-testid="action-{name}"')
    return page[page.rindex("<button", 0, start): page.index(">", start)]


def test_final_decisions_are_declared_once_on_the_case_types():
    finals = {
        case_type.prefix: sorted(decision.name for decision in case_type.decisions if decision.final)
        for case_type in (POOL_ENTRY, APPLICATION, COACHING_PLAN, PAYOUT)
    }
    assert finals == {
        "pool_entry": ["confirm_exit", "reject", "withdraw"],
        "application": ["reject", "withdraw"],
        "coaching_plan": ["close"],
        "payout": ["cancel", "reject"],
    }
    assert Decision.final is False  # a new decision is reversible unless it says otherwise


def test_the_pool_reviewer_is_asked_before_rejecting_not_before_approving(client, cast):
    entry = pool_services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")
    client.force_login(cast.district)
    page = client.get(f"/pool/{entry.pk}/").content.decode()
    assert ASKS in button(page, "reject") and "tidu-button--danger" in button(page, "reject")
    assert ASKS not in button(page, "district_approve") and ASKS not in button(page, "return")
    client.force_login(cast.owner)
    page = client.get(f"/pool/{entry.pk}/").content.decode()
    assert ASKS in button(page, "withdraw")


def test_finance_is_asked_before_rejecting_a_payout(client, cast, zj2023, budget):
    payout = drive(due_payout(cast.own), "notice_done", cast)
    client.force_login(cast.finance)
    page = client.get(f"/payouts/{payout.pk}/").content.decode()
    assert ASKS in button(page, "reject") and "tidu-button--danger" in button(page, "reject")
    assert ASKS not in button(page, "confirm_budget")
