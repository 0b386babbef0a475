"""Revocation of a title (data fraud found on review, a report upheld) and clawback.

Revoking cancels the title's unpaid entitlements and payouts and opens a clawback on the
paid ones; one 奖励决定 (a revocation decision) records it. The enterprise may not be
recognized again under the policy for its ban period: recognition asks
``enterprise_recognition_banned``.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.cases import case_locked, case_step_record
from approvals.workdays import working_days_after
from documents.models import DocumentKind
from documents.services import document_issue
from enterprises.fields import money_text
from enterprises.models import Enterprise, Title, User
from steplog.services import step_record

from ..models import Clawback, ClawbackState, EntitlementStatus, Payout, PayoutState, Revocation
from ..models.payouts import PAID_STATES, UNPAID
from .payouts import _refuse, in_chinese, payout_cancel, require_city, require_finance, require_reason

CLAWBACK_WORKING_DAYS = 20
DEFAULT_BAN_YEARS = 3


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def title_revoke(*, title: Title, by: User, reason: str, day: datetime.date | None = None) -> Revocation:
    """Revoke ``title``'s rewards: cancel what is unpaid, claw back what was paid, ban re-recognition.

    Locks the enterprise; refused when the title was already revoked. One step for the
    revocation, one per entitlement, payout and clawback touched; one document.
    """
    require_city(by)
    reason = require_reason(reason)
    day = day or timezone.localdate()
    Enterprise.objects.select_for_update().filter(pk=title.enterprise_id).exists()
    if Revocation.objects.filter(title=title).exists():
        _refuse(_("This title was already revoked."), code="already_revoked")
    entitlements = list(title.entitlements.select_related("policy").filter(status=EntitlementStatus.COMPUTED))
    years = max((e.policy.revocation_ban_years for e in entitlements if e.policy), default=DEFAULT_BAN_YEARS)
    revocation = Revocation.objects.create(enterprise_id=title.enterprise_id, title=title, revoked_on=day,
                                           banned_until=_years_after(day, years), reason=reason, revoked_by=by)
    cancelled, clawbacks = [], []
    for entitlement in entitlements:
        payout = Payout.objects.filter(entitlement=entitlement).first()
        if payout is not None and payout.state in PAID_STATES:
            clawbacks.append(_clawback_open(payout, reason, day, by))
            continue
        if payout is not None and payout.state in UNPAID:
            payout_cancel(payout=payout, by=None, reason=reason)
        cancelled.append(_entitlement_cancel(entitlement, reason, by))
    revocation.document = _revocation_document(revocation, cancelled, clawbacks, by)
    revocation.save(update_fields=["document"])
    step_record(action="reward_revocation.record", actor=by, obj=revocation, enterprise=title.enterprise,
                comment=reason, data={"title": title.pk, "banned_until": revocation.banned_until.isoformat(),
                                      "cancelled": [e.pk for e in cancelled], "clawbacks": [c.pk for c in clawbacks],
                                      "document": revocation.document.number})
    return revocation


def _entitlement_cancel(entitlement, reason: str, by):
    before = entitlement.status
    entitlement.cancel(reason=reason)
    entitlement.save()
    step_record(action="entitlement.cancel", actor=by, obj=entitlement, state_before=before,
                state_after=entitlement.status, comment=reason)
    return entitlement


def _clawback_open(payout: Payout, reason: str, day, by) -> Clawback:
    clawback = Clawback.objects.create(payout=payout, enterprise_id=payout.enterprise_id,
                                       amount_due=payout.paid_amount, due_on=working_days_after(day, CLAWBACK_WORKING_DAYS)[0],
                                       reason=reason)
    case_step_record(case=clawback, action="clawback.open", by=by, comment=reason, amount_due=str(clawback.amount_due),
                     due_on=clawback.due_on.isoformat(), payout=payout.pk)
    return clawback


@in_chinese
def _revocation_document(revocation: Revocation, cancelled, clawbacks, by):
    enterprise = revocation.enterprise
    body = [
        _("The title “%(title)s” of %(enterprise)s is revoked: %(reason)s. The enterprise may not be recognized "
          "again under the reward policy until %(until)s.")
        % {"title": revocation.title.get_tier_display(), "enterprise": enterprise.name, "reason": revocation.reason,
           "until": date_format(revocation.banned_until)},
    ]
    if cancelled:
        body.append(_("Unpaid rewards cancelled: %(amount)s.") % {"amount": money_text(sum((e.amount for e in cancelled), Decimal("0.00")))})
    for clawback in clawbacks:
        body.append(_("Paid reward to be refunded: %(amount)s by %(day)s.")
                    % {"amount": money_text(clawback.amount_due), "day": date_format(clawback.due_on)})
    return document_issue(
        kind=DocumentKind.REWARD_DECISION, by=by, enterprise=enterprise, subject=revocation,
        context={"title": _("Decision revoking the reward of %(enterprise)s") % {"enterprise": enterprise.name},
                 "addressee": enterprise.name, "body": body, "copy_to": [_("City Finance Bureau")]},
    )


def _clawback_locked(clawback: Clawback) -> Clawback:
    clawback = Clawback.objects.select_for_update().get(pk=clawback.pk)
    if clawback.state != ClawbackState.OPEN:
        _refuse(_("This clawback is already settled."), code="already_settled")
    return clawback


@transaction.atomic
def clawback_refund(*, clawback: Clawback, by: User, reference: str, day: datetime.date | None = None) -> Clawback:
    """Finance records the enterprise's refund."""
    require_finance(by)
    reference = (reference or "").strip()
    if not reference:
        _refuse(_("Give the bank reference of the refund."), code="reference_required", http_status=400)
    clawback = _clawback_locked(clawback)
    clawback.refund(reference=reference, day=day or timezone.localdate())
    clawback.save()
    case_step_record(case=clawback, action="clawback.refund", by=by, before=ClawbackState.OPEN, comment=reference)
    return clawback


@transaction.atomic
def clawback_offset(*, clawback: Clawback, payout: Payout, by: User) -> Clawback:
    """Finance settles the clawback out of a later, unpaid payout of the same enterprise."""
    require_finance(by)
    clawback = _clawback_locked(clawback)
    payout = case_locked(payout)
    if payout.enterprise_id != clawback.enterprise_id or payout.state not in UNPAID or payout.state == PayoutState.BUDGET_CONFIRMED:
        _refuse(_("Only a later payout of the same enterprise, before finance confirms it, can offset a clawback."),
                code="offset_not_possible")
    if payout.net_amount < clawback.amount_due:
        _refuse(_("The payout (%(amount)s) is smaller than the amount due (%(due)s).")
                % {"amount": money_text(payout.net_amount), "due": money_text(clawback.amount_due)}, code="offset_too_small")
    Payout.objects.filter(pk=payout.pk).update(offset_amount=payout.offset_amount + clawback.amount_due)
    payout.offset_amount += clawback.amount_due
    clawback.offset(payout=payout, day=timezone.localdate())
    clawback.save()
    case_step_record(case=clawback, action="clawback.offset", by=by, before=ClawbackState.OPEN, payout=payout.pk)
    case_step_record(case=payout, action="payout.offset", by=by, before=payout.state, clawback=clawback.pk,
                     offset=str(clawback.amount_due))
    return clawback


def enterprise_recognition_banned(*, enterprise: Enterprise, day: datetime.date) -> str | None:
    """Why ``enterprise`` may not be recognized on ``day`` (a revocation's ban), or None."""
    revocation = Revocation.objects.filter(enterprise=enterprise, revoked_on__lte=day, banned_until__gt=day).first()
    if revocation is None:
        return None
    return _("A title of %(enterprise)s was revoked on %(day)s (%(reason)s); it may not be recognized again "
             "until %(until)s.") % {"enterprise": enterprise.name, "day": date_format(revocation.revoked_on),
                                     "reason": revocation.reason, "until": date_format(revocation.banned_until)}
