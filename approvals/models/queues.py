"""Queue tasks: the read model behind every reviewer's queue.

viewflow keeps its own task table, but its queue cannot be scoped by jurisdiction or
enterprise and shows every task of a flow to anyone holding the flow's permission.
One ``QueueTask`` row mirrors each human task waiting for a role, with the columns the
queue page filters and sorts on, so a queue page costs a fixed handful of indexed queries.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from enterprises.models import Role


class QueueTaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = [QueueTaskStatus.OPEN, QueueTaskStatus.CLAIMED]
S = QueueTaskStatus

# Roles that work queues (auditors and administrators never do).
QUEUE_ROLES = [
    (Role.DISTRICT_REVIEWER, Role.DISTRICT_REVIEWER.label),
    (Role.CITY_REVIEWER, Role.CITY_REVIEWER.label),
    (Role.FINANCE, Role.FINANCE.label),
    (Role.ENTERPRISE, Role.ENTERPRISE.label),
]

# An active task is exactly one whose ``closed_at`` is empty (close and cancel set both).
# The queue indexes are partial on that condition: a literal ``IS NULL`` that SQLite's and
# PostgreSQL's planners both match, where ``status IN (%s, %s)`` with bound parameters
# would not match a partial index on SQLite.
ACTIVE = Q(closed_at__isnull=True)


class QueueTask(FSMModelMixin, models.Model):
    task = models.OneToOneField(
        "viewflow.Task",
        verbose_name=_("workflow task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queue_task",
    )
    kind = models.CharField(_("kind"), max_length=64)
    role = models.CharField(_("role"), max_length=24, choices=QUEUE_ROLES)
    jurisdiction = models.ForeignKey(
        "enterprises.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    case_type = models.CharField(_("case type"), max_length=64)
    case_id = models.CharField(_("case id"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    status = FSMField(_("status"), max_length=16, choices=QueueTaskStatus.choices, default=S.OPEN, protected=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_provisional = models.BooleanField(
        _("due date provisional"),
        default=False,
        help_text=_("The calendar did not cover every day up to the due date; weekends only were assumed."),
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("queue task")
        verbose_name_plural = _("queue tasks")
        indexes = [
            # district, finance and enterprise queues: role (+ jurisdiction) equal, sorted by due date
            models.Index(fields=["role", "jurisdiction", "due_on", "id"], condition=ACTIVE, name="queue_role_idx"),
            models.Index(fields=["role", "enterprise", "due_on", "id"], condition=ACTIVE, name="queue_ent_idx"),
            # administrators' whole-city queue and the overdue sweep
            models.Index(fields=["due_on", "id"], condition=ACTIVE, name="queue_due_idx"),
            models.Index(fields=["claimed_by", "due_on", "id"], condition=ACTIVE, name="queue_mine_idx"),
            models.Index(fields=["escalated_at"], condition=ACTIVE, name="queue_escalated_idx"),
            models.Index(fields=["case_type", "case_id", "kind"], name="queue_case_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def case(self) -> models.Model | None:
        """The case this task belongs to (one query); None if its model is gone."""
        model = apps.get_model(self.case_type)
        return model._default_manager.filter(pk=self.case_id).first()

    @transition(field=status, source=S.OPEN, target=S.CLAIMED)
    def claim(self, *, user, at):
        self.claimed_by = user
        self.claimed_at = at

    @transition(field=status, source=S.CLAIMED, target=S.OPEN)
    def release(self):
        self.claimed_by = None
        self.claimed_at = None

    @transition(field=status, source=ACTIVE_STATUSES, target=S.CLAIMED)
    def reassign(self, *, user, at):
        self.claimed_by = user
        self.claimed_at = at

    @transition(field=status, source=ACTIVE_STATUSES, target=S.DONE)
    def close(self, *, outcome, at):
        self.outcome = outcome
        self.closed_at = at

    @transition(field=status, source=ACTIVE_STATUSES, target=S.CANCELLED)
    def cancel(self, *, at):
        self.closed_at = at
