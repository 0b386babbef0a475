"""Entitlements (免申即享): what a recognition earns under one policy, computed, never applied for.

One row per (enterprise, ladder step, policy), enforced by the database. A ladder step is
a tier's first-time title (per product for per-product champion policies) or one renewal
of it; a title that cannot claim a step (regained, a second champion product) gets its
own zero row so that its reason stays visible. ``policy`` is empty when no policy applied.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enterprises.fields import MoneyField
from enterprises.models import Tier, TitleBasis


class EntitlementStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    CANCELLED = "cancelled", _("Cancelled")


class Entitlement(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="entitlements"
    )
    title = models.ForeignKey(
        "enterprises.Title", verbose_name=_("title"), on_delete=models.PROTECT, related_name="entitlements"
    )
    policy = models.ForeignKey(
        "rewards.RewardPolicy", verbose_name=_("policy"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="entitlements",
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    basis = models.CharField(_("basis"), max_length=16, choices=TitleBasis.choices)
    step = models.CharField(_("ladder step"), max_length=200)
    amount = MoneyField(_("amount (yuan)"))
    explanation_zh = models.TextField(_("explanation (Chinese)"))
    explanation_en = models.TextField(_("explanation (English)"))
    status = FSMField(
        _("status"), max_length=16, choices=EntitlementStatus.choices, default=EntitlementStatus.COMPUTED,
        protected=True,
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "title__recognized_on", "pk"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "step", "policy"], condition=Q(policy__isnull=False),
                name="one_entitlement_per_step_and_policy",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "step"], condition=Q(policy__isnull=True),
                name="one_unpoliced_entitlement_per_step",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="entitlement_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "policy"])]

    def __str__(self):
        return f"{self.enterprise} · {self.step} · {self.amount}"

    @property
    def is_due(self) -> bool:
        return self.status == EntitlementStatus.COMPUTED and self.amount > 0

    @transition(field=status, source=EntitlementStatus.COMPUTED, target=EntitlementStatus.CANCELLED)
    def cancel(self, reason: str):
        self.cancel_reason = reason
