"""The registry: jurisdictions, industry chains, enterprises, their titles and source lists."""

import datetime

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..validators import normalise_credit_code, validate_credit_code, validate_not_in_future, validate_year


class JurisdictionKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    ZONE = "zone", _("Functional zone")
    COUNTY_CITY = "county_city", _("County-level city")


class Jurisdiction(models.Model):
    """A district, zone or county-level city; seeded by a migration, edited in admin."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=JurisdictionKind.choices)
    reward_covered = models.BooleanField(
        _("covered by the city reward policy"),
        default=False,
        help_text=_("Urban districts (市区) covered by the city's reward policy."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self):
        return _in_reader_language(self.name, self.name_en)


class IndustryChain(models.Model):
    """One of the city's industrial chains (产业链); an editable table."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=96, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")

    def __str__(self):
        return _in_reader_language(self.name, self.name_en)


def _in_reader_language(chinese: str, english: str) -> str:
    """A name kept in both languages, as the reader reads it (the Chinese when no English is kept)."""
    return english if english and (get_language() or "").startswith("en") else chinese


class Enterprise(models.Model):
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=128, db_index=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry_chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    main_product = models.CharField(_("main product"), max_length=128, blank=True)
    niche_market = models.CharField(_("niche market"), max_length=128, blank=True)
    niche_entered_year = models.PositiveSmallIntegerField(
        _("year entered the niche"), null=True, blank=True, validators=[validate_year]
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True, validators=[validate_not_in_future])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["jurisdiction", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = normalise_credit_code(self.credit_code)
        super().save(*args, **kwargs)

    def jurisdiction_on(self, day: datetime.date) -> Jurisdiction:
        """Where the enterprise was registered on ``day`` (moves are recorded with dates)."""
        move = self.moves.filter(effective_on__gt=day).order_by("effective_on").first()
        return move.from_jurisdiction if move else self.jurisdiction


class JurisdictionMove(models.Model):
    """The enterprise moved from one jurisdiction to another on ``effective_on``."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="moves")
    from_jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    to_jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on"]
        verbose_name = _("jurisdiction move")
        verbose_name_plural = _("jurisdiction moves")


class SourceList(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise (高新技术企业)")
    TECH_SME = "tech_sme", _("Technology-based SME (科技型中小企业)")
    IP_ADVANTAGE = "ip_advantage", _("IP advantage enterprise (知识产权优势企业)")
    IP_DEMONSTRATION = "ip_demonstration", _("IP demonstration enterprise (知识产权示范企业)")
    TECH_INNOVATION_DEMO = "tech_innovation_demo", _("National technology innovation demonstration (国家级技术创新示范企业)")
    NEW_ABOVE_SCALE = "new_above_scale", _("Newly above-scale (小进规)")


class SourceListEntry(models.Model):
    """The enterprise appears on an official list, valid between two dates."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="source_lists")
    source_list = models.CharField(_("list"), max_length=32, choices=SourceList.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("source list entry")
        verbose_name_plural = _("source list entries")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "source_list", "valid_from"], name="unique_source_list_entry")
        ]

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Tier(models.TextChoices):
    """The ladder, lowest first."""

    INNOVATIVE = "innovative", _("Innovative SME (创新型中小企业)")
    SRDI = "srdi", _("Provincial SRDI SME (专精特新中小企业)")
    LITTLE_GIANT = "little_giant", _('SRDI "little giant" (专精特新“小巨人”)')
    CHAMPION = "champion", _("Manufacturing single champion (制造业单项冠军)")

    @classmethod
    def ladder(cls) -> list["Tier"]:
        return [cls.INNOVATIVE, cls.SRDI, cls.LITTLE_GIANT, cls.CHAMPION]

    @property
    def prerequisite(self):
        """The title an application for this tier requires (champions need none)."""
        return {Tier.SRDI: Tier.INNOVATIVE, Tier.LITTLE_GIANT: Tier.SRDI}.get(self)


class TitleBasis(models.TextChoices):
    FIRST_TIME = "first_time", _("First-time recognition")
    RENEWAL = "renewal", _("Renewal after re-review (复核)")


class Title(models.Model):
    """A title held on the ladder, as published in an official list."""

    VALIDITY_YEARS = 3

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="titles")
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    level = models.CharField(_("level"), max_length=16, blank=True, help_text=_("provincial or national"))
    product = models.CharField(
        _("product"), max_length=128, blank=True, help_text=_("For single-champion products only.")
    )
    basis = models.CharField(_("basis"), max_length=16, choices=TitleBasis.choices, default=TitleBasis.FIRST_TIME)
    recognized_on = models.DateField(_("recognized on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["enterprise", "recognized_on"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        indexes = [models.Index(fields=["tier", "valid_until"])]

    def __str__(self):
        return f"{self.enterprise} · {self.get_tier_display()} · {self.recognized_on:%Y-%m-%d}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.recognized_on <= day and (self.valid_until is None or day <= self.valid_until)

    def is_lapsed_on(self, day: datetime.date) -> bool:
        """Past its validity on ``day`` with no later title of the same tier (and product): no passed 复核."""
        if self.valid_until is None or day <= self.valid_until:
            return False
        later = Title.objects.filter(enterprise_id=self.enterprise_id, tier=self.tier, product=self.product)
        return not later.filter(recognized_on__gt=self.recognized_on).exists()

    @property
    def is_lapsed(self) -> bool:
        """Lapsed today (what pages listing titles show)."""
        from django.utils import timezone

        return self.is_lapsed_on(timezone.localdate())
