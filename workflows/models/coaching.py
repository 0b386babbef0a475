"""Coaching plans (培育辅导): cultivating an enterprise until it meets a tier's bar, then applying.

A district reviewer opens a plan from a diagnosis: one item per point lost or condition
unmet, each with its remedy, an owner, a due date and a status. Trainings and visits are
recorded on the plan. When the enterprise's metrics change the plan is re-diagnosed;
once the diagnosis passes the plan is "ready to apply" and the enterprise is told. Every
change goes through ``workflows.services.coaching``, which writes one approval step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enterprises.models import Tier

from ..criteria.rules import Kind as ApplicationKind


class CoachingPlanState(models.TextChoices):
    COACHING = "coaching", _("Coaching")
    READY = "ready", _("Ready to apply")
    CLOSED = "closed", _("Closed")


OPEN_PLAN_STATES = [CoachingPlanState.COACHING, CoachingPlanState.READY]
P = CoachingPlanState


class CoachingPlan(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="coaching_plans"
    )
    tier = models.CharField(_("target tier"), max_length=16, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    state = FSMField(_("state"), max_length=16, choices=CoachingPlanState.choices, default=P.COACHING, protected=True)
    diagnosis = models.ForeignKey(
        "workflows.DiagnosisRecord",
        verbose_name=_("latest diagnosis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    ready_since = models.DateField(_("ready to apply since"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("coaching plan")
        verbose_name_plural = _("coaching plans")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier"], condition=Q(state__in=OPEN_PLAN_STATES), name="one_open_plan_per_tier"
            )
        ]

    def __str__(self):
        return _("Coaching plan of %(enterprise)s for %(tier)s") % {
            "enterprise": self.enterprise,
            "tier": self.get_tier_display(),
        }

    # Transitions: declared once, here. Services call them; nothing else sets ``state``.
    @transition(field=state, source=P.COACHING, target=P.READY)
    def ready(self, day):
        self.ready_since = day

    @transition(field=state, source=P.READY, target=P.COACHING)
    def reopen(self):
        self.ready_since = None

    @transition(field=state, source=[P.COACHING, P.READY], target=P.CLOSED)
    def close(self, reason: str):
        self.closed_reason = reason

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_PLAN_STATES


class CoachingItemStatus(models.TextChoices):
    # A context keeps these apart from the same English words elsewhere ("Open" a refresh).
    OPEN = "open", pgettext_lazy("coaching item status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("coaching item status", "In progress")
    DONE = "done", pgettext_lazy("coaching item status", "Done")
    DROPPED = "dropped", pgettext_lazy("coaching item status", "Dropped")


I = CoachingItemStatus
OPEN_ITEM_STATES = [I.OPEN, I.IN_PROGRESS]


class CoachingItem(models.Model):
    """One gap of the diagnosis to close: a point band lost or a condition not met."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="items")
    rule_id = models.CharField(_("rule"), max_length=64)
    label = models.CharField(_("gap"), max_length=255)
    points_lost = models.PositiveSmallIntegerField(_("points lost"), null=True, blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    owner = models.CharField(_("owner"), max_length=128, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = FSMField(_("status"), max_length=16, choices=CoachingItemStatus.choices, default=I.OPEN, protected=True)
    note = models.TextField(_("note"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    # Closed because a diagnosis found the rule met (reopened if a later one finds it unmet again).
    met_by_data = models.BooleanField(_("met according to the data"), default=False)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("coaching item")
        verbose_name_plural = _("coaching items")
        constraints = [models.UniqueConstraint(fields=["plan", "rule_id"], name="one_item_per_rule")]

    def __str__(self):
        return self.label

    @transition(field=status, source=I.OPEN, target=I.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[I.OPEN, I.IN_PROGRESS], target=I.DONE)
    def complete(self, day, *, by_data: bool = False):
        self.resolved_on = day
        self.met_by_data = by_data

    @transition(field=status, source=[I.OPEN, I.IN_PROGRESS], target=I.DROPPED)
    def drop(self, day):
        self.resolved_on = day

    @transition(field=status, source=[I.DONE, I.DROPPED], target=I.OPEN)
    def reopen(self):
        self.resolved_on = None
        self.met_by_data = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATES


class CoachingActivityKind(models.TextChoices):
    TRAINING = "training", _("Training (专题培训)")
    VISIT = "visit", _("On-site visit (实地走访)")


class CoachingActivity(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=CoachingActivityKind.choices)
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("coaching activity")
        verbose_name_plural = _("coaching activities")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on}"
