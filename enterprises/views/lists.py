"""Importing and exporting enterprise lists: upload page, template, reject files, export."""

import re

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from viewflow.urls import Viewset
from viewflow.urls.sites import AppMenuMixin

from ..exceptions import RegistryError
from ..forms import EnterpriseExportForm, EnterpriseImportForm
from ..models import ImportJob
from ..selectors import import_job_get
from ..services.exports import enterprises_export, import_template
from ..services.import_jobs import enterprises_import_submit, import_job_report, import_job_rows_done
from ..services.imports import rejects_dir

SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
REJECTS_NAME = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}-rejects\.csv$")
SHOWN_PROBLEMS = 500


def spreadsheet_response(content: bytes, file_name: str) -> HttpResponse:
    extension = file_name.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=SPREADSHEET_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


class EnterpriseImportView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Upload a list; a short one's report is shown on the same page, a long one goes to its job's page."""

    permission_required = "enterprises.import_enterprises"
    form_class = EnterpriseImportForm
    template_name = "enterprises/enterprise_import.html"

    def form_valid(self, form):
        try:
            outcome = enterprises_import_submit(upload=form.cleaned_data["file"], by=self.request.user,
                                                skip_invalid=form.cleaned_data["skip_invalid"],
                                                year=form.cleaned_data["year"])
        except RegistryError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        if isinstance(outcome, ImportJob):
            return redirect("registry:import:job", pk=outcome.pk)
        return self.render_to_response(
            self.get_context_data(form=form, report=outcome, problems=outcome.problems[:SHOWN_PROBLEMS])
        )


class ImportJobView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A long import's page: a progress bar while the worker runs, then the same report."""

    permission_required = "enterprises.import_enterprises"

    def get(self, request, pk):
        job = import_job_get(user=request.user, pk=pk)
        report = import_job_report(job)
        problems = report.problems[:SHOWN_PROBLEMS] if report else []
        context = {"job": job, "rows_done": import_job_rows_done(job), "report": report, "problems": problems}
        return render(request, "enterprises/import_job.html", context)


class ImportJobProgressView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """What the job page polls (tidu/progress.js): state and rows read, as JSON (``done``/``total``
    are the rows under the names every progress bar of the site reads)."""

    permission_required = "enterprises.import_enterprises"

    def get(self, request, pk):
        job = import_job_get(user=request.user, pk=pk)
        rows_done = import_job_rows_done(job)
        return JsonResponse({"state": job.state, "finished": job.is_finished, "rows_done": rows_done,
                             "rows_total": job.rows_total, "done": rows_done, "total": job.rows_total})


class ImportTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "enterprises.import_enterprises"

    def get(self, request):
        return spreadsheet_response(import_template(), "enterprise-import-template.xlsx")


class ImportRejectsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A reject file, served only to the user whose import produced it."""

    permission_required = "enterprises.import_enterprises"

    def get(self, request, name):
        path = rejects_dir(request.user) / name
        if not REJECTS_NAME.match(name) or not path.is_file():
            raise Http404
        return spreadsheet_response(path.read_bytes(), name)


class EnterpriseExportView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Export the enterprises in the user's scope; the form is a GET, the file its answer."""

    permission_required = "enterprises.view_enterprise"
    form_class = EnterpriseExportForm
    template_name = "enterprises/enterprise_export.html"

    def get(self, request, *args, **kwargs):
        form = self.form_class(request.GET or None)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        file_format = form.cleaned_data["file_format"]
        content = enterprises_export(user=request.user, year=form.cleaned_data["year"], file_format=file_format)
        return spreadsheet_response(content, f"enterprises.{file_format}")


class EnterpriseImportViewset(AppMenuMixin, Viewset):
    title = _("Import enterprises")
    icon = "upload_file"
    app_name = "import"
    permission = "enterprises.import_enterprises"

    index_path = path("", EnterpriseImportView.as_view(), name="index")
    template_path = path("template.xlsx", ImportTemplateView.as_view(), name="template")
    rejects_path = path("rejects/<str:name>", ImportRejectsView.as_view(), name="rejects")
    job_path = path("jobs/<int:pk>/", ImportJobView.as_view(), name="job")
    job_progress_path = path("jobs/<int:pk>/progress.json", ImportJobProgressView.as_view(), name="job_progress")

    def has_view_permission(self, user, obj=None):
        return user.has_perm(self.permission)


class EnterpriseExportViewset(AppMenuMixin, Viewset):
    title = _("Export enterprises")
    icon = "download"
    app_name = "export"
    permission = "enterprises.view_enterprise"
    turbo_disabled = True

    index_path = path("", EnterpriseExportView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return user.has_perm(self.permission)
