"""Awards received before the system, or from other levels of government (imported)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.fields import MoneyField
from enterprises.models import Tier


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")


class PastAward(models.Model):
    """Money an enterprise already received for a tier; entitlements deduct it (DESIGN §5 rule 1)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="past_awards"
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    amount = MoneyField(_("amount (yuan)"))
    level = models.CharField(_("level"), max_length=16, choices=AwardLevel.choices)
    awarded_on = models.DateField(_("awarded on"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "awarded_on"]
        verbose_name = _("past award")
        verbose_name_plural = _("past awards")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier", "level", "awarded_on", "amount"], name="past_award_imported_once"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_tier_display()} · {self.amount}"
