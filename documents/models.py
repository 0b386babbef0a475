"""Official documents (公文): issuers, gapless number sequences and issued documents.

A document is issued once, inside the caller's transaction, with a number that is
never reused; its PDF is rendered afterwards by a Celery task. Every change goes
through ``documents.services``, which also writes one approval step.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

# Short verification tokens: unambiguous characters only, so a token typed from paper works.
TOKEN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TOKEN_LENGTH = 10


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


class DocumentKind(models.TextChoices):
    POOL_ENTRY_NOTICE = "pool_entry_notice", _("Pool entry notice")
    DIAGNOSIS_REPORT = "diagnosis_report", _("Gap diagnosis report")
    RECOMMENDATION_LETTER = "recommendation_letter", _("Recommendation letter")
    RECOGNITION_NOTICE = "recognition_notice", _("Recognition notice")
    REWARD_DECISION = "reward_decision", _("Reward decision")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    PAYMENT_NOTICE = "payment_notice", _("Payment notice")


class RenderState(models.TextChoices):
    PENDING = "pending", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Rendering failed")


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOIDED = "voided", _("Voided")


class Issuer(models.Model):
    """An issuing authority (发文机关): its red mark, number prefix and seal are data."""

    name = models.CharField(
        _("name"), max_length=64, unique=True, help_text=_("Signed under the body, e.g. 镇江市工业和信息化局.")
    )
    mark_text = models.CharField(
        _("issuer mark"),
        max_length=64,
        help_text=_("The red mark at the head of the document, e.g. 镇江市工业和信息化局文件."),
    )
    number_prefix = models.CharField(
        _("number prefix"),
        max_length=16,
        unique=True,
        help_text=_("Document numbers read <prefix>〔year〕N号, e.g. 镇工信."),
    )
    office = models.CharField(
        _("printing office"), max_length=64, blank=True, help_text=_("The 印发 line, e.g. 镇江市工业和信息化局办公室.")
    )
    seal = models.FileField(
        _("seal image"),
        upload_to="documents/seals/",
        blank=True,
        help_text=_("PNG or SVG with a transparent background. Empty: the demo placeholder seal (marked 样章)."),
    )
    is_default = models.BooleanField(_("default issuer"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_issuer"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def printing_office(self) -> str:
        return self.office or self.name


class NumberSequence(models.Model):
    """The last number an issuer gave out in a year; locked while a number is taken."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="sequences")
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="one_sequence_per_issuer_year")]


class Document(models.Model):
    issuer = models.ForeignKey(Issuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("document number"), max_length=48)
    title = models.CharField(_("title"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    context = models.JSONField(_("content"), default=dict)
    token = models.CharField(_("verification code"), max_length=16, unique=True, default=new_token)

    render_state = FSMField(
        _("rendering"), max_length=16, choices=RenderState.choices, default=RenderState.PENDING, protected=True
    )
    render_queued_at = models.DateTimeField(_("render queued at"), null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)
    render_error = models.TextField(_("render error"), blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # The one stored PDF is PDF/A-2b, the archival form: what is downloaded is what is archived.
    pdf = models.FileField(_("PDF"), upload_to="documents/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)

    status = FSMField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED, protected=True
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "serial"], name="one_document_per_number"),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["enterprise", "issued_at"]),
        ]
        permissions = [("void_document", "Can void an issued document")]

    def __str__(self):
        return f"{self.number} {self.heading}"

    @property
    def heading(self) -> str:
        """What the document is, in the reader's language. Its official title is Chinese, like the
        document itself; a reader of another language reads its kind and the enterprise it concerns."""
        if (get_language() or settings.LANGUAGE_CODE).startswith("zh"):
            return self.title
        kind = str(self.get_kind_display())
        return f"{kind} · {self.enterprise.name}" if self.enterprise_id else kind

    # Transitions: declared once, here. Services and the render task call them.
    @transition(field=render_state, source=RenderState.PENDING, target=RenderState.READY)
    def render_succeed(self, *, pdf_name: str, sha256: str, page_count: int, at):
        self.pdf.name, self.sha256, self.page_count = pdf_name, sha256, page_count
        self.rendered_at, self.render_error = at, ""

    @transition(field=render_state, source=RenderState.PENDING, target=RenderState.FAILED)
    def render_fail(self, *, error: str):
        self.render_error = error

    @transition(field=render_state, source=RenderState.FAILED, target=RenderState.PENDING)
    def render_retry(self, *, at):
        self.render_error, self.render_queued_at = "", at

    @transition(field=status, source=DocumentStatus.ISSUED, target=DocumentStatus.VOIDED)
    def void(self, *, by, reason: str, at):
        self.voided_by, self.void_reason, self.voided_at = by, reason, at

    @property
    def is_ready(self) -> bool:
        return self.render_state == RenderState.READY

    @property
    def is_voided(self) -> bool:
        return self.status == DocumentStatus.VOIDED

    @property
    def stored_name(self) -> str:
        """Where the PDF lives in storage: the same name on every render, so a retry overwrites."""
        return f"documents/{self.year}/{self.issuer_id}-{self.serial:05d}-{self.token}.pdf"
