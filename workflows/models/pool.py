"""Pool entry (入库培育): an enterprise enters the city's cultivation pool for a year.

The legal state of the case lives here, as a protected FSM field; every change goes
through a service in ``workflows.services.pool`` that also writes one approval step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enterprises.fields import MoneyField
from enterprises.models import AnnualMetrics, SourceList

from .attachment import CaseAttachment


class PoolEntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISTRICT_REVIEW = "district_review", _("Awaiting district review")
    RETURNED = "returned", _("Returned for revision")
    CITY_REVIEW = "city_review", _("Awaiting city review")
    POOLED = "pooled", _("In the pool")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXIT_PROPOSED = "exit_proposed", _("Exit proposed")
    EXITED = "exited", _("Left the pool")


class PoolEntrySource(models.TextChoices):
    SELF = "self", _("Proposed by the enterprise")
    DISTRICT = "district", _("Proposed by the district bureau")
    OFFICIAL_LIST = "official_list", _("Proposed from an official list")


# States in which an entry still counts: at most one such entry per enterprise.
ACTIVE_STATES = [
    PoolEntryState.DRAFT,
    PoolEntryState.DISTRICT_REVIEW,
    PoolEntryState.RETURNED,
    PoolEntryState.CITY_REVIEW,
    PoolEntryState.POOLED,
    PoolEntryState.EXIT_PROPOSED,
]
IN_POOL_STATES = [PoolEntryState.POOLED, PoolEntryState.EXIT_PROPOSED]
S = PoolEntryState


class PoolEntry(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="pool_entries"
    )
    year = models.PositiveSmallIntegerField(_("pool year"))
    source = models.CharField(_("source"), max_length=16, choices=PoolEntrySource.choices)
    source_list = models.CharField(_("official list"), max_length=32, choices=SourceList.choices, blank=True)
    statement = models.TextField(_("statement"))
    state = FSMField(_("state"), max_length=16, choices=PoolEntryState.choices, default=S.DRAFT, protected=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    last_reason = models.TextField(
        _("latest reason"), blank=True, help_text=_("The reason of the latest return, rejection or exit, shown to the enterprise.")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    process = models.OneToOneField(
        "viewflow.Process", on_delete=models.SET_NULL, null=True, blank=True, related_name="pool_entry"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    pooled_on = models.DateField(_("pooled on"), null=True, blank=True)
    left_on = models.DateField(_("left the pool on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(state__in=ACTIVE_STATES), name="one_active_pool_entry_per_enterprise"
            )
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return _("Pool entry of %(enterprise)s (%(year)s)") % {"enterprise": self.enterprise, "year": self.year}

    # Transitions: declared once, here. Services call them; nothing else sets ``state``.
    @transition(field=state, source=S.DRAFT, target=S.DISTRICT_REVIEW)
    def submit(self):
        pass

    @transition(field=state, source=S.DRAFT, target=S.CITY_REVIEW)
    def district_propose(self):
        """A district bureau's own proposal is its 初审: the entry goes straight to the city's 复核."""

    @transition(field=state, source=S.DISTRICT_REVIEW, target=S.CITY_REVIEW)
    def district_approve(self):
        pass

    @transition(field=state, source=[S.DISTRICT_REVIEW, S.CITY_REVIEW], target=S.RETURNED)
    def return_(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=S.DISTRICT_REVIEW, target=S.REJECTED)
    def reject(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=S.RETURNED, target=S.DISTRICT_REVIEW)
    def resubmit(self):
        self.revision += 1

    @transition(field=state, source=[S.DISTRICT_REVIEW, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=S.CITY_REVIEW, target=S.POOLED)
    def city_approve(self, day):
        self.pooled_on = day
        self.last_reason = ""

    @transition(field=state, source=S.POOLED, target=S.EXIT_PROPOSED)
    def propose_exit(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=S.EXIT_PROPOSED, target=S.EXITED)
    def confirm_exit(self, day):
        self.left_on = day

    @transition(field=state, source=S.EXIT_PROPOSED, target=S.POOLED)
    def keep(self):
        self.last_reason = ""

    @property
    def in_pool(self) -> bool:
        return self.state in IN_POOL_STATES


class PoolEntryAttachment(CaseAttachment):
    """Evidence the enterprise sent with its answer to a return (revision says which answer)."""

    entry = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="attachments")
    revision = models.PositiveSmallIntegerField(_("revision"))

    class Meta(CaseAttachment.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    @property
    def folder(self) -> str:
        return f"pool/{self.entry_id}"


class PoolRefreshState(models.TextChoices):
    OPEN = "open", _("Open for updates")
    EVALUATED = "evaluated", _("Evaluated")


class PoolRefresh(models.Model):
    """The city's annual re-check of the pool: metrics due by a deadline, then the criteria.

    The criteria are data on the row, so each year's refresh records what it applied.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("metrics due by"))
    min_taxable_sales = MoneyField(_("minimum last-year taxable sales"), help_text=_("Yuan; e.g. 15,000,000."))
    qualifying_lists = models.JSONField(
        _("official lists that qualify regardless of sales"), default=list, blank=True
    )
    state = FSMField(_("state"), max_length=16, choices=PoolRefreshState.choices, default=PoolRefreshState.OPEN, protected=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual pool refresh")
        verbose_name_plural = _("annual pool refreshes")

    def __str__(self):
        return _("Pool refresh %(year)s") % {"year": self.year}

    @transition(field=state, source=PoolRefreshState.OPEN, target=PoolRefreshState.EVALUATED)
    def evaluate(self, moment):
        self.evaluated_at = moment

    def updated_metrics(self):
        """Last year's metric rows saved since this refresh opened: what the refresh counts as answered."""
        return AnnualMetrics.objects.filter(year=self.year - 1, updated_at__gte=self.opened_at)

    def updated_by(self, enterprise) -> bool:
        return self.updated_metrics().filter(enterprise=enterprise).exists()
