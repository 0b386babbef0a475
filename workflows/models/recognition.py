"""Recognition (认定): a published result on the ladder, and the rows a reviewer must match.

A ``Recognition`` is one published result for one enterprise (and, for a champion
product, one product). Only a final (公布) result holds a ``Title``; a publicity (公示)
result waits for the final list. A ``RecognitionMatch`` is a published row whose
enterprise could not be found with certainty (no name or several names match): it waits
in the city reviewer's resolution queue until someone picks the enterprise or dismisses it.
Every change goes through ``workflows.services.recognition``, which writes the steps.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from enterprises.models import Tier


class RecognitionKind(models.TextChoices):
    FIRST = "first", _("First-time recognition (首次)")
    RENEWAL = "renewal", _("Renewal after re-review (复核)")


class RecognitionStatus(models.TextChoices):
    PUBLICITY = "publicity", _("Publicity (公示)")
    FINAL = "final", _("Final (公布)")


class Recognition(models.Model):
    """One published result; recording the same result again finds this row and changes nothing."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="recognitions"
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    recognized_on = models.DateField(_("recognized on"))
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RecognitionKind.choices)
    product = models.CharField(_("product"), max_length=128, blank=True, help_text=_("For champion products only."))
    status = FSMField(_("status"), max_length=16, choices=RecognitionStatus.choices, protected=True)
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("The list or file it came from."))
    title = models.ForeignKey(
        "enterprises.Title",
        verbose_name=_("title"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        help_text=_("The title this result created (a renewal's title runs on from the earlier one's expiry)."),
    )
    renewed_title = models.ForeignKey(
        "enterprises.Title",
        verbose_name=_("renewed title"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        help_text=_("The earlier title a renewal extends, when it is on record."),
    )
    warning = models.CharField(_("warning"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-recognized_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier", "recognized_on", "product", "kind"], name="unique_recognition"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_tier_display()} · {self.recognized_on:%Y-%m-%d}"

    @transition(field=status, source=RecognitionStatus.PUBLICITY, target=RecognitionStatus.FINAL)
    def publish(self):
        """The final list confirmed a result first seen in publicity."""


class RecognitionMatchState(models.TextChoices):
    OPEN = "open", _("Waiting for a reviewer")
    RESOLVED = "resolved", _("Enterprise chosen")
    DISMISSED = "dismissed", _("Dismissed")


class RecognitionMatchReason(models.TextChoices):
    UNMATCHED = "unmatched", _("No registered enterprise has this name or code")
    AMBIGUOUS = "ambiguous", _("Several registered enterprises have this name")


class RecognitionMatch(models.Model):
    """A published row waiting for a reviewer to say which enterprise it is (never guessed)."""

    row_key = models.CharField(
        _("row key"), max_length=64, unique=True, help_text=_("SHA-256 of the row's values: a re-import finds it.")
    )
    name = models.CharField(_("name as published"), max_length=255)
    credit_code = models.CharField(_("credit code as published"), max_length=18, blank=True)
    row = models.JSONField(_("row"), help_text=_("The row's values as read: tier, date, kind, batch, product, status."))
    source = models.CharField(_("source"), max_length=255, blank=True)
    row_number = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=RecognitionMatchReason.choices)
    candidates = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("candidates"), blank=True, related_name="+"
    )
    state = FSMField(
        _("state"), max_length=16, choices=RecognitionMatchState.choices, default=RecognitionMatchState.OPEN,
        protected=True,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise chosen"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    recognition = models.ForeignKey(
        Recognition, verbose_name=_("recognition"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recognition to match")
        verbose_name_plural = _("recognitions to match")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name} · {self.row.get('tier', '')} · {self.row.get('recognized_on', '')}"

    @transition(field=state, source=RecognitionMatchState.OPEN, target=RecognitionMatchState.RESOLVED)
    def resolve(self, *, enterprise, recognition, by, at):
        self.enterprise, self.recognition, self.resolved_by, self.resolved_at = enterprise, recognition, by, at

    @transition(field=state, source=RecognitionMatchState.OPEN, target=RecognitionMatchState.DISMISSED)
    def dismiss(self, *, note, by, at):
        self.note, self.resolved_by, self.resolved_at = note, by, at
