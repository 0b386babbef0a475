"""Pool entry pages: list, propose, the case page with its actions and history, the annual refresh."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.selectors import steps_for
from enterprises.exceptions import DomainError
from enterprises.models import Role
from enterprises.selectors import enterprise_list, has_role
from enterprises.throttles import throttle_page
from enterprises.views import RoleApplication

from .. import selectors
from ..cases.pool import POOL_ENTRY
from ..forms import BulkProposeForm, DecisionForm, ProposeForm, RefreshOpenForm, ResubmitForm, SignupForm
from ..models import PoolEntryState
from ..services import pool as services
from .attachments import attachment_response


def _detail_url(entry_pk) -> str:
    return reverse("pool:detail", args=[entry_pk])


@login_required
def pool_entry_list_view(request):
    entries = selectors.pool_entry_list(
        user=request.user, state=request.GET.get("state") or None, query=request.GET.get("q", "").strip()
    )
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/pool/list.html",
        {"page": page, "states": PoolEntryState.choices, "can_propose": has_role(request.user, *services.PROPOSER_ROLES)},
    )


# The states a reason explains; once the entry moves on, an old return's reason is history (in the timeline).
REASON_STATES = (PoolEntryState.RETURNED, PoolEntryState.REJECTED, PoolEntryState.EXIT_PROPOSED, PoolEntryState.EXITED)


@login_required
def pool_entry_detail_view(request, pk):
    return _detail(request, selectors.pool_entry_get(user=request.user, pk=pk))


def _detail(request, entry, resubmit_form=None, status=200):
    """The case page; ``resubmit_form`` is the enterprise's refused answer, shown again as typed."""
    steps = steps_for(obj=entry, user=request.user)
    actions = selectors.pool_entry_actions(entry=entry, user=request.user)
    return render(
        request,
        "workflows/pool/detail.html",
        {
            "entry": entry,
            "steps": steps,
            "actions": [POOL_ENTRY.decision(name) for name in actions if POOL_ENTRY.decision(name).button],
            "can_resubmit": "resubmit" in actions,
            "decision_form": DecisionForm(),
            "resubmit_form": resubmit_form or ResubmitForm(initial={"statement": entry.statement}),
            "evidence": entry.attachments.select_related("uploaded_by"),
            "reason_states": REASON_STATES,
            "district_proposed": any(step.action == POOL_ENTRY.action("district_propose") for step in steps),
        },
        status=status,
    )


@require_POST
@login_required
def pool_entry_act_view(request, pk, action):
    entry = selectors.pool_entry_get(user=request.user, pk=pk)
    if action not in services.DECISIONS:
        raise Http404
    if action == "resubmit":
        return _resubmit(request, entry)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_detail_url(entry.pk))
    try:
        services.pool_entry_decide(entry=entry, decision=action, by=request.user, text=form.cleaned_data["comment"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, str(POOL_ENTRY.decision(action).done))
    return redirect(_detail_url(entry.pk))


def _resubmit(request, entry):
    """The answer to a return, with its evidence; a refusal shows the form again with what was typed."""
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            services.pool_entry_resubmit(entry=entry, by=request.user, statement=form.cleaned_data["statement"], files=files)
        except DomainError as error:
            form.add_error("files" if error.code in EVIDENCE_REFUSALS else None, str(error))
        else:
            messages.success(request, str(POOL_ENTRY.decision("resubmit").done))
            return redirect(_detail_url(entry.pk))
    return _detail(request, entry, resubmit_form=form, status=400)


# The refusals that are about a file rather than the answer (workflows.services.attachments).
EVIDENCE_REFUSALS = ("too_large", "empty_file", "wrong_type")


@login_required
def pool_entry_evidence_view(request, pk, attachment_pk):
    return attachment_response(selectors.pool_entry_attachment_get(user=request.user, entry_pk=pk, pk=attachment_pk))


@login_required
def pool_entry_propose_view(request):
    user = request.user
    own = user.role == Role.ENTERPRISE
    enterprises = None if own else enterprise_list(user=user)
    form = ProposeForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        enterprise = user.enterprise if own else form.cleaned_data["enterprise"]
        try:
            entry = services.pool_entry_propose(enterprise=enterprise, by=user, statement=form.cleaned_data["statement"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Proposed. The district bureau will review it."))
            return redirect(_detail_url(entry.pk))
    existing = selectors.active_pool_entry(user.enterprise) if own and user.enterprise_id else None
    return render(request, "workflows/pool/propose.html", {"form": form, "existing": existing})


@login_required
def pool_bulk_propose_view(request):
    if not has_role(request.user, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER):
        raise Http404
    form = BulkProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.pool_entries_propose_from_list(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)d enterprises proposed for the pool.") % {"count": len(entries)})
            return redirect(reverse("pool:index"))
    return render(request, "workflows/pool/bulk_propose.html", {"form": form})


@login_required
def pool_refresh_view(request):
    """The city opens and evaluates the annual refresh; others see its progress."""
    is_city = has_role(request.user, Role.CITY_REVIEWER)
    form = RefreshOpenForm(request.POST or None) if is_city else None
    if request.method == "POST" and is_city:
        _refresh_post(request, form)
        return redirect(reverse("pool:refresh"))
    refreshes = [(r, selectors.pool_refresh_progress(r), selectors.pool_refresh_evaluation_progress(r))
                 for r in selectors.pool_refresh_list()]
    evaluating = any(evaluation for _refresh, _progress, evaluation in refreshes)
    return render(request, "workflows/pool/refresh.html",
                  {"form": form, "refreshes": refreshes, "is_city": is_city, "evaluating": evaluating})


@login_required
def pool_refresh_evaluation_progress_view(request, pk):
    """The evaluation's progress as JSON ({done, total, finished}), polled by the page's bar (tidu/progress.js)."""
    refresh = get_object_or_404(selectors.pool_refresh_list(), pk=pk)
    progress = selectors.pool_refresh_evaluation_progress(refresh)
    return JsonResponse({**(progress or {"done": 0, "total": 0}), "finished": progress is None})


def _refresh_post(request, form):
    try:
        if "evaluate" in request.POST:
            refresh = selectors.pool_refresh_list().get(pk=request.POST["evaluate"])
            proposed = services.pool_refresh_evaluate_submit(refresh=refresh, by=request.user)
            if proposed is None:
                messages.info(request, _("The refresh is being evaluated in the background; its progress is shown below."))
            else:
                messages.success(request, _("%(count)d enterprises proposed for exit.") % {"count": len(proposed)})
        elif form.is_valid():
            services.pool_refresh_open(by=request.user, **form.cleaned_data)
            messages.success(request, _("Refresh opened."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    except DomainError as error:
        messages.error(request, str(error))


@throttle_page("signup", methods=("POST",))
def signup_view(request):
    """Public: an enterprise registers itself and proposes its pool entry."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user, entry = services.pool_entry_signup(**data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="enterprises.auth.RoleBackend")
            messages.success(request, _("Registered. Your pool entry is with the district bureau."))
            return redirect(_detail_url(entry.pk))
    return render(request, "workflows/pool/signup.html", {"form": form})


class PoolApplication(RoleApplication):
    title = gettext_lazy("Pool entry")
    icon = "group_add"
    app_name = "pool"
    permission = None
    menu_links = [
        ("index", "", gettext_lazy("Pool entries"), "list", None),
        ("propose", "", gettext_lazy("Propose an entry"), "add_circle", None),
        ("refresh", "", gettext_lazy("Annual refresh"), "event_repeat", None),
    ]

    def menu_link_allowed(self, name: str, user) -> bool:
        # Only those who may propose are offered the proposal page (not the auditor, not finance).
        return name != "propose" or has_role(user, *services.PROPOSER_ROLES)

    index_path = path("", pool_entry_list_view, name="index")
    propose_path = path("propose/", pool_entry_propose_view, name="propose")
    bulk_path = path("propose-from-list/", pool_bulk_propose_view, name="bulk_propose")
    refresh_path = path("refresh/", pool_refresh_view, name="refresh")
    refresh_progress_path = path(
        "refresh/<int:pk>/progress/", pool_refresh_evaluation_progress_view, name="refresh_progress"
    )
    detail_path = path("<int:pk>/", pool_entry_detail_view, name="detail")
    act_path = path("<int:pk>/<slug:action>/", pool_entry_act_view, name="act")
    evidence_path = path("<int:pk>/evidence/<int:attachment_pk>/", pool_entry_evidence_view, name="evidence")

    def has_view_permission(self, user, obj=None):
        return not user.is_authenticated or user.role != Role.FINANCE
