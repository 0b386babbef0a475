"""Application pages (申报): the enterprise's drafts, the case page, the city's batches, the experts' blind scoring.

Every read goes through ``workflows.selectors.application`` (scoped: what a user may not
read is a 404) and every write through one service; a refused action is a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.selectors import steps_for
from enterprises.exceptions import DomainError
from enterprises.models import Role, Tier
from enterprises.views import RoleApplication

from ..cases.application import APPLICATION
from ..forms import (
    ApplicationDecisionForm,
    ApplicationDraftForm,
    ApplicationEditForm,
    AttachmentForm,
    BatchOpenForm,
    DiagnosisOverrideForm,
    DrawExpertsForm,
    ExpertScoreForm,
)
from ..models import ApplicationState
from ..selectors import application as selectors
from ..services import application as services
from ..services import expert_review as expert_services
from .attachments import attachment_response

def _to_case(pk):
    return redirect("applications:detail", pk)


def _to_batch(pk):
    return redirect("applications:batch", pk)


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _run(request, service, done: str, **kwargs):
    """Call ``service``; its refusal becomes an error message, never a server error. The result, or None."""
    try:
        result = service(by=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, done)
    return result


# --- the enterprise's and the reviewers' lists, applying ------------------------------


@login_required
def application_list_view(request):
    applications = selectors.application_list(
        user=request.user, state=request.GET.get("state") or None, query=request.GET.get("q", "").strip()
    )
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "workflows/application/list.html", {"page": page, "states": ApplicationState.choices})


@login_required
def application_apply_view(request):
    batches = selectors.batches_open_for(user=request.user)
    form = ApplicationDraftForm(request.POST or None, batches=batches)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_draft(enterprise=request.user.enterprise, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft started. Add your statement and attachments, then submit."))
            return _to_case(application.pk)
    return render(request, "workflows/application/apply.html", {"form": form, "batches": batches})


# --- the case page and what is done on it ----------------------------------------------


@login_required
def application_detail_view(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    return render(request, "workflows/application/detail.html", _case_context(request.user, application))


def _case_context(user, application) -> dict:
    actions = selectors.application_actions(application=application, user=user)
    own = user.role == Role.ENTERPRISE and user.enterprise_id == application.enterprise_id
    editable = own and application.state in services.EDITABLE_STATES
    forms = [_decision(name, application) for name in actions]
    return {
        "application": application,
        "own": own,
        "editable": editable,
        "precheck": selectors.application_precheck(application) if editable else None,
        "edit_form": ApplicationEditForm(initial={"statement": application.statement, "product": application.product},
                                         champion=application.tier == Tier.CHAMPION),
        "attachment_form": AttachmentForm(),
        "decisions": [d for d in forms if d["name"] != "resubmit"],
        "resubmit": next((d for d in forms if d["name"] == "resubmit"), None),
        "comparison": selectors.application_comparison(application),
        "frozen_ruleset_title": selectors.frozen_ruleset_title(application.snapshot or {}),
        "scores": expert_services.expert_scores(application) if selectors.application_may_see_scores(user) else None,
        "override_form": DiagnosisOverrideForm() if selectors.application_may_override(application=application, user=user) else None,
        "steps": steps_for(obj=application, user=user),
    }


def _decision(name: str, application) -> dict:
    decision = APPLICATION.decision(name)
    initial = {"statement": application.statement} if decision.text == "statement" else {}
    return {"name": name, "button": decision.button, "decision": decision,
            "form": ApplicationDecisionForm(decision=decision, initial=initial, prefix=name)}


@require_POST
@login_required
def application_act_view(request, pk, decision):
    application = selectors.application_get(user=request.user, pk=pk)
    if decision not in services.DECISIONS:
        raise Http404
    form = ApplicationDecisionForm(request.POST, decision=APPLICATION.decision(decision), prefix=decision)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_case(pk)
    _run(request, services.application_decide, str(APPLICATION.decision(decision).done),
         application=application, decision=decision, text=form.text)
    return _to_case(pk)


@require_POST
@login_required
def application_edit_view(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    form = ApplicationEditForm(request.POST, champion=application.tier == Tier.CHAMPION)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_case(pk)
    _run(request, services.application_update, _("Draft saved."), application=application, **form.cleaned_data)
    return _to_case(pk)


@require_POST
@login_required
def attachment_add_view(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_case(pk)
    upload = form.cleaned_data["file"]
    _run(request, services.application_attachment_add, _("Attachment added."),
         application=application, name=upload.name, content=upload.read())
    return _to_case(pk)


@login_required
def attachment_download_view(request, pk, attachment_pk):
    attachment = selectors.attachment_get(user=request.user, application_pk=pk, pk=attachment_pk)
    return attachment_response(attachment)


@require_POST
@login_required
def attachment_remove_view(request, pk, attachment_pk):
    attachment = selectors.attachment_get(user=request.user, application_pk=pk, pk=attachment_pk)
    _run(request, services.application_attachment_remove, _("Attachment removed."), attachment=attachment)
    return _to_case(pk)


@require_POST
@login_required
def application_override_view(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    form = DiagnosisOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_case(pk)
    _run(request, services.application_override_diagnosis, _("Diagnosis overridden; the reason is on record."),
         application=application, reason=form.cleaned_data["reason"])
    return _to_case(pk)


# --- the city's batches ----------------------------------------------------------------


@login_required
def batch_list_view(request):
    form = BatchOpenForm(request.POST or None) if selectors.batch_may_manage(request.user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            batch = services.application_batch_open(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Batch opened."))
            return _to_batch(batch.pk)
    return render(request, "workflows/application/batches.html",
                  {"batches": selectors.batch_list(user=request.user), "form": form})


@login_required
def batch_detail_view(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    return render(request, "workflows/application/batch.html", {
        "batch": batch,
        "groups": selectors.batch_applications_by_state(user=request.user, batch=batch),
        "may_manage": selectors.batch_may_manage(request.user),
        "draw_form": DrawExpertsForm(),
        "experts": batch.experts.order_by("username"),
    })


@require_POST
@login_required
def batch_draw_view(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = DrawExpertsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_batch(pk)
    _run(request, expert_services.application_batch_draw_experts, _("Experts drawn; the seed is on record."),
         batch=batch, **form.cleaned_data)
    return _to_batch(pk)


@require_POST
@login_required
def batch_recommend_view(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    _run(request, expert_services.application_batch_recommend, _("Recommended; the recommendation letter is issued."),
         batch=batch)
    return _to_batch(pk)


@require_POST
@login_required
def batch_close_view(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    _run(request, expert_services.application_batch_close_results,
         _("Results recorded: recommended applications missing from the list are closed as not recognized."), batch=batch)
    return _to_batch(pk)


# --- the experts' blind scoring --------------------------------------------------------


@login_required
def review_list_view(request):
    return render(request, "workflows/application/reviews.html",
                  {"reviews": selectors.expert_review_list(user=request.user)})


@login_required
def review_view(request, pk):
    review = selectors.expert_review_get(user=request.user, pk=pk)
    form = ExpertScoreForm(request.POST or None, rubric=review.application.batch.rubric)
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.expert_review_score(review=review, by=request.user, scores=form.scores,
                                                opinion=form.cleaned_data["opinion"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Scores submitted. Thank you."))
            return redirect("applications:reviews")
    snapshot = selectors.application_blind_snapshot(review.application)
    return render(request, "workflows/application/review.html", {
        "review": review, "snapshot": snapshot, "metrics": selectors.snapshot_metric_rows(snapshot), "form": form,
        "frozen_ruleset_title": selectors.frozen_ruleset_title(snapshot),
    })


class ApplicationsApplication(RoleApplication):
    title = gettext_lazy("Tier applications")
    icon = "assignment_turned_in"
    app_name = "applications"
    permission = None
    menu_links = [
        ("index", "", gettext_lazy("Applications list"), "list", None),
        ("apply", "", gettext_lazy("Apply"), "post_add", None),
        ("batches", "", gettext_lazy("Application batches"), "event_available", None),
        ("reviews", "", gettext_lazy("My expert reviews"), "rate_review", None),
    ]

    index_path = path("", application_list_view, name="index")
    apply_path = path("apply/", application_apply_view, name="apply")
    batches_path = path("batches/", batch_list_view, name="batches")
    batch_path = path("batches/<int:pk>/", batch_detail_view, name="batch")
    batch_draw_path = path("batches/<int:pk>/draw/", batch_draw_view, name="batch_draw")
    batch_recommend_path = path("batches/<int:pk>/recommend/", batch_recommend_view, name="batch_recommend")
    batch_close_path = path("batches/<int:pk>/close/", batch_close_view, name="batch_close")
    reviews_path = path("reviews/", review_list_view, name="reviews")
    review_path = path("reviews/<int:pk>/", review_view, name="review")
    detail_path = path("<int:pk>/", application_detail_view, name="detail")
    edit_path = path("<int:pk>/edit/", application_edit_view, name="edit")
    override_path = path("<int:pk>/override/", application_override_view, name="override")
    attach_path = path("<int:pk>/attachments/", attachment_add_view, name="attach")
    attachment_path = path("<int:pk>/attachments/<int:attachment_pk>/", attachment_download_view, name="attachment")
    detach_path = path("<int:pk>/attachments/<int:attachment_pk>/remove/", attachment_remove_view, name="detach")
    act_path = path("<int:pk>/act/<slug:decision>/", application_act_view, name="act")

    def has_view_permission(self, user, obj=None):
        return not user.is_authenticated or user.role != Role.FINANCE
