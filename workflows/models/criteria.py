"""Criteria rule sets as versioned rows, and the diagnoses made with them.

A ``RuleSet`` row is one version of one tier's criteria; its ``Rule`` rows hold each
rule's condition or bands as JSON in the engine's format (``workflows.criteria``). A
version is never edited: an administrator's correction creates the next version
(``workflows.services.diagnosis.ruleset_revise``), and a stored ``DiagnosisRecord``
keeps pointing at the version it used.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Tier

from ..criteria.rules import Kind as ApplicationKind
from ..criteria.rules import RuleKind, localised


class RuleSet(models.Model):
    code = models.CharField(_("code"), max_length=32, help_text=_("e.g. MIIT-2022"))
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=128)
    title_en = models.CharField(_("title (English)"), max_length=128, blank=True)
    source = models.TextField(_("source"), blank=True)
    new_from = models.DateField(_("new applications from"), null=True, blank=True)
    new_until = models.DateField(_("new applications until"), null=True, blank=True)
    renewal_from = models.DateField(_("re-reviews from"), null=True, blank=True)
    renewal_until = models.DateField(_("re-reviews until"), null=True, blank=True)
    pass_total = models.PositiveSmallIntegerField(_("pass mark"), null=True, blank=True)
    groups = models.JSONField(_("indicator groups"), default=list, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["tier", "code", "-version"]
        verbose_name = _("criteria rule set")
        verbose_name_plural = _("criteria rule sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "tier", "version"], name="one_ruleset_version"),
            models.UniqueConstraint(fields=["code", "tier"], condition=Q(is_current=True), name="one_current_ruleset"),
        ]

    def __str__(self):
        return f"{self.code} · {self.get_tier_display()} · v{self.version}"

    @property
    def title(self) -> str:
        return localised(self.title_zh, self.title_en)

    def as_spec(self) -> dict:
        """The engine's plain-data form of this version (``workflows.criteria.RuleSet.from_spec``)."""
        dates = {
            name: getattr(self, name).isoformat() if getattr(self, name) else None
            for name in ("new_from", "new_until", "renewal_from", "renewal_until")
        }
        return {
            "code": self.code,
            "tier": self.tier,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "source": self.source,
            "pass_total": self.pass_total,
            "groups": self.groups,
            "rules": [rule.as_spec() for rule in self.rules.all()],
            **dates,
        }


class Rule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"))
    rule_id = models.CharField(_("rule id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    group = models.CharField(_("group"), max_length=32)
    label_zh = models.CharField(_("label (Chinese)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)
    source = models.TextField(_("source"), blank=True)
    applies_to = models.CharField(_("applies to"), max_length=16, default="any")
    verify = models.BooleanField(_("figures to verify"), default=False)
    definition = models.JSONField(_("bands or condition"), help_text=_("The engine's options (scored) or condition."))

    class Meta:
        ordering = ["ruleset", "position"]
        verbose_name = _("criteria rule")
        verbose_name_plural = _("criteria rules")
        constraints = [models.UniqueConstraint(fields=["ruleset", "rule_id"], name="unique_rule_in_ruleset")]

    def __str__(self):
        return f"{self.ruleset} · {self.rule_id}"

    def as_spec(self) -> dict:
        body = {"options": self.definition} if self.kind == RuleKind.SCORE else {"when": self.definition}
        return {
            "id": self.rule_id,
            "kind": self.kind,
            "group": self.group,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "source": self.source,
            "applies_to": self.applies_to,
            "verify": self.verify,
            **body,
        }


class DiagnosisRecord(models.Model):
    """A diagnosis as it was made: the version used, the verdict and every rule's result."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="diagnoses"
    )
    ruleset = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="diagnoses")
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    as_of = models.DateField(_("as of"))
    passed = models.BooleanField(_("passed"), null=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    result = models.JSONField(_("result"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        indexes = [models.Index(fields=["enterprise", "tier", "-created_at"])]

    def __str__(self):
        return f"{self.enterprise} · {self.get_tier_display()} · {self.as_of}"
