"""Import jobs: a list too long to import within a request, handed to the Celery worker.

The row records who asked, the file (kept outside MEDIA_ROOT), the options, where the
job stands and, once done, the same report the page shows for a short list.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


S = ImportJobState


class ImportJob(FSMModelMixin, models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    source = models.CharField(_("stored file"), max_length=500, help_text=_("Path under VAR_DIR."))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year of the metrics"), null=True, blank=True)
    skip_invalid = models.BooleanField(_("import the valid rows only"), default=False)
    language = models.CharField(_("language"), max_length=16, blank=True)
    state = FSMField(_("state"), max_length=16, choices=ImportJobState.choices, default=S.QUEUED, protected=True)
    rows_total = models.PositiveIntegerField(_("rows (estimated)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (S.DONE, S.FAILED)

    @transition(field=state, source=[S.QUEUED, S.RUNNING], target=S.RUNNING)
    def start(self, *, at):
        """From RUNNING too: a worker lost mid-import rolled back everything it wrote."""
        self.started_at = at

    @transition(field=state, source=S.RUNNING, target=S.DONE)
    def finish(self, *, report: dict, at):
        self.report = report
        self.rows_done = report.get("rows", self.rows_done)
        self.finished_at = at

    @transition(field=state, source=[S.QUEUED, S.RUNNING], target=S.FAILED)
    def fail(self, *, error: str, at):
        self.error = error
        self.finished_at = at
