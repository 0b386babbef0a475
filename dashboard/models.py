"""The plan's targets as data (one row per plan period), and the banks' white-list tokens."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def target(verbose_name, default=None):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, default=default)


def share(verbose_name):
    return models.DecimalField(
        verbose_name, max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class PlanPeriod(models.Model):
    """One action plan's targets (DESIGN §3): the 2023–2025 plan is seeded; the next plan is a new row.

    A target left empty is not part of that plan; the dashboard shows the figure without one.
    """

    name = models.CharField(_("name"), max_length=128, unique=True)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    champions = target(_("single champions (制造业单项冠军)"))
    little_giants = target(_('"little giants" (专精特新“小巨人”)'))
    srdi = target(_("provincial SRDI SMEs (省级专精特新中小企业)"))
    innovative = target(_("innovative SMEs (创新型中小企业)"))
    pool = target(_("enterprises in the cultivation pool (入库培育)"))

    rd_intensity = share(_("R&D intensity of SRDI firms, at least % (研发投入强度)"))
    invention_patents_per_firm = models.DecimalField(
        _("invention patents per SRDI firm, at least (发明专利)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    cnc_rate = share(_("key-process CNC rate, above % (关键工序数控化率)"))
    digital_management_rate = share(_("digital management, above % (经营管理数字化普及率)"))
    digital_rd_tools_rate = share(_("digital R&D tools, at least % (数字化研发设计工具普及率)"))
    smart_workshops = target(_("smart workshops (智能车间/工厂)"))
    green_factories = target(_("green factories (绿色工厂)"))
    listed_firms = target(_("listed SRDI firms (上市)"))
    equity_board_firms = target(_("Jiangsu equity exchange SRDI board (专精特新板挂牌)"))
    jiangsu_premium = target(_("Jiangsu Premium brand (江苏精品)"))
    design_centres = target(_("provincial industrial design centres (省级工业设计中心)"))

    class Meta:
        ordering = ["-from_year"]
        verbose_name = _("plan period")
        verbose_name_plural = _("plan periods")
        constraints = [
            models.CheckConstraint(condition=Q(from_year__lte=models.F("to_year")), name="plan_period_years_in_order")
        ]

    def __str__(self):
        return f"{self.name} ({self.from_year}–{self.to_year})"

    def clean(self):
        super().clean()
        if self.from_year and self.to_year and self.from_year > self.to_year:
            raise ValidationError({"to_year": _("The plan cannot end before it starts.")})
        overlapping = PlanPeriod.objects.filter(from_year__lte=self.to_year, to_year__gte=self.from_year)
        if self.from_year and self.to_year and overlapping.exclude(pk=self.pk).exists():
            raise ValidationError({"from_year": _("Another plan period covers some of these years.")})


def white_list_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class WhiteListToken(models.Model):
    """A financial institution's key to the white list and nothing else.

    Only the SHA-256 of the key is stored; the key itself is shown once, when issued
    (``dashboard.services.white_list_token_issue``).
    """

    bank_name = models.CharField(_("financial institution"), max_length=128)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    active = models.BooleanField(_("active"), default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["bank_name", "-issued_at"]
        verbose_name = _("white-list token")
        verbose_name_plural = _("white-list tokens")

    def __str__(self):
        return f"{self.bank_name} ({self.key_prefix}…)"
