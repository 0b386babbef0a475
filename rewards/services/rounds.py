"""Reward rounds (兑现批次): group confirmed payouts, approve them (奖励决定), the public notice (公示).

Round-level decisions are one step on the round plus one step on each of its payouts
(each through the case kernel), in one transaction. An objection during the notice holds
only the payout it names, until the city dismisses it (``payout_release``) or upholds it
(``payout_reject``).
"""

import datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.cases import case_decide, case_locked, case_step_record
from approvals.services import queue_task_open
from approvals.workdays import is_workday, working_days_after
from documents.models import DocumentKind
from documents.services import document_issue
from enterprises.fields import money_text
from enterprises.models import User

from ..cases import OBJECTION_REVIEW, PAYOUT
from ..models import Fund, Objection, Payout, PayoutState, RewardPolicy, RewardRound, RewardRoundState
from .payouts import _refuse, in_chinese, notice_wait_pass, objection_close, require_city, require_reason


class NoticeDates(NamedTuple):
    starts_on: datetime.date
    ends_on: datetime.date
    provisional: bool  # a day counted lies in a year the calendar does not cover yet (weekends only)


def notice_dates(*, opens_on: datetime.date, working_days: int) -> NoticeDates:
    """First and last day of a notice of ``working_days`` working days opened on ``opens_on``.

    It starts that day if it is a working day, else on the next one; holidays and the
    adjusted weekends of the calendar count as they are. A notice that runs into a year the
    calendar does not cover is counted on weekends only and flagged provisional.
    """
    starts_on, starts_provisional = (opens_on, False) if is_workday(opens_on) else working_days_after(opens_on, 1)
    ends_on, ends_provisional = working_days_after(starts_on, working_days - 1)
    return NoticeDates(starts_on, ends_on, starts_provisional or ends_provisional)


def notice_over(round: RewardRound, today: datetime.date) -> bool:
    return round.state == RewardRoundState.CLOSED or (round.notice_ends_on is not None and today > round.notice_ends_on)


@transaction.atomic
def reward_round_create(*, fund: Fund, by: User, year: int | None = None, name: str = "",
                        payouts: list[Payout] | None = None) -> RewardRound:
    """The city groups confirmed payouts of ``fund`` (all of them unless ``payouts`` names some) into a round."""
    require_city(by)
    year = year or timezone.localdate().year
    chosen = Payout.objects.select_for_update(of=("self",)).filter(fund=fund, state=PayoutState.CONFIRMED)
    if payouts is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in payouts])
    chosen = list(chosen.select_related("enterprise__jurisdiction").order_by("pk"))
    if not chosen:
        _refuse(_("No confirmed payout of the fund “%(fund)s” waits for a round.") % {"fund": fund}, code="empty_round")
    policy = RewardPolicy.objects.filter(entitlements__payout=chosen[0]).first()
    number = RewardRound.objects.filter(fund=fund, year=year).count() + 1
    round = RewardRound.objects.create(
        fund=fund, year=year, created_by=by, name=name.strip() or _("%(fund)s %(year)s round %(number)s")
        % {"fund": fund, "year": year, "number": number},
        notice_working_days=policy.notice_working_days if policy else 5,
    )
    for payout in chosen:
        case_decide(payout, Payout.add_to_round, by=by, round=round)
    case_step_record(case=round, action="reward_round.create", by=by, payouts=len(chosen))
    return round


def _round_locked(round: RewardRound) -> RewardRound:
    return case_locked(round)


@transaction.atomic
def reward_round_approve(*, round: RewardRound, by: User, comment: str = "") -> RewardRound:
    """The city approves the round: one 奖励决定 lists every enterprise and amount; each payout is approved."""
    require_city(by)
    round = _round_locked(round)
    payouts = list(round.payouts.filter(state=PayoutState.IN_ROUND).select_related("enterprise__jurisdiction")
                   .order_by("pk"))
    if round.state == RewardRoundState.DRAFT and not payouts:
        _refuse(_("This round has no payout to approve."), code="empty_round")
    document = _decision_document(round, payouts, by) if round.state == RewardRoundState.DRAFT else None
    round = case_decide(round, RewardRound.approve, by=by, comment=comment, document=document)
    for payout in payouts:
        case_decide(payout, Payout.approve, by=by, comment=document.number)
    return round


@in_chinese
def _decision_document(round: RewardRound, payouts: list[Payout], by: User):
    total = sum((p.amount for p in payouts), start=payouts[0].amount * 0)
    rows = [[i, p.enterprise.name, p.enterprise.credit_code, p.enterprise.jurisdiction.name, money_text(p.amount)]
            for i, p in enumerate(payouts, start=1)]
    return document_issue(
        kind=DocumentKind.REWARD_DECISION, by=by, enterprise=None, subject=round,
        context={
            "title": _("Decision on the rewards of %(round)s") % {"round": round.name},
            "body": [
                _("Under the reward policy in force, the %(count)s enterprise(s) below are awarded %(total)s "
                  "in total from the fund “%(fund)s”, to be paid after a public notice of %(days)s working days.")
                % {"count": len(payouts), "total": money_text(total), "fund": round.fund, "days": round.notice_working_days},
                {"type": "table", "columns": [_("No."), _("Enterprise"), _("Unified social credit code"),
                                              _("Jurisdiction"), _("Reward amount")], "rows": rows},
            ],
            "copy_to": [_("City Finance Bureau")],
        },
    )


@transaction.atomic
def reward_round_open_notice(*, round: RewardRound, by: User, today: datetime.date | None = None) -> RewardRound:
    """The city opens the round's public notice (one 公示) for the policy's number of working days."""
    require_city(by)
    round = _round_locked(round)
    today = today or timezone.localdate()
    starts_on, ends_on, provisional = notice_dates(opens_on=today, working_days=round.notice_working_days)
    payouts = list(round.payouts.filter(state=PayoutState.APPROVED).select_related("enterprise").order_by("pk"))
    document = _notice_document(round, payouts, starts_on, ends_on, by) if round.state == RewardRoundState.APPROVED else None
    round = case_decide(round, RewardRound.open_notice, by=by, document=document, starts_on=starts_on,
                        ends_on=ends_on, provisional=provisional, comment=f"{starts_on.isoformat()} – {ends_on.isoformat()}")
    for payout in payouts:
        case_decide(payout, Payout.open_notice, by=by, comment=document.number)
    return round


@in_chinese
def _notice_document(round: RewardRound, payouts: list[Payout], starts_on, ends_on, by: User):
    rows = [[i, p.enterprise.name, money_text(p.amount)] for i, p in enumerate(payouts, start=1)]
    return document_issue(
        kind=DocumentKind.PUBLIC_NOTICE, by=by, enterprise=None, subject=round,
        context={
            "title": _("Public notice of the rewards of %(round)s") % {"round": round.name},
            "body": [
                _("The rewards below are published for %(days)s working days, from %(start)s to %(end)s. Anyone "
                  "who objects may say so to the city bureau within that time.")
                % {"days": round.notice_working_days, "start": date_format(starts_on), "end": date_format(ends_on)},
                {"type": "table", "columns": [_("No."), _("Enterprise"), _("Reward amount")], "rows": rows},
            ],
        },
    )


@transaction.atomic
def reward_round_close_notice(*, round: RewardRound, by: User | None, today: datetime.date | None = None) -> RewardRound:
    """After the notice's last working day, the payouts not held go on to finance (``by=None``: the daily sweep)."""
    if by is not None:
        require_city(by)
    round = _round_locked(round)
    today = today or timezone.localdate()
    if round.state == RewardRoundState.NOTICE and not notice_over(round, today):
        _refuse(_("The public notice runs until %(day)s.") % {"day": date_format(round.notice_ends_on)},
                code="notice_running")
    payouts = list(round.payouts.filter(state=PayoutState.IN_NOTICE).order_by("pk"))
    round = case_decide(round, RewardRound.close, by=by)
    for payout in payouts:
        notice_wait_pass(case_decide(payout, Payout.end_notice, by=by))
    return round


@transaction.atomic
def reward_rounds_close_due(*, today: datetime.date | None = None) -> list[RewardRound]:
    """Close every notice whose last working day has passed (beat / run_due_timers)."""
    today = today or timezone.localdate()
    due = RewardRound.objects.filter(state=RewardRoundState.NOTICE, notice_ends_on__lt=today)
    return [reward_round_close_notice(round=r, by=None, today=today) for r in due]


# --- objections ---------------------------------------------------------------------------


@PAYOUT.serves(Payout.hold)
@transaction.atomic
def payout_object(*, payout: Payout, by: User, text: str, today: datetime.date | None = None) -> Objection:
    """Anyone with a role records an objection during the notice; it holds only this payout.

    The city's task to resolve it opens in its queue.
    """
    if not by.is_authenticated or not by.role:
        _refuse(_("Sign in to raise an objection."), code="forbidden", http_status=403)
    text = (text or "").strip()
    if not text:
        _refuse(_("Please write the objection."), code="text_required", http_status=400)
    payout = case_locked(payout)
    if payout.state == PayoutState.HELD:
        _refuse(_("This payout is already held by an objection the city bureau is reviewing."), code="already_held")
    if payout.round is None or payout.state != PayoutState.IN_NOTICE or notice_over(payout.round, today or timezone.localdate()):
        _refuse(_("Objections are taken while the payout's public notice runs."), code="not_in_notice")
    payout = case_decide(payout, Payout.hold, by=by, comment=text, reason=text)
    objection = Objection.objects.create(payout=payout, raised_by=by, text=text)
    queue_task_open(kind=OBJECTION_REVIEW.kind, role=OBJECTION_REVIEW.role, enterprise=payout.enterprise, case=payout,
                    title=f"{OBJECTION_REVIEW.label} · {payout.enterprise.name}", sla_working_days=OBJECTION_REVIEW.sla)
    return objection


@PAYOUT.serves(Payout.release)
@transaction.atomic
def payout_release(*, payout: Payout, by: User, reason: str, today: datetime.date | None = None) -> Payout:
    """The city dismisses the objection with a reason: the payout goes back to the notice, or on past it."""
    reason = require_reason(reason)
    payout = case_locked(payout)
    over = payout.round is not None and notice_over(payout.round, today or timezone.localdate())
    payout = case_decide(payout, Payout.release, by=by, comment=reason, reason=reason, notice_over=over)
    objection_close(payout=payout, by=by, resolution=reason, upheld=False)
    if payout.state == PayoutState.NOTICE_DONE:
        notice_wait_pass(payout)
    return payout
