"""Reward policies as data (DESIGN §5): each version says who it covers, when, and how much.

Amounts are maps tier → yuan string (``{"little_giant": "300000.00"}``); a tier absent
from a map pays nothing for that basis. A policy that produced entitlements is never
edited in place: a correction is a new version that ``supersedes`` it.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.fields import MoneyField

from .awards import AwardLevel


class ChampionBasis(models.TextChoices):
    ENTERPRISE = "enterprise", _("Per enterprise (one champion reward)")
    PRODUCT = "product", _("Per product")


class Fund(models.Model):
    """A source of reward money (市级专精特新奖励资金, a county-level city's own fund…)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self):
        return self.name


class FundBudget(models.Model):
    """What a fund may pay out in one year."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        ordering = ["fund", "year"]
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="one_budget_per_fund_and_year")]

    def __str__(self):
        return f"{self.fund} {self.year}"


class RewardPolicy(models.Model):
    """One version of a reward policy. Written only through ``rewards.services.policies``."""

    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("For example ZJ-2023."))
    name = models.CharField(_("name"), max_length=255)
    jurisdictions = models.ManyToManyField(
        "enterprises.Jurisdiction", verbose_name=_("jurisdictions"), related_name="reward_policies"
    )
    level = models.CharField(
        _("level"), max_length=16, choices=AwardLevel.choices, default=AwardLevel.CITY,
        help_text=_("The level of government that pays; awards of other levels count only under the cap."),
    )
    recognized_from = models.DateField(_("recognitions from"))
    recognized_to = models.DateField(_("recognitions until"), null=True, blank=True)
    first_time = models.JSONField(_("first-time amounts"), default=dict, blank=True, help_text=_("tier → yuan"))
    renewal = models.JSONField(_("renewal amounts"), default=dict, blank=True, help_text=_("tier → yuan"))
    top_up = models.BooleanField(
        _("top up"), default=True, help_text=_("A higher tier pays the difference to what the ladder already received.")
    )
    champion_basis = models.CharField(
        _("champion basis"), max_length=16, choices=ChampionBasis.choices, default=ChampionBasis.ENTERPRISE
    )
    cap_counts_other_levels = models.BooleanField(
        _("cap counts other levels"), default=False,
        help_text=_("Money from other levels (nation, province, district) for the ladder is deducted too."),
    )
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    revocation_ban_years = models.PositiveSmallIntegerField(_("ban after revocation (years)"), default=3)
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="policies")
    supersedes = models.OneToOneField(
        "self", verbose_name=_("supersedes"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="superseded_by",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["fund", "recognized_from", "code"]
        verbose_name = _("reward policy")
        verbose_name_plural = _("reward policies")

    def __str__(self):
        return f"{self.code} {self.name}"

    def covers_day(self, day: datetime.date) -> bool:
        return self.recognized_from <= day and (self.recognized_to is None or day <= self.recognized_to)

    def first_time_amount(self, tier: str) -> Decimal | None:
        return _amount(self.first_time, tier)

    def renewal_amount(self, tier: str) -> Decimal | None:
        return _amount(self.renewal, tier)

    @property
    def highest_first_time_amount(self) -> Decimal:
        return max((Decimal(v) for v in self.first_time.values()), default=Decimal("0.00"))


def _amount(amounts: dict, tier: str) -> Decimal | None:
    value = (amounts or {}).get(tier)
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.01"))
