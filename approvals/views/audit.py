"""The auditor's pages: the step log with filters, a timeline per object, exports, the chain's status."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.views import RoleApplication
from steplog.evidence import EvidenceError, evidence_bundle_build, evidence_subject
from steplog.signing import configured_fingerprint, public_key_pem

from ..actions import action_label
from ..exports import XLSX_MAX_ROWS, csv_lines, xlsx_bytes
from ..filters import StepFilter
from ..services.audit import chain_verification_request
from ..selectors import chain_status, step_list, steps_for, user_can_audit

PAGE_SIZE = 50


def auditor_required(view):
    """Logged-in users who are not auditors get 403; anonymous visitors go to the login page."""

    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        if not user_can_audit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def filtered_steps(request):
    """The log filtered by the query string; the filter form travels with it."""
    step_filter = StepFilter(request.GET or None, queryset=step_list(user=request.user))
    return step_filter, step_filter.qs


@auditor_required
def step_list_view(request):
    step_filter, steps = filtered_steps(request)
    before = request.GET.get("before", "")
    if before.isdigit():
        steps = steps.filter(seq__lt=int(before))
    # Keyset paging on seq: a page costs the same at step 10 and at step 10,000,000.
    rows = list(steps[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "approvals/audit/steps.html",
        {
            "filter": step_filter,
            "steps": [(step, action_label(step.action)) for step in rows[:PAGE_SIZE]],
            "next_before": rows[PAGE_SIZE - 1].seq if len(rows) > PAGE_SIZE else None,
            "query": query.urlencode(),
            "status": chain_status(),
        },
    )


@auditor_required
def timeline_view(request, object_type, object_id):
    steps = steps_for(object_type=object_type, object_id=object_id, user=request.user)
    return render(
        request,
        "approvals/audit/timeline.html",
        {"steps": steps, "object_type": object_type, "object_id": object_id,
         "enterprise_id": steps.exclude(enterprise_id=None).values_list("enterprise_id", flat=True).first()},
    )


@auditor_required
def evidence_bundle_view(request, object_type, object_id):
    """A zip an outsider checks with tools/verify_bundle.py; the download is a step."""
    try:
        subject = evidence_subject(object_type=object_type, object_id=object_id)
        bundle = evidence_bundle_build(subject=subject, by=request.user)
    except EvidenceError as error:
        raise Http404(error.message) from None
    return FileResponse(bundle.file, as_attachment=True, filename=bundle.filename, content_type="application/zip")


@auditor_required
def signing_key_view(request):
    """The public half of the bureau's signing key, for tools/verify_bundle.py --public-key."""
    response = HttpResponse(public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="tidu-signing-key.pub.pem"'
    return response


@auditor_required
def export_csv_view(request):
    _, steps = filtered_steps(request)
    response = StreamingHttpResponse(csv_lines(steps.order_by("seq").iterator(chunk_size=2000)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name()}.csv"'
    return response


@auditor_required
def export_xlsx_view(request):
    _, steps = filtered_steps(request)
    if steps.count() > XLSX_MAX_ROWS:
        messages.error(
            request,
            _("More than %(limit)s steps match: narrow the filters, or export CSV.") % {"limit": XLSX_MAX_ROWS},
        )
        return redirect(f"{reverse('audit:index')}?{request.GET.urlencode()}")
    response = HttpResponse(
        xlsx_bytes(steps.order_by("seq").iterator(chunk_size=2000)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name()}.xlsx"'
    return response


def _export_name() -> str:
    return f"audit-trail-{timezone.localtime():%Y%m%d-%H%M%S}"


@auditor_required
def status_view(request):
    return render(
        request, "approvals/audit/status.html", {"status": chain_status(), "key_fingerprint": configured_fingerprint()}
    )


@require_POST
@auditor_required
def verify_now_view(request):
    if chain_verification_request(by=request.user):
        messages.success(request, _("Verification started. The result appears below when it is done."))
    else:
        messages.error(request, _("The verification did not start: the task queue cannot be reached. Try again in a few minutes."))
    return redirect("audit:status")


class AuditApplication(RoleApplication):
    title = gettext_lazy("Audit trail")
    icon = "fact_check"
    app_name = "audit"
    permission = "steplog.audit"
    menu_links = [
        ("index", "", gettext_lazy("Steps"), "list", None),
        ("status", "", gettext_lazy("Chain status"), "verified", None),
    ]

    index_path = path("", step_list_view, name="index")
    timeline_path = path("timeline/<str:object_type>/<str:object_id>/", timeline_view, name="timeline")
    csv_path = path("export.csv", export_csv_view, name="export_csv")
    xlsx_path = path("export.xlsx", export_xlsx_view, name="export_xlsx")
    status_path = path("status/", status_view, name="status")
    verify_path = path("status/verify/", verify_now_view, name="verify")
    evidence_path = path("evidence/<str:object_type>/<str:object_id>/", evidence_bundle_view, name="evidence")
    signing_key_path = path("signing-key.pem", signing_key_view, name="signing_key")
