"""Recognition pages under /cases/recognitions/: results in scope, record one, import a list, match queue.

Recording, importing and the queue are for city reviewers and administrators; everyone
else gets 403. Every write goes through ``workflows.services.recognition``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.exceptions import DomainError
from enterprises.fields import DateBox
from enterprises.forms import IMPORT_EXTENSIONS
from enterprises.models import Enterprise, Tier

from ..models import RecognitionKind, RecognitionStatus
from ..selectors.recognition import recognition_list, recognition_match_list
from ..services.recognition import (
    recognition_match_dismiss,
    recognition_match_resolve,
    recognition_may_record,
    recognition_record,
)
from ..services.recognition_import import recognitions_import

SHOWN_PROBLEMS = 500


class RecognitionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Published list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and set the invalid ones aside"),
        required=False,
        help_text=gettext_lazy("Without this, one invalid row stops the whole import and nothing is written."),
    )


class RecognitionRecordForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.order_by("name"))
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), choices=Tier.choices)
    recognized_on = forms.DateField(label=gettext_lazy("Recognized on"), widget=DateBox())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RecognitionKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=RecognitionStatus.choices,
                               initial=RecognitionStatus.FINAL)
    batch = forms.CharField(label=gettext_lazy("Batch"), required=False, max_length=64)
    product = forms.CharField(label=gettext_lazy("Product (champion products only)"), required=False, max_length=128)


def _require_recorder(request) -> None:
    if not recognition_may_record(request.user):
        raise PermissionDenied(_("Only the city bureau may record recognition results."))


@login_required
def recognition_list_view(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(recognition_list(user=request.user, query=query), 30).get_page(request.GET.get("page"))
    can_record = recognition_may_record(request.user)
    open_matches = recognition_match_list(user=request.user).count() if can_record else 0
    return render(request, "workflows/recognition/list.html",
                  {"page": page, "can_record": can_record, "open_matches": open_matches})


@login_required
def recognition_record_view(request):
    _require_recorder(request)
    form = RecognitionRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = recognition_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            _say_recorded(request, recorded)
            return redirect("workflows:recognition_list")
    return render(request, "workflows/recognition/record.html", {"form": form})


def _say_recorded(request, recorded) -> None:
    if not recorded.changed:
        messages.info(request, _("This result was already on record; nothing changed."))
        return
    messages.success(request, _("Recognition recorded."))
    for warning in recorded.warnings:
        messages.warning(request, warning)


@login_required
def recognition_import_view(request):
    _require_recorder(request)
    form = RecognitionImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = recognitions_import(
                rows_source=form.cleaned_data["file"], by=request.user, skip_invalid=form.cleaned_data["skip_invalid"]
            )
        except DomainError as error:
            form.add_error("file", str(error))
    problems = report.problems[:SHOWN_PROBLEMS] if report else []
    return render(request, "workflows/recognition/import.html", {"form": form, "report": report, "problems": problems})


@login_required
def recognition_queue_view(request):
    _require_recorder(request)
    page = Paginator(recognition_match_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "workflows/recognition/queue.html", {"page": page})


@require_POST
@login_required
def recognition_match_resolve_view(request, pk):
    _require_recorder(request)
    match = get_object_or_404(recognition_match_list(user=request.user), pk=pk)
    enterprise = _chosen_enterprise(request.POST.get("credit_code", ""), request.POST.get("enterprise", ""))
    if enterprise is None:
        messages.error(request, _("Choose the enterprise: pick a candidate or type its credit code."))
        return redirect("workflows:recognition_queue")
    try:
        recorded = recognition_match_resolve(match=match, enterprise=enterprise, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        _say_recorded(request, recorded)
    return redirect("workflows:recognition_queue")


def _chosen_enterprise(credit_code: str, candidate: str):
    """A credit code typed by the reviewer, else the candidate picked from the radio buttons."""
    if credit_code.strip():
        return Enterprise.objects.filter(credit_code=credit_code.strip().upper()).first()
    return Enterprise.objects.filter(pk=int(candidate)).first() if candidate.isdigit() else None


@require_POST
@login_required
def recognition_match_dismiss_view(request, pk):
    _require_recorder(request)
    match = get_object_or_404(recognition_match_list(user=request.user), pk=pk)
    try:
        recognition_match_dismiss(match=match, by=request.user, note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Row dismissed."))
    return redirect("workflows:recognition_queue")


urlpatterns = [
    path("", recognition_list_view, name="recognition_list"),
    path("record/", recognition_record_view, name="recognition_record"),
    path("import/", recognition_import_view, name="recognition_import"),
    path("queue/", recognition_queue_view, name="recognition_queue"),
    path("queue/<int:pk>/resolve/", recognition_match_resolve_view, name="recognition_match_resolve"),
    path("queue/<int:pk>/dismiss/", recognition_match_dismiss_view, name="recognition_match_dismiss"),
]
