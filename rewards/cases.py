"""Payouts (奖励兑现) and reward rounds (兑现批次): their tasks and decisions, declared once."""

from django.utils.translation import gettext_lazy as _

from approvals.cases import CaseType, Decision, HumanTask
from enterprises.models import Role

from .models import Payout, RewardRound

CONFIRMATION = HumanTask("payout.confirmation", Role.ENTERPRISE, _("Reward: confirm the receiving account"), 10)
ROUND_APPROVAL = HumanTask("payout.round_approval", Role.CITY_REVIEWER, _("Reward: approve in a reward round"), 10)
OBJECTION_REVIEW = HumanTask("payout.objection", Role.CITY_REVIEWER, _("Reward: resolve an objection"), 5)
BUDGET_CONFIRMATION = HumanTask("payout.budget_confirmation", Role.FINANCE, _("Reward: confirm against the budget"), 3)
PAYMENT = HumanTask("payout.payment", Role.FINANCE, _("Reward: record the payment"), 2)

PAYOUT = CaseType(
    model=Payout,
    prefix="payout",
    case_argument="payout",
    url_name="payouts:detail",
    tasks=(CONFIRMATION, ROUND_APPROVAL, OBJECTION_REVIEW, BUDGET_CONFIRMATION, PAYMENT),
    decisions=(
        Decision(Payout.open, _("Reward due: the enterprise is asked to confirm its account (免申即享)")),
        Decision(
            Payout.confirm, _("Account confirmed by the enterprise"), button=_("Confirm and accept the reward"),
            done=_("Confirmed. The city bureau will approve the reward in a round."), tasks=(CONFIRMATION,),
        ),
        Decision(Payout.change_account, _("Receiving account changed: to be approved again"),
                 done=_("Account changed. The reward will be approved again in a new round.")),
        Decision(Payout.add_to_round, _("Added to a reward round")),
        Decision(Payout.approve, _("Approved in the reward round (奖励决定)"), tasks=(ROUND_APPROVAL,)),
        Decision(Payout.open_notice, _("Public notice (公示) opened")),
        Decision(Payout.hold, _("Objection raised: payout held"), button=_("Raise an objection"),
                 done=_("Objection recorded; the payout is held until the city bureau resolves it."),
                 text="text", text_required=True),
        Decision(Payout.release, _("Objection dismissed: payout released"), button=_("Dismiss the objection"),
                 done=_("Objection dismissed; the payout goes on."), tasks=(OBJECTION_REVIEW,), text="reason",
                 text_required=True),
        Decision(Payout.end_notice, _("Public notice passed")),
        Decision(Payout.confirm_budget, _("Budget confirmed by finance"), button=_("Confirm against the budget"),
                 done=_("Confirmed against the fund's budget."), tasks=(BUDGET_CONFIRMATION,)),
        Decision(Payout.pay, _("Paid (资金拨付通知 issued)"), button=_("Record the payment"),
                 done=_("Payment recorded; the payment notice is issued."), tasks=(PAYMENT,)),
        Decision(Payout.reconcile, _("Reconciled with the bank statement")),
        Decision(Payout.reject, _("Payout rejected"), button=_("Reject"), done=_("Rejected."),
                 tasks=(OBJECTION_REVIEW, BUDGET_CONFIRMATION, PAYMENT), text="reason", text_required=True, final=True),
        Decision(Payout.cancel, _("Payout cancelled"), button=_("Cancel the payout"), done=_("Cancelled."),
                 text="reason", text_required=True, final=True),
    ),
    other_actions={"offset": _("Clawback offset against this payout")},
    step_data=lambda payout: {"amount": str(payout.amount), "round": payout.round_id},
)

REWARD_ROUND = CaseType(
    model=RewardRound,
    prefix="reward_round",
    case_argument="round",
    url_name="payouts:round",
    decisions=(
        Decision(RewardRound.approve, _("Reward round approved (奖励决定 issued)"), button=_("Approve the round")),
        Decision(RewardRound.open_notice, _("Public notice (公示) of the round opened"),
                 button=_("Open the public notice")),
        Decision(RewardRound.close, _("Public notice of the round closed"), button=_("Close the notice")),
    ),
    other_actions={"create": _("Reward round created")},
    lock_related=("fund",),
    step_data=lambda round: {"fund": round.fund.code, "year": round.year},
)

CASE_TYPES = [PAYOUT, REWARD_ROUND]
