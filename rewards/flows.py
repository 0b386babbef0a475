"""viewflow flow of a payout: who does what next. It routes tasks; the payout's FSM decides.

The enterprise confirms its account; the city approves it in a reward round (the round's
own decisions, taken for all its payouts at once); after the public notice finance confirms
it against the budget and records the payment. The notice is a wait (``notice_wait``)
that the notice's end, a dismissed objection or a changed account hands on.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from approvals.cases import CaseFlowMixin
from approvals.cases.flows import CaseSwitch, case_in, case_page

from .cases import BUDGET_CONFIRMATION, CONFIRMATION, PAYMENT, ROUND_APPROVAL
from .models import PayoutState

human_task = CaseFlowMixin.opens_queue_task


class PayoutFlow(CaseFlowMixin, flow.Flow):
    process_title = _("Reward payout")
    process_description = _("A due reward: the enterprise confirms, the city approves and notices, finance pays.")

    start = flow.StartHandle(this.attach_case).Next(this.confirmation)

    confirmation = flow.View(case_page).onCreate(human_task(CONFIRMATION)).Next(this.after_confirmation)
    after_confirmation = CaseSwitch().Case(this.round_approval, case_in(PayoutState.CONFIRMED)).Default(this.end)
    round_approval = flow.View(case_page).onCreate(human_task(ROUND_APPROVAL)).Next(this.after_round_approval)
    after_round_approval = CaseSwitch().Case(this.notice_wait, case_in(PayoutState.APPROVED)).Default(this.end)
    # The round's notice runs; its end (or a dismissed objection after it) hands the payout on.
    notice_wait = flow.Handle(this.notice_passed).Next(this.after_notice)
    after_notice = (
        CaseSwitch()
        .Case(this.budget_confirmation, case_in(PayoutState.NOTICE_DONE))
        .Case(this.round_approval, case_in(PayoutState.CONFIRMED))
        .Default(this.end)
    )
    budget_confirmation = flow.View(case_page).onCreate(human_task(BUDGET_CONFIRMATION)).Next(this.after_budget)
    after_budget = CaseSwitch().Case(this.payment, case_in(PayoutState.BUDGET_CONFIRMED)).Default(this.end)
    payment = flow.View(case_page).onCreate(human_task(PAYMENT)).Next(this.end)
    end = flow.End()

    def notice_passed(self, activation):
        return activation.process
