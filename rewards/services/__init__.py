"""Writes of the rewards app, one module per topic; import the actions from here.

Recognition (workflows) calls ``entitlements_request`` on commit of a recorded title.
"""

from steplog.dispatch import task_queue_on_commit

from ..tasks import compute_entitlements
from .awards import past_awards_import
from .entitlements import enterprise_entitlements_compute, entitlements_compute, ladder_step, policies_in_force
from .forecast import forecast_candidates, payouts_forecast
from .payouts import (
    fund_budget_figures,
    payout_cancel,
    payout_confirm,
    payout_confirm_budget,
    payout_open,
    payout_pay,
    payout_reject,
    payouts_open_due,
)
from .policies import (
    PolicyValues,
    policy_values_from_mapping,
    reward_policy_check,
    reward_policy_load,
    reward_policy_mapping,
    reward_policy_save,
)
from .reconciliation import ExportFilter, payouts_export, payouts_reconcile
from .revocation import clawback_offset, clawback_refund, enterprise_recognition_banned, title_revoke
from .rounds import (
    payout_object,
    payout_release,
    reward_round_approve,
    reward_round_close_notice,
    reward_round_create,
    reward_round_open_notice,
    reward_rounds_close_due,
)


def entitlements_request(*, title) -> None:
    """Ask for the entitlements of a newly recorded ``title`` (免申即享).

    Queues ``rewards.compute_entitlements`` once the caller's transaction commits (a
    rolled-back recognition earns nothing); eager in development and tests. With the
    broker down the title stays without entitlements, which is the record of what is
    owed: ``workflows.services.entitlements_owed`` computes them later.
    """
    task_queue_on_commit(compute_entitlements, title.pk)


__all__ = [
    "ExportFilter",
    "PolicyValues",
    "clawback_offset",
    "clawback_refund",
    "enterprise_recognition_banned",
    "forecast_candidates",
    "fund_budget_figures",
    "payout_cancel",
    "payout_confirm",
    "payout_confirm_budget",
    "payout_object",
    "payout_open",
    "payout_pay",
    "payout_reject",
    "payout_release",
    "payouts_export",
    "payouts_forecast",
    "payouts_open_due",
    "payouts_reconcile",
    "reward_round_approve",
    "reward_round_close_notice",
    "reward_round_create",
    "reward_round_open_notice",
    "reward_rounds_close_due",
    "title_revoke",
    "enterprise_entitlements_compute",
    "entitlements_compute",
    "entitlements_request",
    "ladder_step",
    "past_awards_import",
    "policies_in_force",
    "policy_values_from_mapping",
    "reward_policy_check",
    "reward_policy_load",
    "reward_policy_mapping",
    "reward_policy_save",
]
