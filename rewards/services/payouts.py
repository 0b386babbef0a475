"""Payout actions (奖励兑现): open, confirm, change the account, budget, pay, reject, cancel.

Every decision goes through the case kernel (``approvals.cases.case_decide``): lock the
payout, take its queue task (who may act: the enterprise's own users, the city, finance),
apply the declared FSM transition, complete the flow's task, write one step. The
declarations are in ``rewards.cases``; documents and notices are written in the same
transaction and rendered / sent after commit.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from approvals.cases import case_cancel, case_decide, case_locked, case_reason_required, case_start
from documents.models import DocumentKind
from documents.services import document_issue
from enterprises.fields import MoneyField, money_text
from enterprises.models import Role, User
from enterprises.selectors import is_administrator
from enterprises.templatetags.tidu import in_language
from notifications.selectors import enterprise_users
from notifications.services import notify

from ..cases import PAYOUT
from ..exceptions import RewardError
from ..flows import PayoutFlow
from ..models import Entitlement, FundBudget, Objection, Payout, PayoutState
from ..models.payouts import ACCOUNT_CHANGEABLE

decision = PAYOUT.serves
ZERO = Decimal("0.00")


def _refuse(message: str, *, code: str, http_status: int = 409):
    raise RewardError(message, code=code, http_status=http_status)


# Rejections, cancellations and objections carry a reason, refused alike for every case type.
require_reason = case_reason_required


def require_city(by: User | None) -> None:
    if by is None or not (by.role == Role.CITY_REVIEWER or is_administrator(by)):
        _refuse(_("Only the city bureau may do this."), code="forbidden", http_status=403)


def require_finance(by: User) -> None:
    if not (by.role == Role.FINANCE or is_administrator(by)):
        _refuse(_("Only finance may do this."), code="forbidden", http_status=403)


def in_chinese(func):
    """Documents and notices are written in the bureau's language, whoever clicked."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


# --- opening (免申即享) -----------------------------------------------------------------


@decision(Payout.open)
@transaction.atomic
def payout_open(*, entitlement: Entitlement, by: User | None = None) -> Payout | None:
    """The payout of a due entitlement (amount > 0, a policy), opened once; the enterprise is told.

    Idempotent: locks the entitlement, returns the payout it already has. The enterprise
    never applies; its confirmation task opens in its queue.
    """
    entitlement = Entitlement.objects.select_for_update(of=("self",)).select_related("policy", "enterprise").get(pk=entitlement.pk)
    if not entitlement.is_due or entitlement.policy is None:
        return None
    existing = Payout.objects.filter(entitlement=entitlement).first()
    if existing is not None:
        return existing
    payout = Payout.objects.create(
        entitlement=entitlement, enterprise=entitlement.enterprise, fund_id=entitlement.policy.fund_id,
        amount=entitlement.amount,
    )
    payout = case_start(payout, Payout.open, flow_start=PayoutFlow.start, by=by, comment=entitlement.explanation_zh)
    _due_notify(payout)
    return payout


@transaction.atomic
def payouts_open_due() -> list[Payout]:
    """Open the payout of every due entitlement that has none (a sweep after a missed on-commit call)."""
    due = Entitlement.objects.filter(status="computed", amount__gt=0, policy__isnull=False, payout__isnull=True)
    return [p for p in (payout_open(entitlement=e) for e in due) if p is not None]


def payout_request(*, entitlement: Entitlement) -> None:
    """After the entitlement's transaction commits, open its payout (entitlements call this)."""
    if entitlement.amount > 0 and entitlement.policy_id is not None:
        transaction.on_commit(lambda: payout_open(entitlement=entitlement))


def _due_notify(payout: Payout) -> None:
    notify(
        recipients=enterprise_users(enterprise=payout.enterprise),
        kind="payout.due",
        subject=lambda: _("Reward due: %(amount)s; please confirm your receiving account")
        % {"amount": money_text(payout.amount)},
        body=lambda: _("%(explanation)s Nothing to apply for: confirm the account that should receive it.")
        % {"explanation": in_language(payout.entitlement, "explanation")},
        link=reverse("payouts:detail", args=[payout.pk]),
        enterprise=payout.enterprise,
    )


# --- the enterprise confirms ---------------------------------------------------------------


def _account(enterprise, bank: str, account_name: str, account_number: str) -> dict:
    bank, account_name = (bank or "").strip(), (account_name or "").strip()
    account_number = "".join((account_number or "").split())
    if not (bank and account_name and account_number):
        _refuse(_("Give the bank, the account name and the account number."), code="account_required",
                http_status=400)
    if account_name != enterprise.name:
        _refuse(
            _("The account name “%(given)s” is not the enterprise's name “%(name)s”: the reward is paid only to "
              "an account in the enterprise's own name.") % {"given": account_name, "name": enterprise.name},
            code="account_name_mismatch", http_status=400,
        )
    if not account_number.isdigit() or not 8 <= len(account_number) <= 32:
        _refuse(_("The account number must be 8 to 32 digits."), code="account_number_invalid", http_status=400)
    return {"bank": bank, "account_name": account_name, "account_number": account_number}


@decision(Payout.confirm)
@transaction.atomic
def payout_confirm(*, payout: Payout, by: User, bank: str, account_name: str, account_number: str) -> Payout:
    """The enterprise accepts the reward and names its account, in one step.

    Only the enterprise's own users (403 otherwise); the account name must be the
    enterprise's name. Confirming again with another account changes it: after the round's
    approval this sends the payout back to be approved in a new round. Confirming again
    with the same account is refused as already decided (409), so a double click or
    twenty concurrent confirmations leave one step.
    """
    if by.role != Role.ENTERPRISE or by.enterprise_id != payout.enterprise_id:
        _refuse(_("Only the enterprise's own users may confirm its account."), code="forbidden", http_status=403)
    payout = case_locked(payout)
    account = _account(payout.enterprise, bank, account_name, account_number)
    moment = timezone.now()
    if payout.state == PayoutState.AWAITING_CONFIRMATION:
        return case_decide(payout, Payout.confirm, by=by, at=moment, **account)
    if payout.state not in ACCOUNT_CHANGEABLE:
        return _changing_refused(payout)
    if all(getattr(payout, name) == value for name, value in account.items()):
        _refuse(_("This account is already confirmed."), code="already_decided")
    return payout_change_account(payout=payout, by=by, at=moment, **account)


def _changing_refused(payout: Payout):
    _refuse(
        _("The payout is “%(state)s”; the account can no longer be changed here.") % {"state": payout.get_state_display()},
        code="wrong_state",
    )


@decision(Payout.change_account)
def payout_change_account(*, payout: Payout, by: User, at, **account) -> Payout:
    """A new account (through ``payout_confirm``): the payout leaves its round to be approved again."""
    was_waiting = payout.state not in (PayoutState.CONFIRMED, PayoutState.IN_ROUND)  # past the round's approval
    payout = case_decide(payout, Payout.change_account, by=by, comment=account["account_number"], at=at, **account)
    if was_waiting:
        notice_wait_pass(payout)
    return payout


def notice_wait_pass(payout: Payout) -> None:
    """Hand the flow on from its wait on the notice (after the notice, a dismissal, a change or a rejection)."""
    if payout.process_id is None:
        return
    waiting = payout.process.task_set.filter(flow_task=PayoutFlow.notice_wait, status=STATUS.NEW).first()
    if waiting is not None:
        PayoutFlow.notice_wait.run(waiting)


# --- finance ----------------------------------------------------------------------------


def fund_budget_figures(*, fund, year: int) -> dict:
    """Allocated, committed (budget confirmed, unpaid), paid and remaining yuan of ``fund`` in ``year``."""
    budget = FundBudget.objects.filter(fund=fund, year=year).first()
    payouts = Payout.objects.filter(fund=fund, budget_year=year)
    money = MoneyField()
    committed = payouts.filter(state=PayoutState.BUDGET_CONFIRMED).aggregate(
        total=Sum(F("amount") - F("offset_amount"), output_field=money))["total"] or ZERO
    paid = payouts.filter(state__in=[PayoutState.PAID, PayoutState.RECONCILED]).aggregate(
        total=Sum("paid_amount"))["total"] or ZERO
    allocated = budget.amount if budget else ZERO
    return {"fund": fund, "year": year, "budget": budget, "allocated": allocated, "committed": committed,
            "paid": paid, "remaining": allocated - committed - paid}


@decision(Payout.confirm_budget)
@transaction.atomic
def payout_confirm_budget(*, payout: Payout, by: User, comment: str = "", today=None) -> Payout:
    """Finance commits the payout against its fund's budget for the year.

    Locks the fund's budget row for the year, so concurrent confirmations of one fund are
    counted one after another; refused, naming the fund, the remaining amount and the
    shortfall, when the payout would overrun it.
    """
    year = (today or timezone.localdate()).year
    # ``of``: the budget's default ordering joins its fund, and a bare FOR UPDATE locked the fund's row
    # too, which every other payout decision's foreign-key check must share at COMMIT: under load
    # that deadlocked against the chain head's lock (README, Benchmarks → Load).
    budget = FundBudget.objects.select_for_update(of=("self",)).filter(fund_id=payout.fund_id, year=year).first()
    if budget is None:
        _refuse(_("The fund “%(fund)s” has no budget for %(year)s.") % {"fund": payout.fund, "year": year},
                code="no_budget")
    figures = fund_budget_figures(fund=payout.fund, year=year)
    if payout.net_amount > figures["remaining"]:
        _refuse(
            _("The fund “%(fund)s” has %(remaining)s left for %(year)s; this payout of %(amount)s is "
              "%(shortfall)s short.")
            % {"fund": payout.fund, "year": year, "remaining": money_text(figures["remaining"]),
               "amount": money_text(payout.net_amount), "shortfall": money_text(payout.net_amount - figures["remaining"])},
            code="budget_overrun",
        )
    return case_decide(payout, Payout.confirm_budget, by=by, comment=comment, year=year)


@decision(Payout.pay)
@transaction.atomic
def payout_pay(*, payout: Payout, by: User, bank_reference: str, value_date) -> Payout:
    """Finance records the payment; the 资金拨付通知 is issued and the enterprise told."""
    bank_reference = (bank_reference or "").strip()
    if not bank_reference or value_date is None:
        _refuse(_("Give the bank reference and the value date of the payment."), code="payment_required",
                http_status=400)
    if Payout.objects.filter(bank_reference=bank_reference).exclude(pk=payout.pk).exists():
        _refuse(_("The bank reference %(reference)s belongs to another payment.") % {"reference": bank_reference},
                code="reference_used")
    payout = case_decide(payout, Payout.pay, by=by, comment=bank_reference, bank_reference=bank_reference,
                         value_date=value_date)
    payout.payment_notice = _payment_notice(payout, by)
    Payout.objects.filter(pk=payout.pk).update(payment_notice=payout.payment_notice)
    _paid_notify(payout)
    return payout


@in_chinese
def _payment_notice(payout: Payout, by: User):
    enterprise = payout.enterprise
    context = {
        "title": _("Notice of the payment of the reward to %(enterprise)s") % {"enterprise": enterprise.name},
        "addressee": enterprise.name,
        "body": [
            _("Under the reward decision of round “%(round)s” and after its public notice, the reward below has been "
              "paid from the fund “%(fund)s”.") % {"round": payout.round or "—", "fund": payout.fund},
            {"type": "table",
             "columns": [_("Enterprise"), _("Reward amount"), _("Offset amount"), _("Paid amount"), _("Bank"),
                         _("Account"), _("Bank reference"), _("Value date")],
             "rows": [[enterprise.name, money_text(payout.amount), money_text(payout.offset_amount),
                       money_text(payout.paid_amount), payout.bank, payout.account_number, payout.bank_reference,
                       date_format(payout.value_date)]]},
        ],
        "copy_to": [_("City Finance Bureau")],
    }
    return document_issue(kind=DocumentKind.PAYMENT_NOTICE, by=by, enterprise=enterprise, subject=payout,
                          context=context)


def _paid_notify(payout: Payout) -> None:
    notify(
        recipients=enterprise_users(enterprise=payout.enterprise),
        kind="payout.paid",
        subject=lambda: _("Reward paid: %(amount)s") % {"amount": money_text(payout.paid_amount)},
        body=lambda: _("%(amount)s were paid to account %(account)s on %(day)s (bank reference %(reference)s); "
               "payment notice %(number)s.")
        % {"amount": money_text(payout.paid_amount), "account": payout.account_number, "day": date_format(payout.value_date),
           "reference": payout.bank_reference, "number": payout.payment_notice.number},
        link=reverse("payouts:detail", args=[payout.pk]),
        enterprise=payout.enterprise,
    )


# --- refusals ------------------------------------------------------------------------------


@decision(Payout.reject)
@transaction.atomic
def payout_reject(*, payout: Payout, by: User, reason: str) -> Payout:
    """The city upholds an objection, or finance refuses the payout; the reason is the enterprise's to read."""
    reason = require_reason(reason)
    held = case_locked(payout).state == PayoutState.HELD
    payout = case_decide(payout, Payout.reject, by=by, comment=reason, reason=reason)
    if held:
        objection_close(payout=payout, by=by, resolution=reason, upheld=True)
        notice_wait_pass(payout)
    return payout


@decision(Payout.cancel)
@transaction.atomic
def payout_cancel(*, payout: Payout, by: User | None, reason: str) -> Payout:
    """The city cancels an unpaid payout (``by=None``: a revocation); its open tasks are cancelled."""
    reason = require_reason(reason)
    if by is not None:
        require_city(by)
    payout = case_locked(payout)
    return case_cancel(payout, Payout.cancel, by=by, comment=reason, reason=reason)


def objection_close(*, payout: Payout, by: User, resolution: str, upheld: bool) -> Objection | None:
    objection = Objection.objects.select_for_update().filter(payout=payout, resolved_at__isnull=True).first()
    if objection is not None:
        objection.upheld, objection.resolution, objection.resolved_by = upheld, resolution, by
        objection.resolved_at = timezone.now()
        objection.save()
    return objection

