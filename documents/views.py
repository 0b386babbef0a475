"""Document pages: the archive of issued documents, downloads, and public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.selectors import steps_for
from enterprises.throttles import throttle_page
from enterprises.views import RoleApplication

from .exceptions import DocumentError
from .forms import ArchiveFilterForm, VerifyUploadForm, VoidForm
from .models import Document
from .selectors import (
    document_get,
    document_reissue_of,
    document_reissued_as,
    documents_for,
    render_progress,
    user_can_retry_render,
    user_can_void,
    verification_by_pdf,
    verification_by_token,
)
from .services import document_download, document_reissue, document_render_retry, document_void

PAGE_SIZE = 20


def _document_or_404(request, pk) -> Document:
    try:
        return document_get(user=request.user, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


@login_required
def archive_view(request):
    form = ArchiveFilterForm(request.GET or None)
    documents = documents_for(user=request.user)
    if form.is_valid():
        documents = _filtered(documents, form.cleaned_data)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/archive.html", {
        "form": form, "page": page, "query": query.urlencode(), "progress": render_progress(user=request.user),
    })


@login_required
def archive_progress_view(request):
    """The archive's rendering progress as JSON, polled by the progress bar (tidu/progress.js)."""
    return JsonResponse(render_progress(user=request.user))


def _filtered(documents, filters: dict):
    if filters["q"]:
        documents = documents.filter(Q(number__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    for field in ("kind", "status", "render_state", "enterprise"):
        if filters[field]:
            documents = documents.filter(**{field: filters[field]})
    return documents


@login_required
def document_detail_view(request, pk):
    document = _document_or_404(request, pk)
    reissued_as = document_reissued_as(document)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "steps": steps_for(obj=document, user=request.user),
            "can_retry": document.render_state == "failed" and user_can_retry_render(request.user, document),
            "void_form": VoidForm() if user_can_void(request.user) and not document.is_voided else None,
            "reissued_as": reissued_as,
            "reissue_of": document_reissue_of(document),
            "can_reissue": document.is_voided and reissued_as is None and user_can_void(request.user),
        },
    )


@login_required
def document_download_view(request, pk):
    document = _document_or_404(request, pk)
    try:
        pdf = document_download(document=document, by=request.user)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect("archive:detail", pk=document.pk)
    return FileResponse(pdf, content_type="application/pdf", filename=f"{document.number}.pdf")


@require_POST
@login_required
def document_retry_view(request, pk):
    document = _document_or_404(request, pk)
    try:
        document_render_retry(document=document, by=request.user)
    except DocumentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The PDF is being rendered again."))
    return redirect("archive:detail", pk=document.pk)


@require_POST
@login_required
def document_void_view(request, pk):
    document = _document_or_404(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding the document."))
        return redirect("archive:detail", pk=document.pk)
    try:
        document_void(document=document, by=request.user, reason=form.cleaned_data["reason"])
    except DocumentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Document %(number)s is voided.") % {"number": document.number})
    return redirect("archive:detail", pk=document.pk)


@require_POST
@login_required
def document_reissue_view(request, pk):
    document = _document_or_404(request, pk)
    try:
        reissue = document_reissue(document=document, by=request.user)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect("archive:detail", pk=document.pk)
    messages.success(request, _("Reissued as %(number)s.") % {"number": reissue.number})
    return redirect("archive:detail", pk=reissue.pk)


@throttle_page("verify_upload", methods=("POST",))
@throttle_page("verify", methods=("GET", "HEAD"))
def verify_view(request):
    """Public: upload a PDF to learn whether its bytes are those of an issued document."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verification = None
    if request.method == "POST" and form.is_valid():
        verification = verification_by_pdf(form.cleaned_data["pdf"].read())
    return render(
        request,
        "documents/verify.html",
        {"form": form, "verification": verification, "uploaded": verification is not None},
    )


@throttle_page("verify")
def verify_token_view(request, token):
    """Public: the page the QR code opens."""
    verification = verification_by_token(token)
    status = 404 if verification.document is None else 200
    return render(
        request,
        "documents/verify.html",
        {"form": VerifyUploadForm(), "verification": verification, "token": token},
        status=status,
    )


class DocumentsApplication(RoleApplication):
    title = gettext_lazy("Documents")
    icon = "description"
    app_name = "archive"
    permission = None  # every role reads its own scope of the archive
    menu_links = [
        ("index", "", gettext_lazy("Archive"), "folder", None),
    ]

    index_path = path("", archive_view, name="index")
    progress_path = path("progress/", archive_progress_view, name="progress")
    detail_path = path("<int:pk>/", document_detail_view, name="detail")
    download_path = path("<int:pk>/download/", document_download_view, name="download")
    retry_path = path("<int:pk>/retry/", document_retry_view, name="retry")
    void_path = path("<int:pk>/void/", document_void_view, name="void")
    reissue_path = path("<int:pk>/reissue/", document_reissue_view, name="reissue")
