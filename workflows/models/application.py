"""Applications (申报) for the next tier, in batches the city opens, with expert review (双随机).

The legal state of an application is its protected FSM field; every change goes through a
service in ``workflows.services.application`` (the case kernel writes its one step). On
submission the enterprise's data, its diagnosis and its attachments' hashes are frozen
into ``snapshot``, so what the reviewers read never changes under them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enterprises.models import Tier

from ..criteria.rules import Kind as ApplicationKind
from ..criteria.rules import localised
from .attachment import CaseAttachment, attachment_path  # noqa: F401 (migration 0005 names attachment_path here)


class ApplicationBatch(models.Model):
    """An application window (申报批次) the city opens for one tier and year."""

    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=128)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    ruleset = models.ForeignKey(
        "workflows.RuleSet", verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The criteria in force on the opening date for this kind of application."),
    )
    quota = models.PositiveSmallIntegerField(_("recommendation quota"), null=True, blank=True)
    rubric = models.JSONField(_("expert rubric"), default=list, blank=True)
    experts_per_application = models.PositiveSmallIntegerField(_("experts per application"), default=3)
    expert_draw_seed = models.BigIntegerField(_("seed of the expert draw"), null=True, blank=True, editable=False)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("experts drawn"), blank=True, related_name="expert_batches"
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    recommendation = models.ForeignKey(
        "documents.Document", verbose_name=_("recommendation letter"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    results_closed_at = models.DateTimeField(_("results recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("application batch")
        verbose_name_plural = _("application batches")
        constraints = [
            models.CheckConstraint(condition=Q(opens_on__lte=models.F("closes_on")), name="batch_opens_before_it_closes")
        ]

    def __str__(self):
        return self.name

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISTRICT_REVIEW = "district_review", _("Awaiting district review")
    RETURNED = "returned", _("Returned for revision")
    CITY_REVIEW = "city_review", _("Awaiting city review")
    EXPERT_REVIEW = "expert_review", _("With the experts")
    APPROVED = "approved", _("Approved, awaiting recommendation")
    RECOMMENDED = "recommended", _("Recommended upward")
    RECOGNIZED = "recognized", _("Recognized")
    NOT_RECOGNIZED = "not_recognized", _("Not recognized")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = ApplicationState
# An open application blocks another for the same tier; the enterprise may withdraw until recommended.
OPEN_APPLICATION_STATES = [A.DRAFT, A.DISTRICT_REVIEW, A.RETURNED, A.CITY_REVIEW, A.EXPERT_REVIEW, A.APPROVED, A.RECOMMENDED]
WITHDRAWABLE_STATES = [A.DRAFT, A.DISTRICT_REVIEW, A.RETURNED, A.CITY_REVIEW, A.EXPERT_REVIEW, A.APPROVED]
REVIEW_STATES = [A.DISTRICT_REVIEW, A.CITY_REVIEW, A.EXPERT_REVIEW]


class Application(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="applications"
    )
    batch = models.ForeignKey(ApplicationBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="applications")
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    product = models.CharField(_("product"), max_length=128, blank=True, help_text=_("For single-champion products only."))
    statement = models.TextField(_("statement"), blank=True)
    state = FSMField(_("state"), max_length=16, choices=ApplicationState.choices, default=A.DRAFT, protected=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    last_reason = models.TextField(_("latest reason"), blank=True)
    # A city reviewer may let an application through a failing diagnosis, with a reason on record.
    diagnosis_override_reason = models.TextField(_("reason for overriding the diagnosis"), blank=True)
    diagnosis_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("frozen submission"), null=True, blank=True, editable=False)
    snapshot_sha256 = models.CharField(_("SHA-256 of the frozen submission"), max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank in the recommendation"), null=True, blank=True)
    decided_on = models.DateField(_("result recorded on"), null=True, blank=True)
    process = models.OneToOneField(
        "viewflow.Process", on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier", "product"],
                condition=Q(state__in=OPEN_APPLICATION_STATES),
                name="one_open_application_per_tier",
            )
        ]
        indexes = [models.Index(fields=["batch", "state"])]

    def __str__(self):
        return _("Application of %(enterprise)s for %(tier)s") % {
            "enterprise": self.enterprise,
            "tier": self.get_tier_display(),
        }

    # Transitions: declared once, here; each is a decision of the same name (workflows.cases.application).
    @transition(field=state, source=A.DRAFT, target=A.DISTRICT_REVIEW)
    def submit(self, *, snapshot: dict, digest: str, at):
        self.snapshot, self.snapshot_sha256, self.submitted_at = snapshot, digest, at

    @transition(field=state, source=A.DISTRICT_REVIEW, target=A.CITY_REVIEW)
    def district_approve(self):
        pass

    @transition(field=state, source=REVIEW_STATES, target=A.RETURNED)
    def return_(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=REVIEW_STATES, target=A.REJECTED)
    def reject(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=A.RETURNED, target=A.DISTRICT_REVIEW)
    def resubmit(self, *, snapshot: dict, digest: str, at):
        self.snapshot, self.snapshot_sha256, self.submitted_at = snapshot, digest, at
        self.revision += 1

    @transition(field=state, source=A.CITY_REVIEW, target=A.EXPERT_REVIEW)
    def send_to_experts(self):
        pass

    @transition(field=state, source=[A.CITY_REVIEW, A.EXPERT_REVIEW], target=A.APPROVED)
    def city_approve(self):
        self.last_reason = ""

    @transition(field=state, source=WITHDRAWABLE_STATES, target=A.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=A.APPROVED, target=A.RECOMMENDED)
    def recommend(self, rank: int):
        self.rank = rank

    @transition(field=state, source=A.APPROVED, target=A.REJECTED)
    def not_recommend(self, reason: str):
        self.last_reason = reason

    @transition(field=state, source=A.RECOMMENDED, target=A.RECOGNIZED)
    def recognize(self, day):
        self.decided_on = day

    @transition(field=state, source=A.RECOMMENDED, target=A.NOT_RECOGNIZED)
    def not_recognize(self, day):
        self.decided_on = day

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APPLICATION_STATES


def rubric_label(item: dict) -> str:
    """A batch's rubric item in the reader's language (``label``, and ``label_en`` when one is kept:
    a rubric the city typed may have one language only)."""
    return localised(item["label"], item.get("label_en", ""))


class ApplicationAttachment(CaseAttachment):
    """A file the enterprise adds to its application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")

    class Meta(CaseAttachment.Meta):
        pass

    @property
    def folder(self) -> str:
        return f"applications/{self.application_id}"


class ExpertConflict(models.Model):
    """An expert declared a conflict of interest with an enterprise: never assigned to it."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_conflicts")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="one_conflict_per_pair")]


class ExpertReviewState(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SCORED = "scored", _("Scored")


class ExpertReview(ConcurrentTransitionMixin, models.Model):
    """One expert's review of one application: its own case, so each expert has their own task."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expert_reviews")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_reviews")
    state = FSMField(_("state"), max_length=16, choices=ExpertReviewState.choices, default=ExpertReviewState.ASSIGNED, protected=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_review_per_expert")]

    def __str__(self):
        return _("Expert review of %(application)s") % {"application": self.application}

    @property
    def enterprise(self):
        return self.application.enterprise

    @transition(field=state, source=ExpertReviewState.ASSIGNED, target=ExpertReviewState.SCORED)
    def score(self, *, scores: dict, total, opinion: str, at):
        self.scores, self.total, self.opinion, self.scored_at = scores, total, opinion, at
