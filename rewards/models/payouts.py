"""Payouts (奖励兑现): one per due entitlement, from the enterprise's confirmation to the bank statement.

The legal state of each case lives here, as protected FSM fields; every change goes
through a service in ``rewards.services`` that also writes one approval step. Money is
exact yuan (``MoneyField``, integer fen in the database).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from enterprises.fields import MoneyField


class PayoutState(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting the enterprise's confirmation")
    CONFIRMED = "confirmed", _("Account confirmed")
    IN_ROUND = "in_round", _("In a reward round")
    APPROVED = "approved", _("Approved (reward decision)")
    IN_NOTICE = "in_notice", _("In public notice")
    HELD = "held", _("Held by an objection")
    NOTICE_DONE = "notice_done", _("Public notice passed")
    BUDGET_CONFIRMED = "budget_confirmed", _("Budget confirmed")
    PAID = "paid", _("Paid")
    RECONCILED = "reconciled", _("Reconciled with the bank statement")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


S = PayoutState
# Before finance confirmed the budget, the enterprise may still change its account.
ACCOUNT_CHANGEABLE = [S.CONFIRMED, S.IN_ROUND, S.APPROVED, S.IN_NOTICE, S.NOTICE_DONE]
UNPAID = [
    S.AWAITING_CONFIRMATION, S.CONFIRMED, S.IN_ROUND, S.APPROVED, S.IN_NOTICE, S.HELD, S.NOTICE_DONE,
    S.BUDGET_CONFIRMED,
]
PAID_STATES = [S.PAID, S.RECONCILED]


class Payout(ConcurrentTransitionMixin, models.Model):
    """The money of one entitlement (OneToOne: paid at most once, by constraint)."""

    entitlement = models.OneToOneField(
        "rewards.Entitlement", verbose_name=_("entitlement"), on_delete=models.PROTECT, related_name="payout"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="payouts"
    )
    fund = models.ForeignKey("rewards.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="payouts")
    amount = MoneyField(_("amount (yuan)"))
    offset_amount = MoneyField(
        _("offset against a clawback (yuan)"), default=Decimal("0.00"), help_text=_("Deducted from this payment to settle a clawback.")
    )
    state = FSMField(_("state"), max_length=24, choices=PayoutState.choices, default=S.AWAITING_CONFIRMATION, protected=True)
    round = models.ForeignKey(
        "rewards.RewardRound", verbose_name=_("reward round"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="payouts",
    )
    bank = models.CharField(_("bank"), max_length=128, blank=True)
    account_name = models.CharField(_("account name"), max_length=255, blank=True)
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    budget_year = models.PositiveSmallIntegerField(_("budget year"), null=True, blank=True)
    paid_amount = MoneyField(_("paid (yuan)"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    value_date = models.DateField(_("value date"), null=True, blank=True)
    hold_reason = models.TextField(_("reason held"), blank=True)
    last_reason = models.TextField(_("latest reason"), blank=True)
    payment_notice = models.ForeignKey(
        "documents.Document", verbose_name=_("payment notice"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    process = models.OneToOneField(
        "viewflow.Process", on_delete=models.SET_NULL, null=True, blank=True, related_name="payout"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(condition=Q(offset_amount__gte=0) & Q(offset_amount__lte=models.F("amount")),
                                   name="payout_offset_within_amount"),
            models.UniqueConstraint(fields=["bank_reference"], condition=~Q(bank_reference=""),
                                    name="one_payout_per_bank_reference"),
        ]
        indexes = [models.Index(fields=["state", "fund"]), models.Index(fields=["budget_year", "fund"])]

    def __str__(self):
        return _("Payout of %(enterprise)s · %(amount)s yuan") % {"enterprise": self.enterprise, "amount": self.amount}

    @property
    def net_amount(self):
        return self.amount - self.offset_amount

    # Transitions: declared once, here. Services call them; nothing else sets ``state``.
    @transition(field=state, source=S.AWAITING_CONFIRMATION, target=S.AWAITING_CONFIRMATION)
    def open(self):
        """The payout's case opens (its first step) already waiting for the enterprise."""

    @transition(field=state, source=S.AWAITING_CONFIRMATION, target=S.CONFIRMED)
    def confirm(self, *, bank: str, account_name: str, account_number: str, at):
        self.bank, self.account_name, self.account_number, self.confirmed_at = bank, account_name, account_number, at

    @transition(field=state, source=ACCOUNT_CHANGEABLE, target=S.CONFIRMED)
    def change_account(self, *, bank: str, account_name: str, account_number: str, at):
        """A new account leaves the round: the city approves the payout again, in a new round."""
        self.bank, self.account_name, self.account_number, self.confirmed_at = bank, account_name, account_number, at
        self.round = None

    @transition(field=state, source=S.CONFIRMED, target=S.IN_ROUND)
    def add_to_round(self, *, round):
        self.round = round

    @transition(field=state, source=S.IN_ROUND, target=S.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=S.APPROVED, target=S.IN_NOTICE)
    def open_notice(self):
        pass

    @transition(field=state, source=S.IN_NOTICE, target=S.HELD)
    def hold(self, *, reason: str):
        self.hold_reason = reason

    @transition(field=state, source=S.HELD, target=RETURN_VALUE(S.IN_NOTICE, S.NOTICE_DONE))
    def release(self, *, reason: str, notice_over: bool):
        """The objection was dismissed: back to the notice, or past it when it has ended."""
        self.hold_reason, self.last_reason = "", reason
        return S.NOTICE_DONE if notice_over else S.IN_NOTICE

    @transition(field=state, source=S.IN_NOTICE, target=S.NOTICE_DONE)
    def end_notice(self):
        pass

    @transition(field=state, source=S.NOTICE_DONE, target=S.BUDGET_CONFIRMED)
    def confirm_budget(self, *, year: int):
        self.budget_year = year

    @transition(field=state, source=S.BUDGET_CONFIRMED, target=S.PAID)
    def pay(self, *, bank_reference: str, value_date):
        self.bank_reference, self.value_date, self.paid_amount = bank_reference, value_date, self.net_amount

    @transition(field=state, source=S.PAID, target=S.RECONCILED)
    def reconcile(self):
        pass

    @transition(field=state, source=[S.HELD, S.NOTICE_DONE, S.BUDGET_CONFIRMED], target=S.REJECTED)
    def reject(self, *, reason: str):
        self.last_reason = reason

    @transition(field=state, source=UNPAID, target=S.CANCELLED)
    def cancel(self, *, reason: str):
        self.last_reason = reason


class RewardRoundState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved (reward decision issued)")
    NOTICE = "notice", _("In public notice")
    CLOSED = "closed", _("Notice closed")


R = RewardRoundState


class RewardRound(ConcurrentTransitionMixin, models.Model):
    """A reward round (兑现批次): confirmed payouts of one fund, approved together and noticed together."""

    fund = models.ForeignKey("rewards.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=128)
    state = FSMField(_("state"), max_length=16, choices=RewardRoundState.choices, default=R.DRAFT, protected=True)
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    decision_document = models.ForeignKey(
        "documents.Document", verbose_name=_("reward decision"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    notice_document = models.ForeignKey(
        "documents.Document", verbose_name=_("public notice"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    notice_starts_on = models.DateField(_("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    notice_provisional = models.BooleanField(
        _("notice end provisional"), default=False,
        help_text=_("The notice runs into a year the working-day calendar does not cover yet: weekends only were assumed."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reward round")
        verbose_name_plural = _("reward rounds")

    def __str__(self):
        return self.name

    @property
    def enterprise(self):
        """A round belongs to no one enterprise (steps and documents read this)."""
        return None

    @transition(field=state, source=R.DRAFT, target=R.APPROVED)
    def approve(self, *, document):
        self.decision_document = document

    @transition(field=state, source=R.APPROVED, target=R.NOTICE)
    def open_notice(self, *, document, starts_on, ends_on, provisional=False):
        self.notice_document, self.notice_starts_on, self.notice_ends_on = document, starts_on, ends_on
        self.notice_provisional = provisional

    @transition(field=state, source=R.NOTICE, target=R.CLOSED)
    def close(self):
        pass


class Objection(models.Model):
    """An objection raised during the public notice against one payout (it holds only that payout)."""

    payout = models.ForeignKey(Payout, verbose_name=_("payout"), on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(fields=["payout"], condition=Q(resolved_at__isnull=True),
                                    name="one_open_objection_per_payout"),
        ]

    def __str__(self):
        return self.text[:60]


class StatementImport(models.Model):
    """One bank statement file imported for reconciliation."""

    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")

    def __str__(self):
        return self.file_name


class LineResult(models.TextChoices):
    MATCHED = "matched", _("Matched")
    ALREADY_RECONCILED = "already_reconciled", _("Already reconciled")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs from the payment")
    UNKNOWN_REFERENCE = "unknown_reference", _("No payment with this reference")


class BankStatementLine(models.Model):
    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField(_("line"))
    reference = models.CharField(_("bank reference"), max_length=64)
    amount = MoneyField(_("amount (yuan)"))
    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="statement_lines")
    result = models.CharField(_("result"), max_length=24, choices=LineResult.choices)

    class Meta:
        ordering = ["statement", "line_number"]
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")

    def __str__(self):
        return f"{self.reference} {self.amount}"

    @property
    def is_mismatch(self) -> bool:
        return self.result in (LineResult.AMOUNT_MISMATCH, LineResult.UNKNOWN_REFERENCE)


class ClawbackState(models.TextChoices):
    OPEN = "open", _("Open")
    REFUNDED = "refunded", _("Refunded")
    OFFSET = "offset", _("Offset against a later payout")


class Clawback(ConcurrentTransitionMixin, models.Model):
    """Money to recover from a paid payout whose title was revoked."""

    payout = models.OneToOneField(Payout, verbose_name=_("payout"), on_delete=models.PROTECT, related_name="clawback")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="clawbacks")
    amount_due = MoneyField(_("amount due (yuan)"))
    due_on = models.DateField(_("due on"))
    reason = models.TextField(_("reason"))
    state = FSMField(_("state"), max_length=16, choices=ClawbackState.choices, default=ClawbackState.OPEN, protected=True)
    refund_reference = models.CharField(_("refund reference"), max_length=64, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    offset_payout = models.ForeignKey(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")

    def __str__(self):
        return _("Clawback of %(amount)s yuan") % {"amount": self.amount_due}

    @transition(field=state, source=ClawbackState.OPEN, target=ClawbackState.REFUNDED)
    def refund(self, *, reference: str, day):
        self.refund_reference, self.settled_on = reference, day

    @transition(field=state, source=ClawbackState.OPEN, target=ClawbackState.OFFSET)
    def offset(self, *, payout, day):
        self.offset_payout, self.settled_on = payout, day


class Revocation(models.Model):
    """A title revoked (data fraud, a report upheld): its rewards are cancelled or clawed back,
    and the enterprise may not be recognized again under the policy until ``banned_until``."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="revocations")
    title = models.OneToOneField("enterprises.Title", on_delete=models.PROTECT, related_name="revocation")
    revoked_on = models.DateField(_("revoked on"))
    banned_until = models.DateField(_("no recognition until"))
    reason = models.TextField(_("reason"))
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-revoked_on", "-pk"]
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")

    def __str__(self):
        return f"{self.enterprise} · {self.revoked_on}"
