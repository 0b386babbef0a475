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

from ..queues import task_title


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
    (Role.EXPERT, Role.EXPERT.label),
]

# An active task is exactly one whose ``closed_at`` is empty: close and cancel set both,
# and a check constraint holds the two together. Queues filter on this rather than on
# ``status IN (…)``: the queue indexes are partial on this literal ``IS NULL``, which the
# SQLite and PostgreSQL planners both match (a parameterised IN would not match on SQLite),
# and counting then reads the index alone, without visiting the rows.
ACTIVE = Q(closed_at__isnull=True)
ACTIVE_STATUS_MATCHES_CLOSED_AT = (Q(closed_at__isnull=True) & Q(status__in=ACTIVE_STATUSES)) | (
    Q(closed_at__isnull=False) & Q(status__in=[S.DONE, S.CANCELLED])
)
# City reviewers' queue: city-level work plus district work escalated to them. Stored as
# one column (kept true to its definition by a check constraint) so the city queue is one
# index range instead of an OR that no index can serve in due-date order.
CITY_QUEUE_DEFINITION = (Q(in_city_queue=True) & (Q(role=Role.CITY_REVIEWER) | Q(escalated_at__isnull=False))) | (
    Q(in_city_queue=False) & ~Q(role=Role.CITY_REVIEWER) & Q(escalated_at__isnull=True)
)


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
    in_city_queue = models.BooleanField(_("in the city queue"), default=False, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("queue task")
        verbose_name_plural = _("queue tasks")
        # One index per queue scope, each giving that scope's rows in due-date order.
        indexes = [
            models.Index(fields=["role", "jurisdiction", "due_on", "id"], condition=ACTIVE, name="queue_role_idx"),
            models.Index(fields=["role", "due_on", "id"], condition=ACTIVE, name="queue_role_due_idx"),
            models.Index(fields=["role", "enterprise", "due_on", "id"], condition=ACTIVE, name="queue_ent_idx"),
            # the flag sits in the condition, not the key: Django writes ``flag = true`` as the bare
            # column on SQLite, which the planner matches against a partial index but not a key
            models.Index(fields=["due_on", "id"], condition=ACTIVE & Q(in_city_queue=True), name="queue_city_idx"),
            # administrators' whole-city queue and the overdue sweep
            models.Index(fields=["due_on", "id"], condition=ACTIVE, name="queue_due_idx"),
            models.Index(fields=["claimed_by", "due_on", "id"], condition=ACTIVE, name="queue_mine_idx"),
            models.Index(fields=["case_type", "case_id", "kind"], name="queue_case_idx"),
        ]
        constraints = [
            # "The open task of this case of this kind" is always one task.
            models.UniqueConstraint(
                fields=["case_type", "case_id", "kind"], condition=ACTIVE, name="queue_one_active_task_per_kind"
            ),
            models.CheckConstraint(condition=ACTIVE_STATUS_MATCHES_CLOSED_AT, name="queue_closed_at_matches_status"),
            models.CheckConstraint(condition=CITY_QUEUE_DEFINITION, name="queue_city_queue_definition"),
        ]

    def __str__(self):
        return task_title(self)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def case(self) -> models.Model | None:
        """The case this task belongs to (one query); None if its model is gone."""
        model = apps.get_model(self.case_type)
        return model._default_manager.filter(pk=self.case_id).first()

    def escalate(self, *, at) -> None:
        """Put the task in the city reviewers' queue too (its own queue keeps it)."""
        self.escalated_at = at

    def save(self, *args, **kwargs):
        # Part of the row's definition, not a business rule: the constraint above checks it.
        self.in_city_queue = self.role == Role.CITY_REVIEWER or self.escalated_at is not None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "in_city_queue"}
        super().save(*args, **kwargs)

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
